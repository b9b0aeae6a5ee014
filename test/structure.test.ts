// The alliance's structure and history end to end through the core, on PGlite and on the real server: alliance, org show/leave/rename/remove, history pages and filters, and what history never holds.
import { and, count, desc, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyEvents, members, workspaces } from '../db/schema.js';
import type { Requester } from '../src/identity.js';
import { formatMoment } from '../src/time/zones.js';
import { createTestCore, requester, text, type TestCore } from './support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from './support/databases.js';

describe.each(databaseTargets())('the alliance\'s structure and history on %s', (kind) => {
  let database: TestDatabase;
  let core: TestCore;
  let workspace = 0;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    core = createTestCore(database.db);
  });
  afterAll(() => database.close());

  /** A fresh alliance named "Red <n>": its console workspace, coordinated by Coord, with Ana and Bob. */
  async function alliance() {
    workspace += 1;
    const here = (userId: string, extra: Partial<Requester> = {}) =>
      requester({ workspaceId: `structure-${workspace}`, workspaceName: `Red ${workspace}`, userId, userName: userId, channelId: 'general', ...extra });
    const coord = here('Coord');
    await core.handleText('help', coord);
    const [home] = await database.db.select().from(workspaces).where(eq(workspaces.externalId, `structure-${workspace}`));
    const events = async () => (await database.db.select({ n: count() }).from(historyEvents).where(eq(historyEvents.allianceId, home!.allianceId)))[0]!.n;
    return { coord, ana: here('Ana'), bob: here('Bob'), allianceId: home!.allianceId, name: `Red ${workspace}`, events };
  }

  it('GIVEN an alliance with a linked Discord server and one that left THEN `alliance` shows its name, organizations, coordinators and workspaces with their platform, and its defaults', async () => {
    const { coord, allianceId, name } = await alliance();
    await database.db.insert(workspaces).values([
      { allianceId, platform: 'discord', externalId: `guild-s${workspace}`, name: 'Huerteros' },
      { allianceId, platform: 'slack', externalId: `gone-s${workspace}`, name: 'Gone', unlinkedAt: new Date() },
    ]);
    await core.handleText('help', { platform: 'discord', workspaceId: `guild-s${workspace}`, userId: 'd1', userName: 'Dana', isAdmin: true });
    await core.handleText('org add huertas Huertas Unidas', coord);
    await core.handleText('timezone alliance America/Lima', coord);
    expect(text(await core.handleText('alliance', coord))).toBe(
      [
        `Alliance ${name}`,
        'Language: English · time zone: America/Lima',
        'Organizations',
        'Huertas Unidas (org:huertas), 0 people',
        'Coordinators',
        'Coord (console)',
        'Dana (Discord)',
        'Linked workspaces',
        `${name} (console)`,
        'Huerteros (Discord)',
      ].join('\n'),
    );
    expect(text(await core.handleText('alianza renombrar "Red Andina"', coord))).toBe('Done: the alliance is now called Red Andina.');
    expect(text(await core.handleText('alianza', requester({ workspaceId: `structure-${workspace}`, userId: 'Ana', platformLocale: 'es' })))).toContain('Alianza Red Andina\nIdioma: inglés · zona horaria: America/Lima');
  });

  it('GIVEN an organization THEN `org show` lists its members, open tasks, and open polls with its turnout, never split on an anonymous poll', async () => {
    const { coord, ana, bob } = await alliance();
    await core.handleText('org add huertas Huertas Unidas', coord);
    await core.handleText('org join huertas', ana);
    await core.handleText('org join huertas', bob);
    await core.handleText('task add Riego org:huertas due 2026-12-02', coord);
    await core.handleText('task add Compost org:huertas', coord);
    await core.handleText('task done 2', coord);
    await core.handleText('poll "Which day?" "Friday" "Saturday"', coord);
    await core.handleText('poll "Secret?" "Yes" "No" --anon', coord);
    await core.handleText('vote 1 1', ana);
    await core.handleText('vote 2 1', ana);
    expect(text(await core.handleText('org show huertas', coord))).toBe(
      [
        'Huertas Unidas (org:huertas)',
        'Members (2)',
        'Ana (console)',
        'Bob (console)',
        'Open tasks assigned to it',
        '#1 Riego · due Wed, Dec 2',
        'Open polls, with how many of its members voted',
        '#1 Which day? · 1 of its 2 members voted',
        '#2 Secret? · anonymous: turnout not shown by organization',
      ].join('\n'),
    );
    const missing = await core.handleText('org show nadie', coord);
    expect(text(missing)).toBe('There is no organization org:nadie in this alliance. `org list` shows them.');
  });

  it('GIVEN open tasks assigned to an organization THEN `org remove` refuses, naming them; once done it removes it', async () => {
    const { coord } = await alliance();
    await core.handleText('org add huertas Huertas Unidas', coord);
    await core.handleText('task add Riego org:huertas', coord);
    await core.handleText('task add Other', coord);
    await core.handleText('task add Compost org:huertas', coord);
    const refused = await core.handleText('org remove huertas', coord);
    expect(refused.error).toBe(true);
    expect(text(refused)).toBe('Huertas Unidas still has open tasks assigned to it: #1, #3. Finish them or assign them elsewhere first.');
    expect(text(await core.handleText('org quitar huertas', { ...coord, platformLocale: 'es' }))).toBe(
      'Huertas Unidas todavía tiene tareas abiertas asignadas: #1, #3. Termínalas o asígnalas a otra persona u organización primero.',
    );
    await core.handleText('task done 1', coord);
    await core.handleText('task assign 3 @Coord', coord);
    expect(text(await core.handleText('org remove huertas', coord))).toBe('Organization Huertas Unidas (org:huertas) removed.');
    expect(text(await core.handleText('org list', coord))).toContain('No organizations yet.');
  });

  it('GIVEN `org leave` without a slug THEN it leaves the one organization, or asks which, or says there is none', async () => {
    const { coord, ana } = await alliance();
    await core.handleText('org add huertas Huertas Unidas', coord);
    await core.handleText('org add semillas Semillas', coord);
    expect(text(await core.handleText('org leave', ana))).toBe('@Ana belongs to no organization.');
    await core.handleText('org join huertas', ana);
    await core.handleText('org join semillas', ana);
    expect(text(await core.handleText('org leave', ana))).toBe('Which one? You belong to org:huertas, org:semillas: `org leave <slug>`.');
    expect(text(await core.handleText('org leave semillas', ana))).toBe('@Ana no longer belongs to Semillas.');
    expect(text(await core.handleText('org salir', ana))).toBe('@Ana no longer belongs to Huertas Unidas.');
    expect(text(await core.handleText('org leave huertas', ana))).toBe('@Ana does not belong to Huertas Unidas.');
  });

  it('GIVEN a renamed organization THEN its slug stays and its history tells both names', async () => {
    const { coord } = await alliance();
    await core.handleText('org add huertas Huertas', coord);
    expect(text(await core.handleText('org rename huertas "Huertas del Sur"', coord))).toBe('Done: org:huertas is now called Huertas del Sur (was Huertas).');
    const history = await core.handleText('history org huertas', coord);
    expect(history.heading).toBe('History of org:huertas');
    expect(history.lines.map((line) => line.text.split(' · ').slice(1).join(' · '))).toEqual([
      'Coord (console) · renamed org:huertas from Huertas to Huertas del Sur',
      'Coord (console) · added organization Huertas (org:huertas)',
    ]);
  });

  it('GIVEN changes of every kind THEN `history` tells them newest first, who with their platform, in the reader\'s language and zone', async () => {
    const { coord, ana, allianceId } = await alliance();
    await core.handleText('task add Riego', coord);
    await core.handleText('task assign 1 @Ana', coord);
    await core.handleText('task done 1', ana);
    await core.handleText('task reopen 1', ana);
    await core.handleText('poll "Which day?" "Friday" "Saturday"', ana);
    await core.handleText('vote 1 2', ana);
    await core.handleText('poll close 1', ana);
    await core.handleText('lang alliance es', coord);
    await core.handleText('task delete 1', coord);
    const reply = await core.handleText('history', { ...ana, platformLocale: 'en', timeZone: 'America/Lima' });
    const [newest] = await database.db.select().from(historyEvents).where(eq(historyEvents.allianceId, allianceId)).orderBy(desc(historyEvents.id)).limit(1);
    expect(reply.lines[0]!.text.startsWith(`${formatMoment(newest!.at, 'en', 'America/Lima')} · `)).toBe(true);
    const what = reply.lines.map((line) => line.text.split(' · ').slice(1).join(' · '));
    expect(what).toEqual([
      'Coord (console) · deleted task #1: Riego',
      'Coord (console) · set the alliance\'s language to Spanish',
      'Ana (console) · closed poll #1: Which day?',
      'Ana (console) · started poll #1: Which day?',
      'Ana (console) · reopened task #1: Riego',
      'Ana (console) · marked task #1 done: Riego',
      'Coord (console) · assigned task #1 to @Ana: Riego',
      'Coord (console) · added task #1: Riego',
    ]);
    // A vote is not history: nothing about ballots is recorded, so an anonymous poll's stays anonymous.
    expect(what.join('\n')).not.toMatch(/vot/i);
    const spanish = await core.handleText('historial tarea 1', { ...ana, platformLocale: 'es' });
    expect(spanish.heading).toBe('Historial de la tarea #1');
    expect(spanish.lines.map((line) => line.text.split(' · ').slice(1).join(' · '))).toEqual([
      'Coord (consola) · borró la tarea #1: Riego',
      'Ana (consola) · reabrió la tarea #1: Riego',
      'Ana (consola) · marcó como hecha la tarea #1: Riego',
      'Coord (consola) · asignó la tarea #1 a @Ana: Riego',
      'Coord (consola) · creó la tarea #1: Riego',
    ]);
    expect(text(await core.handleText('history poll 1', coord)).split('\n')).toHaveLength(3);
  });

  it('GIVEN more than 20 changes THEN history shows 20 at a time, and says how to see older ones', async () => {
    const { coord, events } = await alliance();
    for (let n = 1; n <= 23; n++) await core.handleText(`task add Task ${n}`, coord);
    expect(await events()).toBe(23);
    const first = await core.handleText('history', coord);
    expect(first.lines).toHaveLength(20);
    expect(first.lines[0]!.text).toMatch(/added task #23: Task 23$/);
    expect(first.more).toBe('Older entries: `history page 2`');
    const second = await core.handleText('history page 2', coord);
    expect(second.heading).toBe('History of the alliance · page 2');
    expect(second.lines.map((line) => line.text.replace(/^.* · /, ''))).toEqual(['added task #3: Task 3', 'added task #2: Task 2', 'added task #1: Task 1']);
    expect(second.more).toBeUndefined();
    expect(text(await core.handleText('historial pagina 3', { ...coord, platformLocale: 'es' }))).toBe('Historial de la alianza · página 3\nNo hay nada más antiguo.');
    expect(text(await core.handleText('history page 999999999', { ...coord, platformLocale: 'en' }))).toBe('History of the alliance · page 999999999\nNothing older.');
    const spanish = await core.handleText('historial', { ...coord, platformLocale: 'es' });
    expect(spanish.more).toBe('Entradas anteriores: `historial pagina 2`');
  });

  it('GIVEN a recorded change THEN the database refuses to rewrite it, and no command changes history', async () => {
    const { coord, allianceId } = await alliance();
    await core.handleText('task add Riego', coord);
    await expect(database.db.update(historyEvents).set({ action: 'history.task.deleted' }).where(eq(historyEvents.allianceId, allianceId))).rejects.toThrow();
    const [event] = await database.db.select().from(historyEvents).where(and(eq(historyEvents.allianceId, allianceId), isNotNull(historyEvents.memberId)));
    expect(event).toMatchObject({ subject: 'task:1', action: 'history.task.added', platform: 'console', actorName: 'Coord', details: { number: 1, title: 'Riego' } });
    expect((await core.handleText('history delete', coord)).error).toBe(true);
    // Pointing an entry at someone else is a rewrite too; only the database's own ON DELETE SET NULL gets through.
    await expect(database.db.update(historyEvents).set({ memberId: event!.memberId! + 1 }).where(eq(historyEvents.id, event!.id))).rejects.toThrow();
  });

  it('GIVEN a member named in history is deleted THEN the entry stays, with the name it recorded', async () => {
    const { coord, allianceId } = await alliance();
    await core.handleText('task add Riego', coord);
    const [event] = await database.db.select().from(historyEvents).where(and(eq(historyEvents.allianceId, allianceId), isNotNull(historyEvents.memberId)));
    await database.db.delete(members).where(eq(members.id, event!.memberId!));
    const [after] = await database.db.select().from(historyEvents).where(eq(historyEvents.id, event!.id));
    expect(after).toMatchObject({ memberId: null, actorName: 'Coord', action: 'history.task.added' });
  });
});
