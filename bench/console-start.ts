// A newcomer's cold start, `printf 'help\n' | npm start` on a fresh data directory, timed to the first reply, with the CPU and peak memory of all its processes, beside a bare node process that opens PGlite as Minga does and answers one query (`npm run bench -- console`; `npx tsx bench/console-start.ts [runs] [-- command…]` alone).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../db/connection.js';
import { treeRss } from './process-tree.js';
import { recordResult } from './stats.js';

const root = join(import.meta.dirname, '..');
const NPM_START = ['npm', 'start', '--silent'];

/**
 * The floor: a bare node process doing the least the same job needs. It opens an embedded PGlite on a new data
 * directory the way Minga does (a copy of the build's migrated template, the same trimmed module compiled the same way),
 * answers one query and exits. Run from the compiled dist/, as npm start runs Minga.
 */
const FLOOR = `
const { openPglite } = await import('./dist/db/connection.js');
const database = await openPglite(process.env.MINGA_DATA_DIR);
const result = await database.db.execute('select 1 as one');
process.stdout.write('ready\\n' + JSON.stringify(result.rows) + '\\n');
await database.close();
`;

interface Run {
  firstReplyMs: number;
  /** CPU time of all the processes, user and system: on a shared machine it moves less than the wall clock. */
  cpuMs: number;
  exitMs: number;
  peakMb: number;
}

function once(command: string[]): Promise<Run> {
  const dataDir = mkdtempSync(join(tmpdir(), 'minga-start-'));
  // No platform credential and no .env: the console, as a newcomer starts it.
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, MINGA_DATA_DIR: dataDir, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' };
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const times = join(dataDir, 'times');
    const child = spawn('/usr/bin/time', ['-o', times, '-f', '%U %S', ...command], { cwd: root, env, stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    let firstReplyMs = 0;
    let peak = 0;
    const sample = setInterval(() => (peak = Math.max(peak, treeRss(child.pid!))), 5);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      // The start line comes first; the reply to `help` is whatever follows it.
      if (!firstReplyMs && out.split('\n').length > 2) firstReplyMs = performance.now() - started;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(sample);
      const exitMs = performance.now() - started;
      const [user = 0, system = 0] = readFileSync(times, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
      rmSync(dataDir, { recursive: true, force: true });
      if (code !== 0 || !firstReplyMs) return reject(new Error(`exit ${code}: ${out}`));
      resolve({ firstReplyMs, cpuMs: (user + system) * 1000, exitMs, peakMb: peak / 1024 });
    });
    child.stdin.end('help\n');
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Each figure's median over several runs. */
function medians(runs: Run[]): Run {
  return {
    firstReplyMs: median(runs.map((r) => r.firstReplyMs)),
    cpuMs: median(runs.map((r) => r.cpuMs)),
    exitMs: median(runs.map((r) => r.exitMs)),
    peakMb: median(runs.map((r) => r.peakMb)),
  };
}

const describe = (run: Run) => `first reply ${(run.firstReplyMs / 1000).toFixed(2)} s, CPU ${(run.cpuMs / 1000).toFixed(2)} s, peak ${run.peakMb.toFixed(0)} MB`;

/** For `npm run bench`: five cold starts of each, Minga's and the floor's taking turns; needs the build (`npm run build`). */
export async function benchConsoleStart(_database: Database, label: string): Promise<void> {
  // The console runs on the embedded database; its figure is taken once, beside PGlite's other figures.
  if (label !== 'PGlite') return;
  if (!existsSync(join(root, 'dist', 'db', 'connection.js'))) {
    console.log('\n(console start: no build to run, skipped; `npm run build` first)');
    return;
  }
  const minga: Run[] = [];
  const floor: Run[] = [];
  for (let i = 0; i < 5; i++) {
    minga.push(await once(NPM_START));
    floor.push(await once([process.execPath, '--input-type=module', '-e', FLOOR]));
  }
  const [m, f] = [medians(minga), medians(floor)];
  console.log(`\nConsole cold start, medians of 5: Minga (npm start) ${describe(m)}; floor (bare node opening PGlite) ${describe(f)}`);
  recordResult({
    benchmark: 'console start',
    scenario: "`printf 'help\\n' | npm start` on a new data directory, no credentials: first reply, CPU and peak memory of all processes (median of 5)",
    figure: describe(m),
    floor: `bare node opening PGlite the same way and answering one query: ${describe(f)}`,
    ratio: `${(m.firstReplyMs / f.firstReplyMs).toFixed(1)}× time, ${(m.peakMb / f.peakMb).toFixed(1)}× memory`,
  });
}

// Run alone: `npx tsx bench/console-start.ts [runs] [-- command…]` (npm start by default).
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const args = process.argv.slice(2);
  const dash = args.indexOf('--');
  const runs = Number(args[0] && args[0] !== '--' ? args[0] : 5);
  const command = dash === -1 ? NPM_START : args.slice(dash + 1);
  const results: Run[] = [];
  for (let i = 0; i < runs; i++) {
    const run = await once(command);
    results.push(run);
    console.log(`run ${i + 1}: first reply ${run.firstReplyMs.toFixed(0)} ms, CPU ${run.cpuMs.toFixed(0)} ms, exit ${run.exitMs.toFixed(0)} ms, peak ${run.peakMb.toFixed(0)} MB`);
  }
  console.log(`${command.join(' ')}, median of ${runs}: ${describe(medians(results))}`);
}
