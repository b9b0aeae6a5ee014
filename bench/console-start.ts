// `npx tsx bench/console-start.ts [runs] [-- command…]`: a newcomer's cold start, `printf 'help\n' | npm start` on a fresh data directory, timed to the first reply, with the peak memory of all its processes.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { treeRss } from './process-tree.js';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const dash = args.indexOf('--');
const runs = Number(args[0] && args[0] !== '--' ? args[0] : 5);
// npm start by default; `-- node dist/adapters/main.js` or the like to time another way of starting.
const command = dash === -1 ? ['npm', 'start', '--silent'] : args.slice(dash + 1);

interface Run {
  firstReplyMs: number;
  /** CPU time of all the processes, user and system: on a shared machine it moves less than the wall clock. */
  cpuMs: number;
  exitMs: number;
  peakMb: number;
}

function once(): Promise<Run> {
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
const results: Run[] = [];
for (let i = 0; i < runs; i++) {
  const run = await once();
  results.push(run);
  console.log(`run ${i + 1}: first reply ${run.firstReplyMs.toFixed(0)} ms, CPU ${run.cpuMs.toFixed(0)} ms, exit ${run.exitMs.toFixed(0)} ms, peak ${run.peakMb.toFixed(0)} MB`);
}
console.log(
  `${command.join(' ')}, median of ${runs}: first reply ${median(results.map((r) => r.firstReplyMs)).toFixed(0)} ms, ` +
    `CPU ${median(results.map((r) => r.cpuMs)).toFixed(0)} ms, ` +
    `exit ${median(results.map((r) => r.exitMs)).toFixed(0)} ms, peak ${median(results.map((r) => r.peakMb)).toFixed(0)} MB`,
);
