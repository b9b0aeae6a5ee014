// Idle resident memory of Minga running Slack and Discord together, as `npm start` runs it (the compiled dist/ when built) on the real server against local fakes: the sum over its process tree once start-up has settled, beside a floor of one bare process holding a Bolt app, a discord.js client and a postgres.js pool. `npx tsx bench/idle-memory.ts` runs it alone.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Database } from '../db/connection.js';
import { startFakeDiscord } from '../test/fakes/discord.js';
import { startFakeSlack } from '../test/fakes/slack-api.js';
import { freePort } from '../test/support/ports.js';
import { processTree, type ProcessMemory } from './process-tree.js';
import { recordResult } from './stats.js';

const root = join(import.meta.dirname, '..');
/** After /healthz first answers 200: the settling the issue measures (timers, the first garbage collections, the gateway's first beats). */
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 10_000);
const TOKEN = 'bench.discord.token';
const GUILD = { id: '940000000000000001', name: 'Bench', ownerId: '940000000000000009', channels: [{ id: '940000000000000002', name: 'general' }] };
/** `npx tsx bench/idle-memory.ts -- node bin/start.mjs` measures another way of starting; npm start by default. */
const dash = process.argv.indexOf('--');
const COMMAND = dash === -1 ? ['npm', 'start', '--silent'] : process.argv.slice(dash + 1);
/** The floor's V8 flags: Minga's own (package.json's start script), so the floor differs from Minga by code alone. */
const FLOOR_FLAGS = ['--max-semi-space-size=4'];
const SIGNING_SECRET = 'bench-signing-secret-0123456789';
const SECRET = 'bench-secret-0123456789abcdef0123456789abcdef';

const mb = (kb: number) => kb / 1024;

/** Starts `command`, waits until `ready` holds and SETTLE_MS more, and returns the tree's memory (and what `inspect` says then); then stops it with SIGTERM. */
async function idleTree(command: string[], env: NodeJS.ProcessEnv, ready: () => Promise<boolean>, inspect?: () => Promise<void>): Promise<ProcessMemory[]> {
  // A process group of its own: npm passes SIGTERM on to no one, so the whole group is signalled.
  const child: ChildProcess = spawn(command[0]!, command.slice(1), { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  const exited = new Promise((resolve) => child.on('close', resolve));
  try {
    const deadline = Date.now() + 180_000;
    while (!(await ready().catch(() => false))) {
      if (child.exitCode !== null) throw new Error(`${command.join(' ')} exited ${child.exitCode}`);
      if (Date.now() > deadline) throw new Error(`${command.join(' ')} did not come up`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const tree = processTree(child.pid!);
    await inspect?.();
    return tree;
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
}

/**
 * The floor: what any bot on both platforms holds at rest, in one plain Node process (no npm, no TypeScript): @slack/bolt
 * listening over HTTP, a discord.js client on the gateway with the Guilds intent, a postgres.js pool that has queried once.
 */
const FLOOR = `
import http from 'node:http';
import bolt from '@slack/bolt';
import { Client, GatewayIntentBits } from 'discord.js';
import postgres from 'postgres';
const env = process.env;
const app = new bolt.App({ token: env.SLACK_BOT_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET, logLevel: bolt.LogLevel.ERROR, clientOptions: { slackApiUrl: env.SLACK_API_URL } });
app.command('/minga', async ({ ack }) => ack('ok'));
await app.start(0);
const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: env.DISCORD_API_URL } });
const ready = new Promise((resolve) => client.once('clientReady', resolve));
await client.login(env.DISCORD_TOKEN);
await ready;
const sql = postgres(env.DATABASE_URL, { max: 10 });
await sql\`select 1\`;
http.createServer((request, response) => response.end('ok')).listen(Number(env.PORT), '127.0.0.1');
process.once('SIGTERM', async () => { await client.destroy(); await sql.end(); await app.stop(); process.exit(0); });
`;

export async function benchIdleMemory(_database: Database, label: string, url?: string): Promise<void> {
  // Issue 11's figure is on the real server; the embedded database is another deployment (and holds its own PostgreSQL).
  if (!url) return;
  const slack = await startFakeSlack({ teamId: 'T0BENCH' });
  const discord = await startFakeDiscord({ guilds: [GUILD] });
  try {
    const port = await freePort();
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'warn',
      DATABASE_URL: url,
      MINGA_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_URL: discord.restUrl,
      DISCORD_GUILD_ID: GUILD.id,
      PORT: String(port),
    };
    const healthy = async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200;
    /** What the node process says of its own memory, from /metrics (prom-client's default metrics). */
    const heap = async () => {
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const read = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(metrics)?.[1] ?? Number.NaN) / 2 ** 20;
      console.log(
        `  Minga's heap: ${read('nodejs_heap_size_used_bytes').toFixed(0)} MB used of ${read('nodejs_heap_size_total_bytes').toFixed(0)} MB, external ${read('nodejs_external_memory_bytes').toFixed(0)} MB`,
      );
    };
    const minga = await idleTree(COMMAND, env, healthy, heap);
    const floorPort = await freePort();
    const floor = await idleTree([process.execPath, ...FLOOR_FLAGS, '--input-type=module', '-e', FLOOR], { ...env, PORT: String(floorPort) }, async () => (await fetch(`http://127.0.0.1:${floorPort}/`)).ok);
    const total = (tree: ProcessMemory[]) => tree.reduce((sum, one) => sum + one.rssKb, 0);
    const describe = (tree: ProcessMemory[]) => tree.map((one) => `${mb(one.rssKb).toFixed(0)} MB ${one.command.slice(0, 90)}`).join('; ');
    console.log(`\nIdle memory, Slack + Discord on ${label}, ${SETTLE_MS / 1000} s after /healthz answered:`);
    console.log(`  Minga (${COMMAND.join(' ')}): ${mb(total(minga)).toFixed(0)} MB in all: ${describe(minga)}`);
    console.log(`  floor (bare Bolt + discord.js + postgres.js, one node process): ${mb(total(floor)).toFixed(0)} MB`);
    const mingaNode = minga.filter((one) => !/\bnpm\b/.test(one.command));
    recordResult({
      benchmark: 'memory',
      scenario: `Slack + Discord idle on ${label}, resident memory of all of \`npm start\`'s processes (Minga's node alone: ${mb(total(mingaNode)).toFixed(0)} MB)`,
      figure: `${mb(total(minga)).toFixed(0)} MB`,
      floor: `${mb(total(floor)).toFixed(0)} MB`,
      ratio: `${(total(minga) / total(floor)).toFixed(1)}×`,
    });
  } finally {
    await discord.close();
    await slack.close();
  }
}

// Run alone: on a database of its own on the server (BENCH_DATABASE_URL, TEST_DATABASE_URL, or the local one).
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const { default: postgresClient } = await import('postgres');
  const { migrateDatabase, openPostgres } = await import('../db/connection.js');
  const { results } = await import('./stats.js');
  const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `minga_bench_memory_${process.pid}`;
  const admin = postgresClient(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openPostgres(url.toString(), 2);
  try {
    await migrateDatabase(database, url.toString());
    await benchIdleMemory(database, 'PostgreSQL', url.toString());
    console.log(results);
  } finally {
    await database.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
