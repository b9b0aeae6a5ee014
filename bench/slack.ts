// Benchmark: /minga through Bolt, the Slack adapter and the core on PostgreSQL, from the signed request to the answer the member sees (in the ack, or on the response_url), beside a bare Bolt app that reads the same list in one query and answers in its ack.
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { App, LogLevel } from '@slack/bolt';
import { eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { SlackAdapter } from '../adapters/slack/slack-adapter.js';
import type { Database } from '../db/connection.js';
import { workspaces } from '../db/schema.js';
import { createCore } from '../src/handler.js';
import { startFakeSlack, type FakeSlack, type RecordedResponse } from '../test/fakes/slack-api.js';
import { postToBolt, slashCommandBody } from '../test/fakes/slack-requests.js';
import { measure, measureAlternating, report, type Figures } from './stats.js';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TOKEN = 'xoxb-bench';
const TEAM = 'T0BENCH';
/** The list both Minga and the floor read. */
const OPEN_TASKS = 20;
const PEOPLE = Array.from({ length: 20 }, (_, i) => ({ id: `U0BENCH${i}`, name: `member${i}`, locale: 'en-US', tz: 'America/Lima' }));

/**
 * Sends signed /minga commands to one Bolt app; each resolves with the ack's time and when the member sees the answer (ms
 * since sending): the ack itself when it carries the answer, else the reply's arrival on the response_url.
 */
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
    if (typeof ack.body === 'object' && ack.body !== null) {
      // Answered in the ack: nothing follows on the response_url.
      waiting.delete(id);
      return { acked, replied: acked };
    }
    await replied;
    return { acked, replied: performance.now() - t0 };
  };
}


const ratio = (a: Figures, b: Figures) => `p50 ${(a.p50 / b.p50).toFixed(2)}x, p99 ${(a.p99 / b.p99).toFixed(2)}x`;

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

  // The floor: the same Bolt and fake, no core: it acks empty ("ping"), or reads the same list as Minga in one query and
  // answers it in the ack ("list"), the least any app must do to show it.
  let allianceId = 0;
  const bare = new App({ token: TOKEN, signingSecret: SECRET, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: fake.url } });
  bare.command('/minga', async ({ ack, command }) => {
    if (command.text !== 'list') return ack();
    // PostgreSQL only (see the top), where drizzle hands back postgres.js's rows as an array.
    const rows = (await database.db.execute(
      sql`select number, title, due_on from tasks where alliance_id = ${allianceId} and status = 'open' order by due_on asc nulls last, number limit 50`,
    )) as unknown as { number: number; title: string; due_on: string | null }[];
    await ack({ response_type: 'ephemeral', text: rows.map((row) => `#${row.number} ${row.title} ${row.due_on ?? ''}`).join('\n') });
  });
  const bareServer = await bare.start({ port: 0, host: '127.0.0.1' });

  const minga = commander(fake, `http://127.0.0.1:${adapter.port}`);
  const baseline = commander(fake, `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}`);
  try {
    // Warm up: the workspace exists and every member's users.info is cached, as in a workspace that uses Minga daily;
    // the alliance has 20 open tasks.
    for (let i = 0; i < PEOPLE.length; i += 1) await minga('help', i, true);
    for (let i = 0; i < OPEN_TASKS; i += 1) await minga(`task add Open task ${i} due tomorrow`, i, true);
    const [workspace] = await database.db.select({ allianceId: workspaces.allianceId }).from(workspaces).where(eq(workspaces.externalId, TEAM));
    allianceId = workspace!.allianceId;
    const lists: Record<number, { floor: Figures; list: Figures }> = {};
    for (const concurrency of [1, 16]) {
      // Eight turns each: on this shared machine the floor alone moves by a fifth from one minute to the next.
      const n = concurrency === 1 ? 400 : 1600;
      const bareAck = await measure(`bare Bolt, only acks, c=${concurrency}`, n, concurrency, (i) => baseline('ping', i, false));
      // The floor and Minga take turns, so the machine's drift weighs on both alike (see measureAlternating).
      const [floor, list] = await measureAlternating(
        [
          { name: `floor: bare Bolt, the list in one query, answered in the ack, c=${concurrency}`, run: (i) => baseline('list', i, true) },
          { name: `/minga task list (${OPEN_TASKS} open): answer seen, c=${concurrency}`, run: (i) => minga('task list', i, true) },
        ],
        n,
        concurrency,
        8,
      );
      lists[concurrency] = { floor: floor!, list: list! };
      report(`Slack task list on ${label}, concurrency ${concurrency}`, floor!, [bareAck, list!]);
    }
    for (const concurrency of [1, 16]) {
      const n = concurrency === 1 ? 300 : 800;
      const add = await measure(`/minga task add: answer seen, c=${concurrency}`, n, concurrency, (i) => minga(`task add Bench task ${i} due tomorrow`, i, true));
      report(`Slack task add on ${label}, concurrency ${concurrency}`, lists[concurrency]!.floor, [add]);
    }
    for (const [concurrency, { floor, list }] of Object.entries(lists)) {
      console.log(`  task list vs the floor at c=${concurrency}: ${ratio(list, floor)} (goal: p50 ≤ 1.5x)`);
    }
  } finally {
    await adapter.stop();
    await bare.stop();
    await fake.close();
  }
}
