// `npm run bench [-- name…]`: runs the named benchmarks (all by default) on PGlite and, when reachable, the local PostgreSQL.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { migrateDatabase, openPglite, openPostgres, type Database } from '../db/connection.js';
import { benchConsoleStart } from './console-start.js';
import { benchDigests } from './digests.js';
import { benchDiscord } from './discord.js';
import { benchIdleMemory } from './idle-memory.js';
import { benchPolls } from './polls.js';
import { benchReminders } from './reminders.js';
import { benchSlack } from './slack.js';
import { results } from './stats.js';
import { benchTasks } from './tasks.js';

type Bench = (database: Database, label: string, url?: string) => Promise<void>;

/** Every benchmark by name; later capabilities add theirs here. */
const benches: Record<string, Bench> = { tasks: benchTasks, polls: benchPolls, discord: benchDiscord, slack: benchSlack, reminders: benchReminders, digests: benchDigests, memory: benchIdleMemory, console: benchConsoleStart };

const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function withServerDatabase(run: (database: Database, url: string) => Promise<void>): Promise<void> {
  const name = `minga_bench_${process.pid}`;
  let admin;
  try {
    admin = postgres(serverUrl, { max: 1, onnotice: () => {}, connect_timeout: 3 });
    await admin.unsafe(`create database ${name}`);
  } catch (err) {
    console.log(`(PostgreSQL at ${serverUrl} not reachable, skipping it: ${(err as Error).message})`);
    await admin?.end();
    return;
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString(), 20);
  try {
    await migrateDatabase(database, url.toString());
    await run(database, url.toString());
  } finally {
    await database.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

async function withPglite(run: (database: Database) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'minga-bench-'));
  const database = await openPglite(dir);
  try {
    await migrateDatabase(database);
    await run(database);
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const names = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
/** Where a benchmark run by `npm run bench` in a process of its own hands its figures back (see below). */
const resultsFile = process.argv.find((arg) => arg.startsWith('--results='))?.slice('--results='.length);
for (const name of names) {
  const bench = benches[name];
  if (!bench) {
    console.error(`Unknown benchmark "${name}". Known: ${Object.keys(benches).join(', ')}`);
    process.exit(2);
  }
  await withServerDatabase((database, url) => bench(database, 'PostgreSQL', url));
  await withPglite((database) => bench(database, 'PGlite'));
}

if (names.length === 0) {
  // Every benchmark, each in a process of its own: one run's leftovers (a grown heap, a vacuum it set off, code compiled
  // for another path) weighed on the next. The Slack list read 1.5x its floor after the others in one process, 1.4x alone.
  for (const name of Object.keys(benches)) {
    const file = join(tmpdir(), `minga-bench-${process.pid}-${name}.json`);
    const code = await new Promise<number | null>((resolve) =>
      spawn(process.execPath, [...process.execArgv, process.argv[1]!, name, `--results=${file}`], { stdio: 'inherit' }).on('close', resolve),
    );
    if (code !== 0) throw new Error(`benchmark ${name} exited with ${code}`);
    results.push(...(JSON.parse(readFileSync(file, 'utf8')) as typeof results));
    rmSync(file, { force: true });
  }
  // Only a run of every benchmark rewrites the report, so it never mixes figures of different runs.
  writeResults();
} else if (resultsFile) writeFileSync(resultsFile, JSON.stringify(results));
else console.log('\n(bench/results.md is rewritten by a run of every benchmark: `npm run bench`)');

/** bench/results.md: every figure of this run beside its floor, with the machine and the date. */
function writeResults(): void {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
  const lines = [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}, on ${machine}; PostgreSQL at ${new URL(serverUrl).host}. Each figure sits beside a floor measured in the same run: the least a program must do for the same job.`,
    '',
    '| benchmark | scenario | figure | floor | ratio |',
    '|---|---|---|---|---|',
    ...results.map((row) => `| ${cell(row.benchmark)} | ${cell(row.scenario)} | ${cell(row.figure)} | ${cell(row.floor)} | ${cell(row.ratio)} |`),
    '',
  ];
  writeFileSync(new URL('./results.md', import.meta.url), lines.join('\n'));
  console.log(`\nwrote bench/results.md (${results.length} figures)`);
}

