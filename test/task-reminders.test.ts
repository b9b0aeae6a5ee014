// Reminders of task due dates: 09:00 in each assignee's zone the day before and on the day, kept in step with the task, switched per alliance.
import { and, eq, isNotNull } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { members, reminders, tasks } from '../db/schema.js';
import { replyTexts } from '../src/reply.js';
import { syncMemberTaskReminders, taskReminderTimes } from '../src/task-reminders.js';
import { FIXED_NOW, requester, text } from './support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from './support/databases.js';
import { pollRig, type PollRig } from './support/polls.js';
import { memberRow } from './support/reminders.js';

describe('taskReminderTimes', () => {
  it('GIVEN a due date and a zone THEN 09:00 there the day before and on the day', () => {
    expect(taskReminderTimes('2026-12-01', 'America/Bogota', FIXED_NOW)).toEqual([new Date('2026-11-30T14:00:00Z'), new Date('2026-12-01T14:00:00Z')]);
    expect(taskReminderTimes('2026-12-01', 'Europe/Madrid', FIXED_NOW)).toEqual([new Date('2026-11-30T08:00:00Z'), new Date('2026-12-01T08:00:00Z')]);
  });
  it('GIVEN the clocks go back between the two days THEN each is 09:00 on its own day\'s clock', () => {
    expect(taskReminderTimes('2026-10-25', 'Europe/Madrid', new Date('2026-10-01T00:00:00Z'))).toEqual([
      new Date('2026-10-24T07:00:00Z'),
      new Date('2026-10-25T08:00:00Z'),
    ]);
  });
  it('GIVEN one or both times already passed THEN only what is still to come', () => {
    expect(taskReminderTimes('2026-11-28', 'UTC', FIXED_NOW)).toEqual([new Date('2026-11-28T09:00:00Z')]);
    expect(taskReminderTimes('2026-11-27', 'UTC', FIXED_NOW)).toEqual([]);
  });
});

