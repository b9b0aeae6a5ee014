// No secret in any log line: a deployment's credentials pushed through every error path at LOG_LEVEL=trace (a failed Slack installation save, failed commands, failed jobs, failed Slack and Discord calls), and not one of them written.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackAdapter } from '../adapters/slack/slack-adapter.js';
import { alliances, scheduledJobs } from '../db/schema.js';
import type { Adapter } from '../src/adapter.js';
import { createDelivery } from '../src/delivery.js';
import { pollJobHandlers } from '../src/poll-jobs.js';
import { scheduleJob } from '../src/scheduler/jobs.js';
import { createScheduler, type Scheduler } from '../src/scheduler/scheduler.js';
import { startFakeSlack } from './fakes/slack-api.js';
import { createTestCore, type TestCore } from './support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from './support/databases.js';
import { startDiscordRig, visibleText, type DiscordRig } from './support/discord.js';
import { captureLog, type CapturedLog } from './support/logs.js';
import { blockTexts, installFromBrowser, PEOPLE, SIGNING_SECRET, startSlackRig, TEAM, type SlackRig } from './support/slack.js';

/** Everything a deployment keeps secret, as its environment gives it. */
const CREDENTIALS = {
  SLACK_BOT_TOKEN: 'xoxb-2400000000001-2400000000002-Q2FuYXJ5Qm90VG9rZW4',
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_APP_TOKEN: 'xapp-1-A0MINGA-2400000000003-5d1e8a4f0c7b9e2d6a3f8c1b4e7d0a9c',
  SLACK_CLIENT_SECRET: '0c1e2a3b4c5d6e7f8a9b0c1d2e3f4a5b',
  SLACK_STATE_SECRET: 'state-secret-of-the-install-flow',
  MINGA_SECRET: 'minga-secret-5f4e3d2c1b0a99887766554433221100',
  DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GAbCdE.Q2FuYXJ5RGlzY29yZEJvdFRva2VuVmFsdWU',
};
const { SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_APP_TOKEN, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET, MINGA_SECRET, DISCORD_TOKEN } = CREDENTIALS;
const OAUTH_ENV = { SLACK_BOT_TOKEN: '', SLACK_CLIENT_ID: '1234567890.0987654321', SLACK_CLIENT_SECRET, SLACK_STATE_SECRET };

/** What a member typed, no credential but a query's value all the same: it must not be written either. */
const CANARY = 'canary7Q4Zmembertext';

/** The token the fake Slack hands out for an installation: made at run time, so no variable names it. */
const INSTALLED_TOKEN = 'xoxb-installed-T0LEAK';

function expectNothingSecret(capture: CapturedLog, also: string[] = []): void {
  const written = capture.text();
  expect(written.length).toBeGreaterThan(0);
  for (const secret of [...Object.values(CREDENTIALS), ...also]) expect(written).not.toContain(secret);
}

/** Every error the log wrote, as JSON: the member's text must be in none of them. */
const errorsWritten = (capture: CapturedLog) => JSON.stringify(capture.entries().filter((entry) => entry.err));

