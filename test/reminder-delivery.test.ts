// Delivering reminders through the core's scheduler on a movable clock, on PGlite and on the real server: once to each recipient, late after downtime, retried, refused.
import { eq, like } from 'drizzle-orm';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { deliveries, reminders, scheduledJobs } from '../db/schema.js';
import { conversationId } from '../src/conversation.js';
import { DeliveryRefused } from '../src/delivery.js';
import { occurrenceKey } from '../src/reminders.js';
import { replyTexts } from '../src/reply.js';
import { MAX_ATTEMPTS } from '../src/scheduler/jobs.js';
import { nextOccurrence, type Recurrence } from '../src/time/recurrence.js';
import { FIXED_NOW, requester } from './support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from './support/databases.js';
import { captureLog } from './support/logs.js';
import { linkWorkspaces } from './support/alliance-links.js';
import { pollRig, type PollRig } from './support/polls.js';
import { insertReminder, memberRow, organizationRow } from './support/reminders.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const at = (offsetMs: number) => new Date(FIXED_NOW.getTime() + offsetMs);

describe.each(databaseTargets())('delivering reminders on %s', (kind) => {
  let database: TestDatabase;
  let rig: PollRig;
  let workspace = '';
  let count = 0;
  const as = (userId: string, extra: Parameters<typeof requester>[0] = {}) => requester({ workspaceId: workspace, userId, userName: userId, channelId: 'C1', ...extra });
  /** A new workspace (its own alliance) whose coordinator is ana; rosa reads Spanish in Bogotá, bob English in Madrid. */
  const next = async () => {
    workspace = `rw-${(count += 1)}`;
    rig = pollRig(database.db);
    await rig.core.handleText('help', as('ana'));
    await rig.core.handleText('help', as('rosa', { platformLocale: 'es-419', timeZone: 'America/Bogota' }));
    await rig.core.handleText('help', as('bob', { timeZone: 'Europe/Madrid' }));
    const member = (userId: string) => memberRow(database.db, 'console', workspace, userId);
    const [ana, rosa, bob] = await Promise.all(['ana', 'rosa', 'bob'].map(member));
    return { allianceId: ana!.allianceId, ana: ana!, rosa: rosa!, bob: bob! };
  };
  /** Time passes and the scheduler ticks. */
  const tickAt = async (when: Date) => {
    rig.clock.now = when;
    await rig.scheduler.tick();
  };
  const directsTo = (userId: string) => rig.delivery.directs.filter((sent) => sent.workspaceId === workspace && sent.userId === userId).map((sent) => replyTexts(sent.reply).join('\n'));
  const reminder = async (id: number) => (await database.db.select().from(reminders).where(eq(reminders.id, id)))[0]!;
  const job = async (key: string) => (await database.db.select().from(scheduledJobs).where(eq(scheduledJobs.key, key)))[0];
  const dm = (userId: string) => conversationId({ platform: 'console', workspaceId: workspace, channelId: userId });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  // What one test leaves active must not fire into the next one's clock.
  afterEach(async () => {
    await database.db.update(reminders).set({ status: 'cancelled', nextAt: null }).where(eq(reminders.status, 'active'));
  });
  afterAll(() => database.close());

  it('GIVEN a reminder set from a linked workspace on another platform THEN the direct message names the setter with their platform', async () => {
    const { allianceId, bob } = await next();
    const eva = requester({ platform: 'slack', workspaceId: `T-${workspace}`, userId: 'U0EVA', userName: 'eva' });
    await rig.core.handleText('help', eva);
    await linkWorkspaces(database.db, { platform: 'console', externalId: workspace }, { platform: 'slack', externalId: `T-${workspace}` });
    const setter = await memberRow(database.db, 'slack', `T-${workspace}`, 'U0EVA');
    await insertReminder(database.db, { allianceId, createdBy: setter!.id, target: { member: bob.id }, text: 'Bring the banners', nextAt: at(10 * MINUTE) });
    await tickAt(at(10 * MINUTE));
    expect(directsTo('bob')).toEqual(['Reminder from @eva (Slack): Bring the banners']);
  });

  it('GIVEN a one-off reminder for a member THEN at its time they get one direct message saying who set it, it is recorded, and the reminder is done', async () => {
    const { allianceId, ana, bob } = await next();
    const set = await insertReminder(database.db, { allianceId, createdBy: ana.id, target: { member: bob.id }, text: 'Call the partners', nextAt: at(10 * MINUTE) });
    await tickAt(FIXED_NOW);
    expect(directsTo('bob')).toEqual([]);

    await tickAt(at(10 * MINUTE));
    expect(directsTo('bob')).toEqual(['Reminder from @ana: Call the partners']);
    const [row] = await database.db.select().from(deliveries).where(like(deliveries.key, `reminder:${set.id}:%`));
    expect(row).toMatchObject({ key: `${occurrenceKey(set.id, at(10 * MINUTE))}:${dm('bob')}`, allianceId, messageRef: expect.stringMatching(/^d\d+$/) });
    expect(await reminder(set.id)).toMatchObject({ status: 'done', nextAt: null });
    expect((await job(occurrenceKey(set.id, at(10 * MINUTE))))?.doneAt).not.toBeNull();

    await tickAt(at(HOUR));
    expect(directsTo('bob')).toHaveLength(1);
  });

  it('GIVEN a reminder someone set for themselves THEN it reads as their own', async () => {
    const { allianceId, rosa } = await next();
    await insertReminder(database.db, { allianceId, createdBy: rosa.id, target: { member: rosa.id }, text: 'revisar el informe', nextAt: at(MINUTE) });
    await tickAt(at(MINUTE));
    expect(directsTo('rosa')).toEqual(['Recordatorio: revisar el informe']);
  });

  it('GIVEN a reminder for an organization THEN each member gets a direct message in their own language, and late, in their own zone', async () => {
    const { allianceId, ana } = await next();
    await rig.core.handleText('org add ong-verde ONG Verde', as('ana'));
    await rig.core.handleText('org join ong-verde', as('rosa'));
    await rig.core.handleText('org join ong-verde', as('bob'));
    const org = await organizationRow(database.db, allianceId, 'ong-verde');
    await insertReminder(database.db, { allianceId, createdBy: ana.id, target: { organization: org.id }, text: 'Send the report', nextAt: at(HOUR) });
    // Minga was down for two hours around its time.
    await tickAt(at(3 * HOUR));
    expect(directsTo('rosa')).toEqual(['Recordatorio de @ana: Send the report (con retraso: era para el vie, 27 nov, 08:00)']);
    expect(directsTo('bob')).toEqual(['Reminder from @ana: Send the report (late: was due Fri, Nov 27, 14:00)']);
    expect(directsTo('ana')).toEqual([]);
  });

  it('GIVEN a reminder for a channel THEN it is posted there once, in the alliance\'s language', async () => {
    const { allianceId, ana } = await next();
    await rig.core.handleText('lang alliance es', as('ana'));
    const channel = conversationId({ platform: 'console', workspaceId: workspace, channelId: 'C1' });
    await insertReminder(database.db, { allianceId, createdBy: ana.id, target: { conversation: channel }, text: 'Llamar a las socias', nextAt: at(MINUTE) });
    await tickAt(at(MINUTE));
    await tickAt(at(2 * MINUTE));
    expect(rig.delivery.posts.filter((post) => post.conversation === channel).map((post) => replyTexts(post.reply).join('\n'))).toEqual([
      'Recordatorio de @ana: Llamar a las socias',
    ]);
    expect(rig.delivery.directs).toEqual([]);
  });

  it('GIVEN a recurring reminder THEN each occurrence queues the next in its zone as the current job finishes, and after downtime the missed ones are skipped, the one due delivered once, late', async () => {
    const { allianceId, ana, bob } = await next();
    const rule: Recurrence = { kind: 'daily', time: { hour: 9, minute: 0 } };
    const first = nextOccurrence(rule, FIXED_NOW, 'Europe/Madrid');
    expect(first).toEqual(new Date('2026-11-28T08:00:00Z'));
    const set = await insertReminder(database.db, { allianceId, createdBy: ana.id, target: { member: bob.id }, text: 'Stand-up', nextAt: first, recurrence: rule, timeZone: 'Europe/Madrid' });

    await tickAt(first);
    expect(directsTo('bob')).toEqual(['Reminder from @ana: Stand-up']);
    const second = new Date('2026-11-29T08:00:00Z');
    expect(await reminder(set.id)).toMatchObject({ status: 'active', nextAt: second });
    expect((await job(occurrenceKey(set.id, first)))?.doneAt).not.toBeNull();
    expect(await job(occurrenceKey(set.id, second))).toMatchObject({ kind: 'reminder.send', runAt: second, doneAt: null, payload: { reminderId: set.id, due: second.toISOString() } });

    // Down from before the 29th until the 2nd at 10:00 (Madrid 11:00): three occurrences fell due meanwhile.
    await tickAt(new Date('2026-12-02T10:00:00Z'));
    await tickAt(new Date('2026-12-02T10:01:00Z'));
    expect(directsTo('bob')).toEqual(['Reminder from @ana: Stand-up', 'Reminder from @ana: Stand-up (late: was due Sun, Nov 29, 09:00)']);
    expect(await reminder(set.id)).toMatchObject({ status: 'active', nextAt: new Date('2026-12-03T08:00:00Z') });
  });

  it('GIVEN a reminder cancelled before its time THEN nothing is sent and its job simply finishes', async () => {
    const { allianceId, ana, bob } = await next();
    const set = await insertReminder(database.db, { allianceId, createdBy: ana.id, target: { member: bob.id }, text: 'Never mind', nextAt: at(MINUTE) });
    await database.db.update(reminders).set({ status: 'cancelled', nextAt: null }).where(eq(reminders.id, set.id));
    await tickAt(at(MINUTE));
    expect(directsTo('bob')).toEqual([]);
    expect((await job(occurrenceKey(set.id, at(MINUTE))))?.doneAt).not.toBeNull();
  });

  it('GIVEN a reminder moved to another time THEN the old occurrence sends nothing and the new one is sent once', async () => {
    const { allianceId, ana, bob } = await next();
    const set = await insertReminder(database.db, { allianceId, createdBy: ana.id, target: { member: bob.id }, text: 'Moved', nextAt: at(MINUTE) });
    await insertReminder(database.db, { allianceId, createdBy: ana.id, target: { member: bob.id }, text: 'Other', nextAt: at(HOUR) });
    await database.db.update(reminders).set({ nextAt: at(2 * HOUR) }).where(eq(reminders.id, set.id));
    await tickAt(at(MINUTE));
    expect(directsTo('bob')).toEqual([]);
    await tickAt(at(3 * HOUR));
    expect(directsTo('bob')).toEqual(['Reminder from @ana: Other (late: was due Fri, Nov 27, 14:00)']);
  });

  it('GIVEN Minga stopped before a reminder\'s time and started after it THEN it is delivered once, marked late', async () => {
    const { allianceId, ana, bob } = await next();
    await insertReminder(database.db, { allianceId, createdBy: ana.id, target: { member: bob.id }, text: 'Book the hall', nextAt: at(10 * MINUTE) });
    await tickAt(FIXED_NOW);
    await rig.scheduler.stop();
    rig.clock.now = at(5 * HOUR);
    const restarted = rig.newScheduler();
    await restarted.tick();
    await restarted.tick();
    await rig.newScheduler().tick();
    expect(directsTo('bob')).toEqual(['Reminder from @ana: Book the hall (late: was due Fri, Nov 27, 13:10)']);
  });

  it('GIVEN a send that fails THEN the job is retried with backoff, and members already served are not sent it again', async () => {
    const { allianceId, ana } = await next();
    await rig.core.handleText('org add ong-verde ONG Verde', as('ana'));
    for (const who of ['ana', 'rosa', 'bob']) await rig.core.handleText('org join ong-verde', as(who));
    const org = await organizationRow(database.db, allianceId, 'ong-verde');
    const set = await insertReminder(database.db, { allianceId, createdBy: ana.id, target: { organization: org.id }, text: 'Vote today', nextAt: at(MINUTE) });
    let failures = 1;
    rig.delivery.failWith = (to) => (to === dm('bob') && failures-- > 0 ? new Error('socket hang up') : undefined);

    await tickAt(at(MINUTE));
    expect([directsTo('ana'), directsTo('rosa'), directsTo('bob')].map((sent) => sent.length)).toEqual([1, 1, 0]);
    const retry = (await job(occurrenceKey(set.id, at(MINUTE))))!;
    expect(retry).toMatchObject({ attempts: 1, doneAt: null, lastError: expect.stringContaining('socket hang up') });
    expect(retry.runAt.getTime()).toBeGreaterThan(at(MINUTE).getTime());
    expect(await reminder(set.id)).toMatchObject({ status: 'active', nextAt: at(MINUTE) });

    await tickAt(retry.runAt);
    expect([directsTo('ana'), directsTo('rosa'), directsTo('bob')].map((sent) => sent.length)).toEqual([1, 1, 1]);
    expect(await reminder(set.id)).toMatchObject({ status: 'done' });
  });

  it('GIVEN a send that keeps failing THEN after the last attempt it is given up, logged with the reason, and the reminder moves on', async () => {
    const log = captureLog({ level: 'warn' });
    const { allianceId, ana, bob } = await next();
    rig = pollRig(database.db, log.log);
    const rule: Recurrence = { kind: 'daily', time: { hour: 18, minute: 0 } };
    const set = await insertReminder(database.db, { allianceId, createdBy: ana.id, target: { member: bob.id }, text: 'Water the garden', nextAt: at(6 * HOUR), recurrence: rule, timeZone: 'UTC' });
    rig.delivery.failWith = (to) => (to === dm('bob') ? new Error('connect ECONNREFUSED') : undefined);
    let when = at(6 * HOUR);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      await tickAt(when);
      when = (await job(occurrenceKey(set.id, at(6 * HOUR))))!.runAt;
    }
    const given = (await job(occurrenceKey(set.id, at(6 * HOUR))))!;
    expect(given.doneAt).not.toBeNull();
    expect(directsTo('bob')).toEqual([]);
    expect(log.find('reminder given up after the last attempt')).toMatchObject({ reminder: set.id, failed: 1, err: { message: expect.stringContaining('connect ECONNREFUSED') } });
    expect(await reminder(set.id)).toMatchObject({ status: 'active', nextAt: new Date('2026-11-28T18:00:00Z') });
  });

  it('GIVEN a member who does not accept direct messages THEN whoever set the reminder is told once, in their language, and the member is not tried again', async () => {
    const { allianceId, rosa, bob } = await next();
    await rig.core.handleText('org add ong-verde ONG Verde', as('ana'));
    for (const who of ['ana', 'bob']) await rig.core.handleText('org join ong-verde', as(who));
    const org = await organizationRow(database.db, allianceId, 'ong-verde');
    let tries = 0;
    rig.delivery.failWith = (to) => (to === dm('bob') ? (tries++, new DeliveryRefused('directMessagesClosed', '50007')) : undefined);
    const forBob = await insertReminder(database.db, { allianceId, createdBy: rosa.id, target: { member: bob.id }, text: 'Traer las llaves', nextAt: at(MINUTE) });
    const forOrg = await insertReminder(database.db, { allianceId, createdBy: rosa.id, target: { organization: org.id }, text: 'Asamblea', nextAt: at(2 * MINUTE) });

    await tickAt(at(MINUTE));
    await tickAt(at(2 * MINUTE));
    await tickAt(at(HOUR));
    expect(tries).toBe(2);
    expect(directsTo('rosa')).toEqual([
      `No pude entregar tu recordatorio #${forBob.number} a @bob: no acepta mensajes directos.`,
      `No pude entregar tu recordatorio #${forOrg.number} a @bob: no acepta mensajes directos.`,
    ]);
    expect(directsTo('ana')).toEqual(['Reminder from @rosa: Asamblea']);
    for (const set of [forBob, forOrg]) {
      expect(await reminder(set.id)).toMatchObject({ status: 'done' });
      const job_ = await database.db.select().from(scheduledJobs).where(eq(scheduledJobs.key, occurrenceKey(set.id, set.nextAt!)));
      expect(job_[0]).toMatchObject({ attempts: 1, lastError: null });
    }
    const refused = await database.db.select().from(deliveries).where(like(deliveries.key, `reminder:${forBob.id}:%`));
    expect(refused.map((row) => [row.key.endsWith(':refused'), row.messageRef === null])).toEqual(
      expect.arrayContaining([
        [false, true],
        [true, false],
      ]),
    );
  });
});