describe.each(databaseTargets())('task due reminders on %s', (kind) => {
  let database: TestDatabase;
  let rig: PollRig;
  let count = 0;
  let workspace = '';
  const as = (userId: string, extra: Parameters<typeof requester>[0] = {}) => requester({ workspaceId: workspace, userId, userName: userId, ...extra });
  /** A new alliance coordinated by carla; rosa reads Spanish in Bogotá, bob English in Madrid, both in org ong-verde. */
  const next = async () => {
    workspace = `tr-${(count += 1)}`;
    rig = pollRig(database.db);
    await rig.core.handleText('help', as('carla'));
    await rig.core.handleText('help', as('rosa', { platformLocale: 'es-419', timeZone: 'America/Bogota' }));
    await rig.core.handleText('help', as('bob', { timeZone: 'Europe/Madrid' }));
    await rig.core.handleText('org add ong-verde ONG Verde', as('carla'));
    for (const who of ['rosa', 'bob']) await rig.core.handleText('org join ong-verde', as(who));
  };
  const command = async (line: string, who = 'carla') => text(await rig.core.handleText(line, as(who)));
  /** Ticks at each time a task reminder is due, in order, until `end`: what each member heard, when (sorted). */
  const runUntil = async (end: Date) => {
    const heard: [string, string, string][] = [];
    // A reminder's second time appears once its first has run, so the next one is looked up after every tick.
    for (let guard = 0; guard < 20; guard++) {
      const [row] = await database.db
        .select({ at: reminders.nextAt })
        .from(reminders)
        .where(and(eq(reminders.status, 'active'), isNotNull(reminders.nextAt), isNotNull(reminders.taskId)))
        .orderBy(reminders.nextAt)
        .limit(1);
      if (!row || row.at!.getTime() > end.getTime()) break;
      const before = rig.delivery.directs.length;
      rig.clock.now = row.at!;
      await rig.scheduler.tick();
      for (const sent of rig.delivery.directs.slice(before)) heard.push([row.at!.toISOString(), sent.userId, replyTexts(sent.reply).join('\n')]);
    }
    return heard.sort((a, b) => a[0].localeCompare(b[0]) || a[2].localeCompare(b[2]));
  };
  const activeFor = async (title: string) => {
    const rows = await database.db
      .select({ nextAt: reminders.nextAt, timeZone: reminders.timeZone, createdBy: reminders.createdBy, targetKind: reminders.targetKind })
      .from(reminders)
      .innerJoin(tasks, eq(tasks.id, reminders.taskId))
      .where(and(eq(tasks.title, title), eq(reminders.status, 'active')))
      .orderBy(reminders.nextAt);
    return rows;
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterEach(async () => {
    await database.db.update(reminders).set({ status: 'cancelled', nextAt: null }).where(eq(reminders.status, 'active'));
  });
  afterAll(() => database.close());

  it('GIVEN tasks for a member and for an organization THEN each assignee hears at 09:00 their time the day before and on the day, in their language, and no more', async () => {
    await next();
    expect(await command('task add Print flyers @rosa due 2026-12-01')).toMatch(/^Task #1 added/);
    expect(await command('task add Call the press org:ong-verde due 2026-11-30')).toMatch(/^Task #2 added/);
    expect(await activeFor('Print flyers')).toEqual([{ nextAt: new Date('2026-11-30T14:00:00Z'), timeZone: 'America/Bogota', createdBy: null, targetKind: 'member' }]);

    expect(await runUntil(new Date('2026-12-31T00:00:00Z'))).toEqual([
      ['2026-11-29T08:00:00.000Z', 'bob', 'Task #2 is due tomorrow: Call the press'],
      ['2026-11-29T14:00:00.000Z', 'rosa', 'La tarea #2 vence mañana: Call the press'],
      ['2026-11-30T08:00:00.000Z', 'bob', 'Task #2 is due today: Call the press'],
      ['2026-11-30T14:00:00.000Z', 'rosa', 'La tarea #1 vence mañana: Print flyers'],
      ['2026-11-30T14:00:00.000Z', 'rosa', 'La tarea #2 vence hoy: Call the press'],
      ['2026-12-01T14:00:00.000Z', 'rosa', 'La tarea #1 vence hoy: Print flyers'],
    ]);
    expect(await activeFor('Print flyers')).toEqual([]);
  });

  it('GIVEN a task done, reassigned, reopened or deleted THEN its reminders follow at once', async () => {
    await next();
    await command('task add Book the hall @bob due 2026-12-01');
    expect((await activeFor('Book the hall')).map((row) => row.nextAt)).toEqual([new Date('2026-11-30T08:00:00Z')]);
    await command('task assign 1 @rosa');
    expect((await activeFor('Book the hall')).map((row) => [row.nextAt, row.timeZone])).toEqual([[new Date('2026-11-30T14:00:00Z'), 'America/Bogota']]);
    await command('task done 1', 'rosa');
    expect(await activeFor('Book the hall')).toEqual([]);
    await command('task reopen 1');
    expect(await activeFor('Book the hall')).toHaveLength(1);
    await command('task delete 1');
    expect(await runUntil(new Date('2026-12-31T00:00:00Z'))).toEqual([]);
  });

  it('GIVEN a member joins an organization with a task due THEN they hear about it too', async () => {
    await next();
    await command('task add Paint the banner org:ong-verde due 2026-12-01');
    await rig.core.handleText('help', as('lucia', { timeZone: 'America/Lima' }));
    await command('org join ong-verde', 'lucia');
    expect((await activeFor('Paint the banner')).map((row) => row.timeZone).sort()).toEqual(['America/Bogota', 'America/Lima', 'Europe/Madrid']);
  });

  it('GIVEN a member\'s time zone changes THEN the reminders of their tasks and their organizations\' tasks move to 09:00 in the new zone', async () => {
    await next();
    await command('task add Print flyers @bob due 2026-12-01');
    await command('task add Call the press org:ong-verde due 2026-12-01');
    const bob = await memberRow(database.db, 'console', workspace, 'bob');
    await database.db.transaction(async (tx) => {
      await tx.update(members).set({ timeZone: 'America/Lima' }).where(eq(members.id, bob.id));
      await syncMemberTaskReminders(tx, bob.id, FIXED_NOW);
    });
    expect((await activeFor('Print flyers')).map((row) => [row.nextAt, row.timeZone])).toEqual([[new Date('2026-11-30T14:00:00Z'), 'America/Lima']]);
    expect((await activeFor('Call the press')).map((row) => row.timeZone).sort()).toEqual(['America/Bogota', 'America/Lima']);
  });

  it('GIVEN a member chooses a time zone, or a coordinator the alliance\'s, THEN their task reminders move to 09:00 there at once', async () => {
    await next();
    await command('task add Print flyers @bob due 2026-12-01');
    await command('task add Plan the march @carla due 2026-12-01');
    await command('timezone America/Lima', 'bob');
    expect((await activeFor('Print flyers')).map((row) => [row.nextAt, row.timeZone])).toEqual([[new Date('2026-11-30T14:00:00Z'), 'America/Lima']]);
    // carla has no zone of her own: hers is the alliance's.
    await command('timezone alliance America/Santiago');
    expect((await activeFor('Plan the march')).map((row) => [row.nextAt, row.timeZone])).toEqual([[new Date('2026-11-30T12:00:00Z'), 'America/Santiago']]);
  });

  it('GIVEN a coordinator switches task reminders off THEN nobody hears about due dates until they switch them on again', async () => {
    await next();
    expect(await command('task reminders')).toMatch(/^Assignees hear about due dates at 09:00/);
    await command('task add Print flyers @bob due 2026-12-01');
    expect(await command('task reminders off', 'bob')).toMatch(/^Only a coordinator/);
    expect(await command('task reminders off')).toBe('Done: assignees will no longer hear about due dates.');
    expect(await activeFor('Print flyers')).toEqual([]);
    await command('task add Hang posters @bob due 2026-12-01');
    expect(await activeFor('Hang posters')).toEqual([]);
    expect(await command('tarea recordatorios', 'rosa')).toMatch(/^Quienes tienen tareas asignadas no reciben avisos/);
    expect(await runUntil(new Date('2026-12-31T00:00:00Z'))).toEqual([]);

    rig.clock.now = FIXED_NOW;
    expect(await command('tarea recordatorios activar')).toBe('Done: assignees will hear about due dates at 09:00 their time, the day before and on the day.');
    expect((await activeFor('Print flyers')).map((row) => row.nextAt)).toEqual([new Date('2026-11-30T08:00:00Z')]);
    expect((await activeFor('Hang posters')).map((row) => row.nextAt)).toEqual([new Date('2026-11-30T08:00:00Z')]);
  });
});
