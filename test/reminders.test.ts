// Reminder and time zone commands end to end through the core, on PGlite and on the real server: targets, zones, the queued occurrence, lists, cancels, permissions.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alliances, members, reminders, scheduledJobs } from '../db/schema.js';
import type { Command } from '../src/commands/command.js';
import { occurrenceKey } from '../src/reminders.js';
import { createTestCore, FIXED_NOW, requester, text, type TestCore } from './support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from './support/databases.js';

const MINUTE = 60_000;

describe.each(databaseTargets())('reminders on %s', (kind) => {
  let database: TestDatabase;
  let core: TestCore;
  // Each test has its own workspace, and so its own alliance, reminder numbers and zones.
  let workspace = 0;
  const as = (userId: string, extra: Parameters<typeof requester>[0] = {}) =>
    requester({ workspaceId: `rw-${workspace}`, userId, userName: userId, channelId: 'main', ...extra });
  /** A new workspace whose first visitor, and so its coordinator, is "coord". */
  const next = async () => {
    workspace += 1;
    await core.handleText('help', as('coord'));
    return { coord: as('coord'), ana: as('ana'), bob: as('bob') };
  };
  const say = async (line: string, who: ReturnType<typeof as>) => text(await core.handleText(line, who));
  /** This workspace's reminders, by number. */
  const stored = async () => {
    const rows = await database.db
      .select({ reminder: reminders })
      .from(reminders)
      .innerJoin(alliances, eq(alliances.id, reminders.allianceId))
      .where(eq(alliances.name, `rw-${workspace}`));
    return rows.map((row) => row.reminder).sort((a, b) => a.number - b.number);
  };
  const jobsOf = async (reminderId: number) =>
    (await database.db.select().from(scheduledJobs).where(eq(scheduledJobs.kind, 'reminder.send'))).filter(
      (job) => (job.payload as { reminderId: number }).reminderId === reminderId,
    );

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    core = createTestCore(database.db);
  });
  afterAll(() => database.close());

  it('GIVEN "remind here in 1 minute …" THEN it repeats the instant in the alliance zone and queues exactly one occurrence then', async () => {
    const { ana } = await next();
    const reply = await core.handleText('remind here in 1 minute Call the partners', ana);
    expect(reply.visibility).toBe('ephemeral');
    expect(text(reply)).toBe(
      'I\'ll remind this channel on Fri, Nov 27, 12:01 (UTC): Call the partners\nReminder #1; `remind cancel 1` cancels it.',
    );
    const [reminder] = await stored();
    expect(reminder).toMatchObject({
      number: 1,
      targetKind: 'channel',
      targetConversation: `console:rw-${workspace}:main`,
      targetMemberId: null,
      targetOrganizationId: null,
      text: 'Call the partners',
      nextAt: new Date(FIXED_NOW.getTime() + MINUTE),
      recurrence: null,
      timeZone: 'UTC',
      status: 'active',
    });
    const jobs = await jobsOf(reminder!.id);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      key: occurrenceKey(reminder!.id, reminder!.nextAt!),
      runAt: reminder!.nextAt,
      payload: { reminderId: reminder!.id, due: reminder!.nextAt!.toISOString() },
      doneAt: null,
    });
  });

  it('GIVEN "recuérdame mañana a las 9 …" from a member in Bogotá THEN it is 09:00 there, said in Spanish', async () => {
    const { ana } = await next();
    const rosa = as('rosa', { platformLocale: 'es', timeZone: 'America/Bogota' });
    const reply = await say('recuérdame mañana a las 9 revisar el informe', rosa);
    expect(reply).toBe(
      'Te lo recordaré el sáb, 28 nov, 09:00 (America/Bogota): revisar el informe\nRecordatorio #1; `recordatorio cancelar 1` lo cancela.',
    );
    const [reminder] = await stored();
    expect(reminder).toMatchObject({ targetKind: 'member', nextAt: new Date('2026-11-28T14:00:00Z'), timeZone: 'America/Bogota' });
    // Ana, in the alliance's zone, hears of it nothing: it is Rosa's.
    expect(await say('remind list', ana)).toBe('Reminders\nNo reminders. Set one with `remind me tomorrow 9am Call the partners`.');
  });

  it('GIVEN a reminder for another member THEN it is read in that member\'s zone and shown in it', async () => {
    const { coord } = await next();
    await core.handleText('help', as('ana', { timeZone: 'America/Lima' }));
    expect(await say('remind @ana tomorrow 9am Send the minutes', coord)).toBe(
      'I\'ll remind @ana on Sat, Nov 28, 09:00 (America/Lima): Send the minutes\nReminder #1; `remind cancel 1` cancels it.',
    );
    const [reminder] = await stored();
    const [ana] = await database.db.select().from(members).where(eq(members.id, reminder!.targetMemberId!));
    expect(ana?.platformUserId).toBe('ana');
    expect(reminder).toMatchObject({ nextAt: new Date('2026-11-28T14:00:00Z'), timeZone: 'America/Lima' });
  });

  it('GIVEN Slack-style "remind me to … <when>" and a recurring time THEN the rule is said in words with its first occurrence', async () => {
    const { ana } = await next();
    expect(await say('remind me to plan the week every monday 9:00', ana)).toBe(
      'I\'ll remind you every Monday at 09:00 (UTC), first on Mon, Nov 30, 09:00: plan the week\nReminder #1; `remind cancel 1` cancels it.',
    );
    expect(await say('recuérdame todos los días hábiles a las 8 revisar el correo', as('ana', { platformLocale: 'es' }))).toBe(
      'Te lo recordaré de lunes a viernes a las 08:00 (UTC), la primera vez el lun, 30 nov, 08:00: revisar el correo\nRecordatorio #2; `recordatorio cancelar 2` lo cancela.',
    );
    const [weekly, workdays] = await stored();
    expect(weekly).toMatchObject({ recurrence: { kind: 'weekly', days: [1], time: { hour: 9, minute: 0 } }, nextAt: new Date('2026-11-30T09:00:00Z') });
    expect(workdays).toMatchObject({ recurrence: { kind: 'weekly', days: [1, 2, 3, 4, 5], time: { hour: 8, minute: 0 } } });
    expect(await jobsOf(weekly!.id)).toHaveLength(1);
  });

  it('GIVEN an organization THEN the reminder is for its members, in the alliance zone; an unknown one is refused', async () => {
    const { coord, ana } = await next();
    await say('timezone alliance America/Bogota', coord);
    await say('org add fdh Fundación Derechos', coord);
    await say('org join fdh', ana);
    expect(await say('remind org:fdh Dec 5 10:00 Bring the banners', ana)).toBe(
      'I\'ll remind each member of Fundación Derechos (org:fdh) on Sat, Dec 5, 10:00 (America/Bogota): Bring the banners\nReminder #1; `remind cancel 1` cancels it.',
    );
    const [reminder] = await stored();
    expect(reminder).toMatchObject({ targetKind: 'organization', nextAt: new Date('2026-12-05T15:00:00Z'), timeZone: 'America/Bogota' });
    expect(reminder!.targetOrganizationId).not.toBeNull();
    expect(await say('remind org:nope tomorrow 9am X', ana)).toBe('There is no organization org:nope in this alliance. `org list` shows them.');
  });

  it('GIVEN #channel THEN on the console it is that channel; on Slack only a channel Slack vouched for', async () => {
    const { ana } = await next();
    expect(await say('remind #general tomorrow 10:00 Assembly', ana)).toMatch(/^I'll remind #general on Sat, Nov 28, 10:00 \(UTC\): Assembly/);
    expect((await stored())[0]!.targetConversation).toBe(`console:rw-${workspace}:general`);

    const slack = requester({ platform: 'slack', workspaceId: `T-rw-${workspace}`, userId: 'U0ANA', userName: 'ana', channelId: 'C0HERE' });
    expect(await say('remind <#C0FAKE|secret> tomorrow 10:00 Leak', slack)).toBe(
      'I could not confirm which channel #secret is: pick it from the list that appears as you type #, or use `here` for this channel.',
    );
    const vouched = { ...slack, channels: [{ id: 'C0GEN', name: 'general' }] };
    expect(await say('remind #general tomorrow 10:00 Assembly', vouched)).toMatch(/^I'll remind #general on Sat, Nov 28, 10:00/);
    expect(await say('remind here tomorrow 11:00 Stand-up', slack)).toMatch(/^I'll remind this channel on Sat, Nov 28, 11:00/);
    const conversations = (await database.db.select().from(reminders).where(eq(reminders.targetKind, 'channel'))).map((row) => row.targetConversation);
    expect(conversations).toEqual(expect.arrayContaining([`slack:T-rw-${workspace}:C0GEN`, `slack:T-rw-${workspace}:C0HERE`]));
  });

  it('GIVEN "here" with no channel, a member Slack did not vouch for, or a time that passed THEN each is refused', async () => {
    const { ana } = await next();
    expect(await say('remind here in 5 minutes X', as('ana', { channelId: undefined }))).toBe('I can\'t tell which channel this is: name it with #channel.');
    const slack = requester({ platform: 'slack', workspaceId: `T-rw-${workspace}`, userId: 'U0ANA', userName: 'ana' });
    expect(await say('remind <@U0BOSS|boss> in 5 minutes X', slack)).toMatch(/^I could not confirm who @boss is/);
    expect(await say('remind me today at 9 Call', ana)).toBe('That time (Fri, Nov 27, 09:00, UTC) has already passed.');
    expect(await say('recuérdame ayer llamar', as('ana', { platformLocale: 'es' }))).toMatch(/^Ese momento \(jue, 26 nov, 09:00, UTC\) ya pasó\.$/);
    expect(await stored()).toEqual([]);
  });

  it('GIVEN a structured command THEN its time and text are checked as typed ones are', async () => {
    const { ana } = await next();
    const command = (when: string, reminderText: string): Command => ({ kind: 'reminder.create', target: { kind: 'me' }, when, text: reminderText });
    expect(text(await core.handleCommand(command('someday', 'Call'), ana))).toBe(
      '"someday" is not a time I understand. For example: `in 10 minutes`, `tomorrow 9am`, `friday 15:00`, `Dec 5 at 18:30`, `2026-12-01 18:00` or `tonight`.',
    );
    expect(text(await core.handleCommand(command('in 1 hour', ' '), ana))).toMatch(/^Of what should I remind\?/);
    expect(text(await core.handleCommand(command('in 1 hour', 'x'.repeat(1001)), ana))).toBe('That reminder has 1001 characters; the most is 1000.');
    expect(await stored()).toEqual([]);
  });

  it('GIVEN reminders set by and for several members THEN each lists theirs and those they set; a coordinator all', async () => {
    const { coord, ana, bob } = await next();
    await say('org add fdh Fundación Derechos', coord);
    await say('org join fdh', ana);
    await say('remind me in 3 hours Ana for herself', ana);
    await say('remind @ana in 1 hour Bob for Ana', bob);
    await say('remind me in 2 hours Bob for himself', bob);
    await say('remind org:fdh in 4 hours Coord for the org', coord);
    await say('remind here every day at 18:00 Coord for the channel', coord);
    expect(await say('remind list', ana)).toBe(
      [
        'Reminders',
        '#2 Fri, Nov 27, 13:00 (UTC) · for you: Bob for Ana · set by @bob',
        '#1 Fri, Nov 27, 15:00 (UTC) · for you: Ana for herself',
        '#4 Fri, Nov 27, 16:00 (UTC) · for each member of Fundación Derechos (org:fdh): Coord for the org · set by @coord',
      ].join('\n'),
    );
    expect(await say('recordatorios', as('bob', { platformLocale: 'es' }))).toBe(
      ['Recordatorios', '#2 vie, 27 nov, 13:00 (UTC) · para @ana: Bob for Ana', '#3 vie, 27 nov, 14:00 (UTC) · para ti: Bob for himself'].join('\n'),
    );
    const all = await say('reminders', coord);
    expect(all.split('\n')).toEqual([
      'Reminders',
      '#2 Fri, Nov 27, 13:00 (UTC) · for @ana: Bob for Ana · set by @bob',
      '#3 Fri, Nov 27, 14:00 (UTC) · for @bob: Bob for himself · set by @bob',
      '#1 Fri, Nov 27, 15:00 (UTC) · for @ana: Ana for herself · set by @ana',
      '#4 Fri, Nov 27, 16:00 (UTC) · for each member of Fundación Derechos (org:fdh): Coord for the org',
      '#5 Fri, Nov 27, 18:00 (UTC), then every day at 18:00 · for this channel: Coord for the channel',
    ]);
  });

  it('GIVEN a cancel THEN only its setter, its member or a coordinator may, once; the row is cancelled with no next time', async () => {
    const { coord, ana, bob } = await next();
    await say('remind @ana in 1 hour First', bob);
    await say('remind me in 1 hour Second', bob);
    await say('remind me in 1 hour Third', bob);
    expect(await say('remind cancel 2', ana)).toBe('Only whoever set the reminder, the member it is for, or a coordinator may do that.');
    expect(await say('remind cancel 1', ana)).toBe('Reminder #1 cancelled: First');
    expect(await say('recordatorio cancelar 2', as('bob', { platformLocale: 'es' }))).toBe('Recordatorio #2 cancelado: Second');
    expect(await say('remind cancel 3', coord)).toBe('Reminder #3 cancelled: Third');
    expect(await say('remind cancel 3', coord)).toBe('Reminder #3 is already done or cancelled.');
    expect(await say('remind cancel 9', coord)).toBe('There is no reminder #9 in this alliance.');
    const rows = await stored();
    expect(rows.map((row) => [row.status, row.nextAt])).toEqual([
      ['cancelled', null],
      ['cancelled', null],
      ['cancelled', null],
    ]);
    // The queued occurrence stays; when it runs it finds the reminder cancelled and sends nothing.
    expect(await jobsOf(rows[0]!.id)).toHaveLength(1);
    expect(await say('remind list', coord)).toBe('Reminders\nNo reminders. Set one with `remind me tomorrow 9am Call the partners`.');
  });

  it('GIVEN reminders in two alliances THEN neither sees, nor cancels, the other\'s', async () => {
    const { ana } = await next();
    await say('remind me in 1 hour Mine', ana);
    const { coord: other } = await next();
    expect(await say('remind cancel 1', other)).toBe('There is no reminder #1 in this alliance.');
    expect(await say('remind list', other)).toMatch(/No reminders/);
  });

  it('GIVEN a member who chooses a zone THEN it wins over what the platform reports, until they go back to it', async () => {
    await next();
    const reported = (zone: string) => as('ana', { platform: 'slack', workspaceId: `T-rw-${workspace}`, timeZone: zone });
    expect(await say('timezone', reported('Europe/Madrid'))).toBe(
      'Your time zone is Europe/Madrid (as your platform reports it); the alliance\'s is UTC. Choose yours with `timezone America/Lima`.',
    );
    expect(await say('timezone america/lima', reported('Europe/Madrid'))).toBe('Done: your time zone is America/Lima. It is Fri, Nov 27, 07:00 there.');
    // Slack reports Madrid again on the next command: the member's choice stays.
    expect(await say('timezone', reported('Europe/Madrid'))).toMatch(/^Your time zone is America\/Lima \(your choice\)/);
    expect(await say('remind me tomorrow 9am Call', reported('Europe/Madrid'))).toMatch(/on Sat, Nov 28, 09:00 \(America\/Lima\)/);
    const [row] = await database.db.select().from(members).where(and(eq(members.platformUserId, 'ana'), eq(members.timeZone, 'Europe/Madrid')));
    expect(row).toMatchObject({ timeZone: 'Europe/Madrid', chosenTimeZone: 'America/Lima' });
    expect(await say('timezone auto', reported('Europe/Madrid'))).toBe(
      'Done: your time zone is Europe/Madrid again (as your platform reports it). It is Fri, Nov 27, 13:00 there.',
    );
  });

  it('GIVEN a Discord member, who has no zone from the platform THEN theirs is the alliance\'s, which a coordinator sets', async () => {
    await next();
    const discord = (userId: string, extra = {}) => requester({ platform: 'discord', workspaceId: `G-rw-${workspace}`, userId, userName: userId, ...extra });
    const coord = discord('coord', { isAdmin: true });
    const ana = discord('ana', { platformLocale: 'es-ES' });
    await say('help', coord);
    expect(await say('zona horaria', ana)).toBe(
      'Tu zona horaria es UTC (la de la alianza); la de la alianza es UTC. Elige la tuya con `zona horaria America/Lima`.',
    );
    expect(await say('timezone alliance America/Bogota', ana)).toBe('Solo una persona de la coordinación puede hacer eso.');
    const set = await core.handleText('zona horaria alianza America/Bogota', { ...coord, platformLocale: 'es' });
    expect(set.visibility).toBe('public');
    expect(text(set)).toBe('Listo: la zona horaria de la alianza es America/Bogota. Allí ahora es vie, 27 nov, 07:00.');
    expect(await say('zona horaria', ana)).toMatch(/^Tu zona horaria es America\/Bogota \(la de la alianza\)/);
  });

  it('GIVEN a zone that does not exist THEN it is refused with examples, in the member\'s language', async () => {
    const { coord } = await next();
    expect(await say('timezone Mars/Olympus', coord)).toBe(
      '"Mars/Olympus" is not a time zone I know. Use a name such as `America/Lima`, `America/Bogota`, `America/Mexico_City`, `Europe/Madrid` or `UTC`.',
    );
    expect(await say('zona horaria alianza +05:00', as('coord', { platformLocale: 'es' }))).toMatch(/^«\+05:00» no es una zona horaria que conozca/);
    expect(await say('timezone alliance auto', coord)).toMatch(/^"auto" is not a time zone I know/);
  });
});
