// Three real Minga processes (adapters/main.ts, Slack over HTTP) started at once on one empty database of the real server: they migrate under the lock and all come up green on /healthz, each due job reaches the fake Slack once, and a click burst spread over the three edits the poll at most about once a second.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrationsFolder, openPostgres, type Database } from '../db/connection.js';
import { alliances, ballots, polls, postedMessages, scheduledJobs } from '../db/schema.js';
import { conversationId } from '../src/conversation.js';
import { pollJobKey } from '../src/polls.js';
import { startFakeSlack, type FakeSlack, type FakeUser } from './fakes/slack-api.js';
import { blockActionsBody, postToBolt, slashCommandBody } from './fakes/slack-requests.js';
import { TEST_SECRET } from './support/core.js';
import { createEmptyServerDatabase, databaseTargets } from './support/databases.js';
import { freePort } from './support/ports.js';
import { insertReminder } from './support/reminders.js';
import { blockButtons, blockTexts, BOT_TOKEN, PEOPLE, SIGNING_SECRET, TEAM } from './support/slack.js';

const onServer = databaseTargets().includes('postgres');
const root = join(import.meta.dirname, '..');

/** Members who click in the burst. */
const CROWD: FakeUser[] = Array.from({ length: 60 }, (_, i) => ({ id: `U0CROWD${String(i).padStart(2, '0')}`, name: `crowd${i}` }));
/** Reminders due at once, each to a channel of its own so the count per channel is the count per job. */
const REMINDERS = 12;
/** The burst: this many rounds, one click on each instance per round, a round every ROUND_MS. */
const ROUNDS = 20;
const ROUND_MS = 250;
/** Generous: three cold processes on a busy 2-core machine take tens of seconds to start. No timing is asserted. */
const WAIT = { timeout: 240_000, interval: 250 };

const at = (channelId: string) => conversationId({ platform: 'slack', workspaceId: TEAM, channelId });

interface Instance {
  child: ChildProcess;
  url: string;
  output: string;
  exited: Promise<number | null>;
}

/** One `npm start` (without npm): Slack over HTTP on its own PORT, against the fake Web API and the given database. */
function startInstance(databaseUrl: string, slackApiUrl: string, port: number): Instance {
  const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      MINGA_SECRET: TEST_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slackApiUrl,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const instance: Instance = { child, url: `http://127.0.0.1:${port}`, output: '', exited: new Promise((resolve) => child.on('close', (code) => resolve(code))) };
  child.stdout!.on('data', (chunk) => (instance.output += chunk));
  child.stderr!.on('data', (chunk) => (instance.output += chunk));
  return instance;
}

/** Until `check` returns something truthy, looking again every few ms, failing early if an instance died. */
function until<T>(instances: Instance[], check: () => T | Promise<T>): Promise<T> {
  return vi.waitFor(async () => {
    const dead = instances.find((instance) => instance.child.exitCode !== null);
    if (dead) throw new Error(`an instance exited (${dead.child.exitCode}): ${dead.output}`);
    const value = await check();
    if (!value) throw new Error('not yet');
    return value;
  }, WAIT);
}

