// Benchmark: /minga round trips through Bolt, the Slack adapter and the core on PostgreSQL (signed request → ack, and → the reply at the fake), beside a bare Bolt app.
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { App, LogLevel } from '@slack/bolt';
import { pino } from 'pino';
import { SlackAdapter } from '../adapters/slack/slack-adapter.js';
import type { Database } from '../db/connection.js';
import { createCore } from '../src/handler.js';
import { startFakeSlack, type FakeSlack, type RecordedResponse } from '../test/fakes/slack-api.js';
import { postToBolt, slashCommandBody } from '../test/fakes/slack-requests.js';
import { measure, report, summarize, type Figures } from './stats.js';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TOKEN = 'xoxb-bench';
const TEAM = 'T0BENCH';
const PEOPLE = Array.from({ length: 20 }, (_, i) => ({ id: `U0BENCH${i}`, name: `member${i}`, locale: 'en-US', tz: 'America/Lima' }));

/** Sends signed /minga commands to one Bolt app; each resolves with the ack and, when wanted, the reply's arrival (ms since sending). */
function commander(fake: FakeSlack, url: string) {
  const waiting = new Map<string, () => void>();
  fake.events.on('response', (response: RecordedResponse) => {
    waiting.get(response.id)?.();
    waiting.delete(response.id);
  });
  let counter = 0;
  return async (text: string, i: number, awaitReply: boolean) => {
    const id = `bench-${(counter += 1)}`;
    const replied = awaitReply ? new Promise<void>((resolve) => waiting.set(id, resolve)) : undefined;
    const body = slashCommandBody({ text, teamId: TEAM, userId: PEOPLE[i % PEOPLE.length]!.id, responseUrl: fake.responseUrl(id) });
    const t0 = performance.now();
    const ack = await postToBolt(url, body, SECRET);
    if (ack.status !== 200) throw new Error(`Bolt answered ${ack.status}`);
    const acked = performance.now() - t0;
    await replied;
    return { acked, replied: performance.now() - t0 };
  };
}

/** Runs `n` commands at a concurrency, keeping both moments of each. */
async function roundTrips(name: string, n: number, concurrency: number, send: (i: number) => Promise<{ acked: number; replied: number }>) {
  const acks: number[] = [];
  const started = performance.now();
  const replies = await measure(`${name}: reply at the fake, c=${concurrency}`, n, concurrency, async (i) => acks.push((await send(i)).acked));
  return { ack: summarize(`${name}: ack, c=${concurrency}`, acks, (performance.now() - started) / 1000), reply: replies };
}

const ratio = (a: Figures, b: Figures) => `p50 ${(a.p50 / b.p50).toFixed(1)}x, p99 ${(a.p99 / b.p99).toFixed(1)}x`;

export async function benchSlack(database: Database, label: string): Promise<void> {
  if (database.kind !== 'postgres') {
    console.log(`\n(slack: measured on PostgreSQL only, skipping ${label})`);
    return;
  }
  const log = pino({ level: 'silent' });
  const fake = await startFakeSlack({ teamId: TEAM, users: PEOPLE });
  const core = createCore({ db: database.db, defaults: { locale: 'en', timeZone: 'UTC' }, log });
  const adapter = new SlackAdapter({
    env: { SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.url, PORT: '0' },
    database,
    log,
    locale: 'en',
    host: '127.0.0.1',
  });
  await adapter.start(core);

  // The baseline: the same Bolt, the same fake, no core and no database. It acks; for "echo" it also answers a fixed text.
  const bare = new App({ token: TOKEN, signingSecret: SECRET, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: fake.url } });
  bare.command('/minga', async ({ ack, command, respond }) => {
    await ack();
    if (command.text === 'echo') await respond({ response_type: 'ephemeral', text: 'ok' });
  });
  const bareServer = await bare.start({ port: 0, host: '127.0.0.1' });

  const minga = commander(fake, `http://127.0.0.1:${adapter.port}`);
  const baseline = commander(fake, `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}`);
  try {
    // Warm up: the workspace exists and every member's users.info is cached, as in a workspace that uses Minga daily.
    for (let i = 0; i < PEOPLE.length; i += 1) await minga('help', i, true);
    for (const concurrency of [1, 16]) {
      const n = concurrency === 1 ? 300 : 800;
      const bareAck = await measure(`bare Bolt, only acks, c=${concurrency}`, n, concurrency, (i) => baseline('ping', i, false));
      const bareReply = await measure(`bare Bolt, ack + fixed respond: reply at the fake, c=${concurrency}`, n, concurrency, (i) => baseline('echo', i, true));
      const add = await roundTrips('/minga task add', n, concurrency, (i) => minga(`task add Bench task ${i} due tomorrow`, i, true));
      const list = await roundTrips('/minga task list (50 shown)', n / 4, concurrency, (i) => minga('task list', i, true));
      report(`Slack slash command round trip on ${label}, concurrency ${concurrency}`, bareAck, [bareReply, add.ack, add.reply, list.ack, list.reply]);
      console.log(`  ack:   task add vs bare Bolt ack: ${ratio(add.ack, bareAck)}`);
      console.log(`  reply: task add vs bare Bolt respond: ${ratio(add.reply, bareReply)}; task list: ${ratio(list.reply, bareReply)}`);
    }
  } finally {
    await adapter.stop();
    await bare.stop();
    await fake.close();
  }
}
