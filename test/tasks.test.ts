// Tasks end to end through the core handler, on PGlite and on the real server: every command, permissions, isolation between alliances, and no half-written state.
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allianceCounters, alliances, members, organizations, tasks } from '../db/schema.js';
import { createTestCore, requester, text, type TestCore } from './support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from './support/databases.js';

describe.each(databaseTargets())('tasks on %s', (kind) => {
  let database: TestDatabase;
  let core: TestCore;
  // Each test uses its own workspace, so tests don't depend on one another's tasks.
  let workspace = 0;
  const as = (userId: string, extra: Parameters<typeof requester>[0] = {}) =>
    requester({ workspaceId: `ws-${workspace}`, userId, userName: userId, ...extra });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    core = createTestCore(database.db);
  });
  afterAll(() => database.close());

  /** A new workspace whose first visitor, and so its coordinator, is "coord". */
  const next = async () => {
    workspace += 1;
    await core.handleText('help', as('coord'));
    return { coordinator: as('coord'), ana: as('ana'), bob: as('bob') };
  };

  it('GIVEN a new workspace THEN its first member coordinates and tasks number from #1', async () => {
    const { coordinator } = await next();
    const first = await core.handleText('task add Buy banners for the march due 2026-12-01', coordinator);
    expect(first.visibility).toBe('public');
    expect(text(first)).toBe('Task #1 added: Buy banners for the march\nAssigned to: nobody yet\nDue: Tue, Dec 1');
    const second = await core.handleText('tarea nueva Imprimir volantes @ana', coordinator);
    expect(text(second)).toContain('Task #2 added: Imprimir volantes');
    expect(text(second)).toContain('Assigned to: @ana');
    const [member] = await database.db.select().from(members).where(eq(members.platformUserId, 'coord'));
    expect(member?.role).toBe('coordinator');
  });

  it('GIVEN open tasks THEN the list shows them with a Done button each, carrying only the task id', async () => {
    const { coordinator, ana } = await next();
    await core.handleText('task add One due 2026-12-01', coordinator);
    await core.handleText('task add Two @ana', coordinator);
    await core.handleText('task add Three', coordinator);
    await core.handleText('task done 3', coordinator);
    const list = await core.handleText('task list', ana);
    expect(list.visibility).toBe('ephemeral');
    expect(list.heading).toBe('Open tasks');
    expect(list.lines.map((line) => line.text)).toEqual(['#1 One · due Tue, Dec 1', '#2 Two · @ana']);
    expect(list.lines.every((line) => line.button?.action === 'task.done' && /^\d+$/.test(line.button.value))).toBe(true);
    const all = await core.handleText('tareas todas', ana);
    expect(all.lines.map((line) => line.text)).toContain('#3 Three · done');
    const mine = await core.handleText('task list mine', ana);
    expect(mine.lines.map((line) => line.text)).toEqual(['#2 Two · @ana']);
  });

  describe('due dates in words', () => {
    // Wednesday 25 November 2026, 10:00 in Bogotá (UTC-5) and 16:00 in Madrid; "next friday" is the 27th.
    let clock = new Date('2026-11-25T15:00:00Z');
    let dated: TestCore;
    beforeAll(() => {
      dated = createTestCore(database.db, { now: () => clock });
    });
    const inBogota = (userId: string) => as(userId, { timeZone: 'America/Bogota' });
    /** This workspace's tasks as stored: title, due day and assigned organization. */
    const stored = async () =>
      database.db
        .select({ title: tasks.title, dueOn: tasks.dueOn, organization: organizations.slug })
        .from(tasks)
        .innerJoin(alliances, eq(alliances.id, tasks.allianceId))
        .leftJoin(organizations, eq(organizations.id, tasks.assigneeOrganizationId))
        .where(eq(alliances.name, `ws-${workspace}`))
        .orderBy(tasks.number);

    it('GIVEN `task add Print flyers org:ong-verde due next friday` THEN the task is "Print flyers", for org ong-verde, due Friday the 27th', async () => {
      clock = new Date('2026-11-25T15:00:00Z');
      const { coordinator } = await next();
      await dated.handleText('org add ong-verde ONG Verde', coordinator);
      const added = await dated.handleText('task add Print flyers org:ong-verde due next friday', inBogota('coord'));
      expect(text(added)).toBe('Task #1 added: Print flyers\nAssigned to: ONG Verde\nDue: Fri, Nov 27');
      await dated.handleText('tarea nueva Imprimir volantes vence "el 5 de diciembre" org:ong-verde', inBogota('coord'));
      await dated.handleText('tarea nueva Comprar pancartas para la marcha', inBogota('coord'));
      expect(await stored()).toEqual([
        { title: 'Print flyers', dueOn: '2026-11-27', organization: 'ong-verde' },
        { title: 'Imprimir volantes', dueOn: '2026-12-05', organization: 'ong-verde' },
        { title: 'Comprar pancartas para la marcha', dueOn: null, organization: null },
      ]);
    });

    it('GIVEN "due tomorrow" at 22:30 in Bogotá, already Thursday in Madrid THEN each member gets the day after their own today', async () => {
      clock = new Date('2026-11-26T03:30:00Z');
      await next();
      await dated.handleText('task add Call the press due tomorrow', inBogota('ana'));
      await dated.handleText('task add Book the room due tomorrow', as('bob', { timeZone: 'Europe/Madrid' }));
      expect(await stored()).toEqual([
        { title: 'Call the press', dueOn: '2026-11-26', organization: null },
        { title: 'Book the room', dueOn: '2026-11-27', organization: null },
      ]);
    });

    it('GIVEN due words that name no day THEN the member gets examples in their language, and no task is made', async () => {
      clock = new Date('2026-11-25T15:00:00Z');
      const { coordinator } = await next();
      expect(text(await dated.handleText('task add Print flyers due next week', coordinator))).toBe(
        '"next week" is not a time I understand. For example: `tomorrow`, `friday`, `Dec 5`, `2026-12-15` or `end of month`.',
      );
      expect(text(await dated.handleText('tarea nueva Imprimir volantes vence pronto', as('ana', { platformLocale: 'es' })))).toBe(
        '«pronto» no es un momento que entienda. Por ejemplo: `mañana`, `el viernes`, `5 de diciembre`, `2026-12-15` o `a fin de mes`.',
      );
      expect(await stored()).toEqual([]);
    });

    it('GIVEN a due date from a form or Discord options THEN it is read like typed text', async () => {
      clock = new Date('2026-11-25T15:00:00Z');
      const { coordinator } = await next();
      await dated.handleCommand({ kind: 'task.add', title: 'From Discord', dueOn: 'el próximo viernes' }, inBogota('coord'));
      await dated.handleForm('task.add', { title: 'From Slack', due: '2026-12-04' }, inBogota('coord'));
      expect(text(await dated.handleCommand({ kind: 'task.add', title: 'Too vague', dueOn: 'someday' }, coordinator))).toMatch(/^"someday" is not a time I understand/);
      expect(text(await dated.handleCommand({ kind: 'task.add', title: 'Too late', dueOn: 'yesterday' }, coordinator))).toBe('2026-11-24 has already passed.');
      expect(await stored()).toEqual([
        { title: 'From Discord', dueOn: '2026-11-27', organization: null },
        { title: 'From Slack', dueOn: '2026-12-04', organization: null },
      ]);
    });
  });

  it('GIVEN a task due before today THEN it is overdue', async () => {
    const { coordinator } = await next();
    await core.handleText('task add Old', coordinator);
    await database.db.update(tasks).set({ dueOn: '2026-11-20' }).where(eq(tasks.title, 'Old'));
    const overdue = await core.handleText('task list overdue', coordinator);
    expect(overdue.lines.map((line) => line.text)).toEqual(['#1 Old · overdue since Fri, Nov 20']);
  });

  it('GIVEN done, reopen, assign and delete THEN each changes the task and says so', async () => {
    const { coordinator } = await next();
    await core.handleText('task add Write the letter', coordinator);
    expect(text(await core.handleText('task done 1', coordinator))).toBe('Task #1 done: Write the letter');
    expect(text(await core.handleText('task done 1', coordinator))).toBe('Task #1 is already done.');
    expect(text(await core.handleText('tarea reabrir 1', coordinator))).toBe('Task #1 reopened: Write the letter');
    expect(text(await core.handleText('task reopen 1', coordinator))).toBe('Task #1 is already open.');
    expect(text(await core.handleText('task assign 1 <@U99|maria>', coordinator))).toBe('Task #1 assigned to @maria: Write the letter');
    expect(text(await core.handleText('task delete 1', coordinator))).toBe('Task #1 deleted: Write the letter');
    expect(text(await core.handleText('task done 1', coordinator))).toBe('There is no task #1 in this alliance.');
  });

  it('GIVEN organizations THEN tasks can be assigned to them and members see them as theirs', async () => {
    const { coordinator, ana } = await next();
    expect(text(await core.handleText('org add fdh Fundación Derechos', coordinator))).toContain('Fundación Derechos');
    expect(text(await core.handleText('org add fdh Again', coordinator))).toBe('The alliance already has an organization org:fdh.');
    expect(text(await core.handleText('org add red Red', ana))).toBe('Only a coordinator may do that.');
    await core.handleText('org join fdh', ana);
    await core.handleText('task add Banners org:fdh', coordinator);
    expect(text(await core.handleText('task add Other org:nope', coordinator))).toBe(
      'There is no organization org:nope in this alliance. `org list` shows them.',
    );
    expect((await core.handleText('tareas mías', ana)).lines.map((line) => line.text)).toEqual(['#1 Banners · Fundación Derechos']);
    expect(text(await core.handleText('org list', ana))).toContain('Fundación Derechos (org:fdh), 1 people');
  });

  it('GIVEN a structured org.add (Discord options, forms) THEN the same rules as typed text apply', async () => {
    const { coordinator } = await next();
    expect(text(await core.handleCommand({ kind: 'org.add', slug: 'Bad Slug!', name: 'X' }, coordinator))).toContain("can't be an organization's short name");
    expect(text(await core.handleCommand({ kind: 'org.add', slug: 'ok', name: '   ' }, coordinator))).toBe('Give the organization a name: `org add <slug> <name>`.');
    expect(text(await core.handleCommand({ kind: 'org.add', slug: 'Org:RED', name: ' Red ' }, coordinator))).toBe('Organization Red added. Assign tasks to it with org:red.');
  });

  it('GIVEN a member who did not create a task THEN only its creator or a coordinator may delete it', async () => {
    const { coordinator, ana, bob } = await next();
    await core.handleText('task add Mine', ana);
    expect(text(await core.handleText('task delete 1', bob))).toBe("Only the task's creator or a coordinator may do that.");
    expect(text(await core.handleText('tarea borrar 1', as('bob', { platformLocale: 'es-ES' })))).toBe(
      'Solo quien creó la tarea o una persona de la coordinación puede hacer eso.',
    );
    expect(text(await core.handleText('task delete 1', coordinator))).toBe('Task #1 deleted: Mine');
  });

  it('GIVEN two alliances THEN neither can see or change the other\'s tasks, by number or by a forged button id', async () => {
    const { coordinator } = await next();
    await core.handleText('task add Secret plan', coordinator);
    const [secret] = await database.db.select().from(tasks).where(eq(tasks.title, 'Secret plan'));
    const { coordinator: stranger } = await next();
    expect(text(await core.handleText('task list all', stranger))).not.toContain('Secret');
    expect(text(await core.handleText('task done 1', stranger))).toBe('There is no task #1 in this alliance.');
    const forged = await core.handleAction('task.done', String(secret!.id), stranger);
    expect(forged.error).toBe(true);
    expect((await core.handleAction('task.done', 'DROP TABLE', stranger)).error).toBe(true);
    const [after] = await database.db.select().from(tasks).where(eq(tasks.id, secret!.id));
    expect(after?.status).toBe('open');
  });

  it('GIVEN an unknown button action THEN nothing changes', async () => {
    const { coordinator } = await next();
    await core.handleText('task add Keep me', coordinator);
    await core.handleText('task done 1', coordinator);
    const [task] = await database.db.select().from(tasks).where(eq(tasks.title, 'Keep me'));
    expect((await core.handleAction('task.explode', String(task!.id), coordinator)).error).toBe(true);
    expect((await core.handleAction('__proto__', String(task!.id), coordinator)).error).toBe(true);
    const [after] = await database.db.select().from(tasks).where(eq(tasks.id, task!.id));
    expect(after?.status).toBe('done');
  });

  it('GIVEN open tasks THEN suggestions match a number prefix or part of a title, in this alliance only', async () => {
    const { coordinator } = await next();
    for (const title of ['Banners', 'Press release', 'Budget 100%', 'Call Ana']) await core.handleText(`task add ${title}`, coordinator);
    await core.handleText('task done 4', coordinator);
    expect(await core.suggestTasks(coordinator, '')).toEqual([
      { number: 1, title: 'Banners' },
      { number: 2, title: 'Press release' },
      { number: 3, title: 'Budget 100%' },
    ]);
    expect(await core.suggestTasks(coordinator, '#2')).toEqual([{ number: 2, title: 'Press release' }]);
    expect(await core.suggestTasks(coordinator, 'RELEASE')).toEqual([{ number: 2, title: 'Press release' }]);
    expect(await core.suggestTasks(coordinator, '100%')).toEqual([{ number: 3, title: 'Budget 100%' }]);
    const { coordinator: stranger } = await next();
    expect(await core.suggestTasks(stranger, 'Banners')).toEqual([]);
  });

  it('GIVEN a Done click on its own task THEN the task is done', async () => {
    const { coordinator, ana } = await next();
    await core.handleText('task add Click me', coordinator);
    const list = await core.handleText('task list', ana);
    const reply = await core.handleAction('task.done', list.lines[0]!.button!.value, ana);
    expect(text(reply)).toBe('Task #1 done: Click me');
  });

  it('GIVEN a command that fails half-way THEN nothing it wrote stays: no task, no number used, no new member', async () => {
    const { coordinator } = await next();
    await core.handleText('task add First', coordinator);
    // The mention would create member "newbie", then the unknown organization fails the command.
    const failed = await core.handleText('task assign 1 org:missing', as('newbie'));
    expect(failed.error).toBe(true);
    const newbies = await database.db.select().from(members).where(eq(members.platformUserId, 'newbie'));
    expect(newbies).toHaveLength(0);
    await core.handleText('task add "" due tomorrow', coordinator);
    const [alliance] = await database.db.select({ id: alliances.id }).from(alliances).where(eq(alliances.name, `ws-${workspace}`));
    const [counter] = await database.db.select().from(allianceCounters).where(eq(allianceCounters.allianceId, alliance!.id));
    expect(counter?.last).toBe(1);
    expect(text(await core.handleText('task add Second', coordinator))).toContain('Task #2 added');
  });

  it('GIVEN an internal failure THEN the user gets an apology with a reference that is in the log', async () => {
    const { coordinator } = await next();
    const broken = createTestCore({ ...database.db, transaction: () => Promise.reject(new Error('disk on fire')) } as never);
    // A change: a known member's list is one read and needs no transaction.
    const reply = await broken.handleText('task add Banners', coordinator);
    const ref = /reference[^:]*: ([0-9a-f]{8})/.exec(text(reply))?.[1];
    expect(reply.error).toBe(true);
    expect(ref).toBeDefined();
    expect(broken.logs).toContainEqual(expect.objectContaining({ ref, msg: 'command failed', level: 50 }));
  });

  it('GIVEN language commands THEN members choose their own and coordinators the alliance\'s', async () => {
    const { coordinator, ana } = await next();
    expect(text(await core.handleText('idioma es', ana))).toBe('Listo: te responderé en español.');
    expect(text(await core.handleText('task add Hola', ana))).toContain('Tarea #1 creada: Hola');
    expect(text(await core.handleText('lang alliance es', ana))).toBe('Solo una persona de la coordinación puede hacer eso.');
    expect(text(await core.handleText('lang alliance es', coordinator))).toBe('Listo: la alianza ahora publica en español.');
    // The coordinator chose nothing for themself, so the alliance's language now reaches them too.
    expect(text(await core.handleText('lang', coordinator))).toBe('Te respondo en español. La alianza publica en español.');
    expect(text(await core.handleText('lang', as('eve', { platformLocale: 'en-US' })))).toBe(
      'I answer you in English. The alliance posts in Spanish.',
    );
  });

  it('GIVEN any text a person might type THEN the core answers and never throws', async () => {
    const { coordinator } = await next();
    const inputs = ['', ' ', '\u0000', '🎉🎉', 'task add ' + '💥'.repeat(300), "task add '; drop table tasks; --", 'task done 2147483647', 'org add -- x'];
    for (const input of inputs) {
      const reply = await core.handleText(input, coordinator);
      expect(reply.lines.length).toBeGreaterThan(0);
    }
    const [{ n } = { n: 0 }] = await database.db.select({ n: count() }).from(tasks);
    expect(n).toBeGreaterThanOrEqual(1);
  });
});