describe.each(databaseTargets())('no secret in any log line, on %s', (kind) => {
  let database: TestDatabase;
  let capture: CapturedLog;
  let core: TestCore;
  let scheduler: Scheduler;
  let slack: SlackRig;
  let discord: DiscordRig;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    capture = captureLog({ level: 'trace', env: CREDENTIALS });
    const { log } = capture;
    const adapters: Adapter[] = [];
    const delivery = createDelivery(() => adapters);
    const defaults = { locale: 'en' as const, timeZone: 'UTC' };
    const now = () => new Date();
    const leaky = async () => {
      // What a platform client might throw: the token in the message, in a request's headers, and deeper in its cause.
      const refused = Object.assign(new Error(`refused ${SLACK_BOT_TOKEN} for ${SLACK_APP_TOKEN}`), {
        config: { headers: { Authorization: `Bearer ${SLACK_BOT_TOKEN}` }, data: { client_secret: SLACK_CLIENT_SECRET } },
        token: SLACK_BOT_TOKEN,
      });
      throw Object.assign(new Error(`chat.postMessage with ${SLACK_BOT_TOKEN} failed`, { cause: refused }), { params: [MINGA_SECRET, SLACK_SIGNING_SECRET] });
    };
    scheduler = createScheduler({ db: database.db, log, now, handlers: { ...pollJobHandlers({ db: database.db, delivery, defaults, log, now, secret: MINGA_SECRET }), 'poll.remind': leaky } });
    core = createTestCore(database.db, { log, now, secret: MINGA_SECRET, kick: (keys) => scheduler.kick(keys) });
    slack = await startSlackRig(database, { env: { SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET }, core, log, sender: { sleep: async () => {}, maxAttempts: 1 } });
    discord = await startDiscordRig(core, { token: DISCORD_TOKEN, log });
    adapters.push(slack.adapter, discord.adapter);
  });
  afterAll(async () => {
    await scheduler?.stop();
    await slack?.stop();
    await discord?.stop();
    await database?.close();
  });

  it('GIVEN saving a Slack installation fails (its database is gone) THEN the install page apologizes and the log names the failed query, without the installation or its token', async () => {
    const storeDatabase = await openTestDatabase(kind);
    const rig = await startSlackRig(storeDatabase, { env: OAUTH_ENV, core, log: capture.log });
    try {
      await storeDatabase.close();
      const { back } = await installFromBrowser(rig.url, 'T0LEAK');
      expect(back.status).toBe(500);
    } finally {
      await rig.stop();
    }
    expect(rig.fake.callsTo('oauth.v2.access')).toHaveLength(1);
    const failure = capture.find('slack installation failed');
    expect(failure.err).toMatchObject({ type: 'DrizzleQueryError', message: expect.stringMatching(/^Failed query: insert into "slack_installations"/) });
    expectNothingSecret(capture, [INSTALLED_TOKEN]);
  });

  it('GIVEN a command fails inside the core, on Slack and on Discord, THEN the member gets an apology and the log has the failed query without the text typed', async () => {
    // Postgres itself refuses every new task, as a failing disk or a full database would.
    await database.db.execute(sql`alter table tasks add constraint refuse_every_task check (false) not valid`);
    try {
      const typed = [
        `task add Keys ${SLACK_BOT_TOKEN} ${SLACK_APP_TOKEN} ${CANARY}`,
        `task add More ${SLACK_SIGNING_SECRET} ${SLACK_CLIENT_SECRET} ${MINGA_SECRET} ${CANARY}`,
      ];
      for (const text of typed) {
        const answer = await slack.command(text, { userId: PEOPLE.ana.id });
        expect(blockTexts(answer).join('\n')).toMatch(/went wrong/);
      }
      const { callback } = await discord.slash('task add', { title: `Keys ${DISCORD_TOKEN} ${MINGA_SECRET} ${CANARY}` });
      expect(visibleText(callback.body.data)).toMatch(/went wrong/);
    } finally {
      await database.db.execute(sql`alter table tasks drop constraint refuse_every_task`);
    }
    const failures = capture.entries().filter((entry) => entry.msg === 'command failed');
    expect(failures).toHaveLength(3);
    for (const failure of failures) {
      expect(failure.err).toMatchObject({ type: 'DrizzleQueryError', message: expect.stringMatching(/^Failed query: insert into "tasks"/), cause: { code: '23514' } });
    }
    expect(errorsWritten(capture)).not.toContain(CANARY);
    expectNothingSecret(capture);
  });

  it('GIVEN a Slack Web API call made with the bot token fails THEN the log says so without the token', async () => {
    slack.fake.failNext('users.info', { error: 'invalid_auth' });
    await slack.command('help', { userId: PEOPLE.bob.id });
    expect(capture.find('slack users.info failed').err).toMatchObject({ type: 'WebAPIPlatformError', message: expect.stringContaining('invalid_auth') });
    expectNothingSecret(capture);
  });

  it('GIVEN a poll whose posting fails, on Slack and on Discord, THEN the job failures are logged without the token or the question', async () => {
    slack.fake.failNext('chat.postMessage', { error: 'not_authed' });
    await slack.command(`poll "Which key? ${SLACK_BOT_TOKEN} ${MINGA_SECRET} ${CANARY}" "one" "two"`, { userId: PEOPLE.ana.id });
    // A channel Discord does not know: the post answers 404, and discord.js's error (the cause of the refusal the adapter
    // throws) carries the request body.
    await discord.slash('poll create', { question: `Which key? ${DISCORD_TOKEN} ${CANARY}`, option1: 'one', option2: 'two' }, { channelId: '910000000000000999' });
    await scheduler.tick();
    const failures = capture.entries().filter((entry) => entry.msg === 'scheduled job failed');
    expect(failures.map((failure) => (failure.err as { type: string }).type).sort()).toEqual(['DeliveryRefused', 'WebAPIPlatformError']);
    expect(failures.map((failure) => failure.err)).toContainEqual(expect.objectContaining({ type: 'DeliveryRefused', cause: expect.objectContaining({ type: 'DiscordAPIError' }) }));
    expect(errorsWritten(capture)).not.toContain(CANARY);
    expectNothingSecret(capture);
  });

  it('GIVEN a job handler throws an error carrying the bot token THEN neither the log nor the job\'s last error has it', async () => {
    const [alliance] = await database.db.insert(alliances).values({ name: 'leaky' }).returning();
    await scheduleJob(database.db, { allianceId: alliance!.id, kind: 'poll.remind', key: 'leaky', runAt: new Date(), payload: { pollId: 0 } });
    await scheduler.tick();
    const failure = capture.entries().find((entry) => entry.msg === 'scheduled job failed' && entry.kind === 'poll.remind');
    expect(failure?.err).toMatchObject({ type: 'Error', cause: { type: 'Error' } });
    const [job] = await database.db.select().from(scheduledJobs).where(eq(scheduledJobs.key, 'leaky'));
    expect(job?.lastError).toBe('chat.postMessage with [redacted] failed');
    expectNothingSecret(capture);
  });

  it('GIVEN Socket Mode cannot connect with the app token THEN start-up fails and the log does not hold the token', async () => {
    const fake = await startFakeSlack({ teamId: TEAM, users: Object.values(PEOPLE) });
    fake.failNext('apps.connections.open', { error: 'invalid_auth' }, 20);
    const adapter = new SlackAdapter({ env: { SLACK_BOT_TOKEN, SLACK_APP_TOKEN, SLACK_API_URL: fake.url }, database, log: capture.log, locale: 'en' });
    try {
      await expect(adapter.start(core)).rejects.toThrow();
      expect(fake.callsTo('apps.connections.open')[0]?.token).toBe(SLACK_APP_TOKEN);
    } finally {
      await adapter.stop().catch(() => {});
      await fake.close();
    }
    expectNothingSecret(capture);
  });
});