describe.skipIf(!onServer)('three instances on one Postgres', { timeout: 600_000 }, () => {
  let fake: FakeSlack;
  let server: { url: string; drop: () => Promise<void> };
  let database: Database;
  let instances: Instance[] = [];
  let counter = 0;

  beforeAll(async () => {
    fake = await startFakeSlack({ teamId: TEAM, users: [...Object.values(PEOPLE), ...CROWD] });
    server = await createEmptyServerDatabase();
    const ports = [await freePort(), await freePort(), await freePort()];
    // At the same moment, on a database with no tables: each of them finds it not current and migrates.
    instances = ports.map((port) => startInstance(server.url, fake.url, port));
  }, 60_000);
  afterAll(async () => {
    for (const instance of instances) if (instance.child.exitCode === null) instance.child.kill('SIGTERM');
    const codes = await Promise.all(instances.map((instance) => instance.exited));
    await database?.close();
    await fake?.close();
    await server?.drop();
    // SIGTERM: each stops cleanly.
    expect(codes).toEqual([0, 0, 0]);
  }, 60_000);

  /** A signed /minga command to one instance; the answer in the ack, else on its response_url. */
  async function command(instance: Instance, text: string, userId: string, channelId: string): Promise<Record<string, unknown>> {
    const responseId = `three-${++counter}`;
    const body = slashCommandBody({ text, teamId: TEAM, userId, channelId, responseUrl: fake.responseUrl(responseId), triggerId: `${counter}.1.three` });
    const ack = await postToBolt(instance.url, body, SIGNING_SECRET);
    expect(ack.status).toBe(200);
    if (typeof ack.body === 'object' && ack.body !== null) return ack.body as Record<string, unknown>;
    return (await fake.waitForResponse((response) => response.id === responseId, 30_000)).body;
  }

  const postsTo = (channel: string) => fake.callsTo('chat.postMessage').filter((call) => call.body.channel === channel);

  it('GIVEN three processes started together on an empty database THEN the migrations ran once, under the lock, and /healthz is green on each', async () => {
    const reports = await Promise.all(
      instances.map((instance) =>
        until(instances, async () => {
          const response = await fetch(`${instance.url}/healthz`).catch(() => undefined);
          return response?.status === 200 ? { status: response.status, body: (await response.json()) as unknown } : undefined;
        }),
      ),
    );
    for (const report of reports) {
      expect(report).toMatchObject({ status: 200, body: { ok: true, database: { ok: true }, adapters: [{ platform: 'slack', ok: true }], scheduler: { ok: true } } });
    }
    database = await openPostgres(server.url, 2);
    const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] };
    const raw = postgres(server.url, { max: 1, onnotice: () => {} });
    const applied = await raw<{ created_at: string }[]>`select created_at::text from drizzle.__drizzle_migrations order by created_at`;
    await raw.end();
    // Each migration recorded once: none ran twice, none was skipped.
    expect(applied.map((row) => Number(row.created_at))).toEqual(journal.entries.map((entry) => entry.when).sort((a, b) => a - b));
  });

  it('GIVEN reminders and a poll deadline due while three instances tick THEN each is posted once', async () => {
    const [a, b, c] = instances as [Instance, Instance, Instance];
    // The workspace admin's first command founds the alliance; the poll with a deadline goes to a channel of its own.
    await command(a, 'help', PEOPLE.coord.id, 'C0GENERAL');
    await command(b, 'poll "Deadline?" "A" "B" --closes "in 2 hours"', PEOPLE.ana.id, 'C0DEADLINE');
    await until(instances, () => postsTo('C0DEADLINE').length === 1);
    const [alliance] = await database.db.select().from(alliances);
    const [poll] = await database.db.select().from(polls).where(eq(polls.question, 'Deadline?'));
    // Due now, at once: the reminders, and the deadline brought forward (as if two hours had passed).
    const now = new Date();
    await Promise.all(
      Array.from({ length: REMINDERS }, (_, i) =>
        insertReminder(database.db, { allianceId: alliance!.id, target: { conversation: at(`C0REMIND${i}`) }, text: `Reminder ${i}`, nextAt: now }),
      ),
    );
    await database.db.update(scheduledJobs).set({ runAt: now }).where(eq(scheduledJobs.key, pollJobKey('poll.close', poll!.id)));
    await command(c, 'task list', PEOPLE.ana.id, 'C0GENERAL');

    const remindChannels = Array.from({ length: REMINDERS }, (_, i) => `C0REMIND${i}`);
    await until(instances, () => remindChannels.every((channel) => postsTo(channel).length > 0) && postsTo('C0DEADLINE').length === 2);
    await until(instances, async () => {
      const open = await database.db.select().from(scheduledJobs).where(and(sql`${scheduledJobs.doneAt} is null`, sql`${scheduledJobs.runAt} <= now()`));
      return open.filter((job) => job.kind !== 'poll.closingSoon').length === 0;
    });
    // The jobs are done; anything posted twice would be here by now.
    expect(remindChannels.map((channel) => postsTo(channel).map((call) => call.body.text))).toEqual(remindChannels.map((_, i) => [expect.stringContaining(`Reminder ${i}`)]));
    // The poll once, then its outcome once.
    expect(postsTo('C0DEADLINE')).toHaveLength(2);
    expect(blockTexts(postsTo('C0DEADLINE')[1]!.body).join('\n')).toMatch(/Outcome|Results|closed/i);
  });

  it('GIVEN a click burst spread over the three instances THEN the poll message is edited at most about once a second, and the last edit counts every vote', async () => {
    await command(instances[0]!, 'poll "Burst?" "A" "B"', PEOPLE.ana.id, 'C0BURST');
    const posted = (await until(instances, () => postsTo('C0BURST')[0]))!;
    const buttons = blockButtons(posted.body).filter((button) => button.action_id.startsWith('poll.vote'));
    expect(buttons).toHaveLength(2);
    const messageTs = await until(instances, async () => {
      const [row] = await database.db.select().from(postedMessages).where(eq(postedMessages.conversation, at('C0BURST')));
      return row?.messageRef;
    });
    const updates = () => fake.callsTo('chat.update').filter((call) => call.body.ts === messageTs);

    const started = performance.now();
    const clicks: Promise<number>[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      instances.forEach((instance, i) => {
        const member = CROWD[round * instances.length + i]!;
        const button = buttons[(round + i) % 2]!;
        const body = blockActionsBody({ teamId: TEAM, userId: member.id, channelId: 'C0BURST', actionId: button.action_id, value: button.value, responseUrl: fake.responseUrl(`burst-${member.id}`), messageTs });
        clicks.push(postToBolt(instance.url, body, SIGNING_SECRET).then((reply) => reply.status));
      });
      await new Promise((resolve) => setTimeout(resolve, ROUND_MS));
    }
    expect(new Set(await Promise.all(clicks))).toEqual(new Set([200]));
    const voters = ROUNDS * instances.length;
    // Until the message shows every vote (a refresh runs again when a vote came in while it rendered).
    await until(instances, () => updates().some((call) => blockTexts(call.body).some((text) => text.includes(`Turnout: ${voters} of`))));
    const elapsedSeconds = (performance.now() - started) / 1000;
    const edits = updates().length;
    expect(edits).toBeGreaterThan(1);
    // At most one edit per second of the window, with a little slack for the window's ends.
    expect(edits).toBeLessThanOrEqual(Math.ceil(elapsedSeconds) + 2);
    const [burst] = await database.db.select().from(polls).where(eq(polls.question, 'Burst?'));
    expect(await database.db.$count(ballots, eq(ballots.pollId, burst!.id))).toBe(voters);
  });
});
