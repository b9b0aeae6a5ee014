// Shared resources end to end through the core, on PGlite and on the real server: share, full-text search in Spanish and English (accents and plurals), tags, removal rules, history.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyEvents, resources } from '../db/schema.js';
import { gatherWeek } from '../src/digest-week.js';
import { resourceMatch } from '../src/resources.js';
import { createTestCore, requester, text, type TestCore } from './support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from './support/databases.js';

describe.each(databaseTargets())('resources on %s', (kind) => {
  let database: TestDatabase;
  let core: TestCore;
  let workspace = 0;
  const as = (userId: string, extra: Parameters<typeof requester>[0] = {}) =>
    requester({ workspaceId: `res-${workspace}`, userId, userName: userId, ...extra });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    core = createTestCore(database.db);
  });
  afterAll(() => database.close());

  /** A new workspace whose first visitor, "coord", coordinates, with a few resources shared in both languages. */
  const next = async () => {
    workspace += 1;
    const people = { coord: as('coord'), ana: as('ana'), bob: as('bob'), rosa: as('rosa', { platformLocale: 'es' }) };
    await core.handleText('help', people.coord);
    return people;
  };
  const seed = async (who: ReturnType<typeof as>) => {
    for (const line of [
      'share https://redes.example.org/guias/fortalecimiento-organizaciones "Guía de fortalecimiento de organizaciones comunitarias" #Fortalecimiento #Organización',
      'compartir https://example.org/toolkit/campaigns Digital campaigning toolkit for small NGOs #campaigns #digital',
      'share https://example.org/reports/water-rights Water rights litigation: lessons learned #agua #litigio',
      'share https://example.org/es/mujeres-lideres Experiencias de mujeres líderes en la defensa del territorio #genero',
    ]) {
      const reply = await core.handleText(line, who);
      expect(reply.error, text(reply)).toBeUndefined();
    }
  };
  const numbersOf = (reply: Awaited<ReturnType<TestCore['handleText']>>) => reply.lines.filter((line) => line.text.startsWith('#')).map((line) => Number(/^#(\d+)/.exec(line.text)?.[1]));

  it('GIVEN a link, a title and tags THEN it is shared for the channel, numbered, tags lower case without accents, and recorded', async () => {
    const { ana } = await next();
    const shared = await core.handleText('share <https://example.org/guide> "Advocacy guide" #Incidencia #Género #incidencia', ana);
    expect(shared.visibility).toBe('public');
    expect(text(shared)).toBe('Resource #1 shared: Advocacy guide\nLink: https://example.org/guide\nTags: #incidencia #genero');
    const es = await core.handleText('compartir https://example.org/b Segunda guía', as('rosa', { platformLocale: 'es' }));
    expect(text(es)).toBe('Recurso #2 compartido: Segunda guía\nEnlace: https://example.org/b');
    const [row] = await database.db.select().from(resources).where(eq(resources.url, 'https://example.org/guide'));
    expect(row?.tags).toEqual(['incidencia', 'genero']);
    expect(row?.searchText).toBe('advocacy guide incidencia genero example org guide');
    const events = await database.db.select().from(historyEvents).where(and(eq(historyEvents.allianceId, row!.allianceId), eq(historyEvents.subject, 'resource:1')));
    expect(events.map((event) => [event.action, event.actorName, event.details])).toEqual([
      ['history.resource.shared', 'ana', { number: 1, title: 'Advocacy guide', url: 'https://example.org/guide' }],
    ]);
  });

  it.each([
    ['share', 'What should I share? Start with its link, for example `share https://example.org/guide "Advocacy guide" #advocacy`.'],
    ['share javascript:alert(1) Evil', '“javascript:alert(1)” is not a web link. Links start with http:// or https://.'],
    ['share ftp://example.org/file Old', '“ftp://example.org/file” is not a web link. Links start with http:// or https://.'],
    ['share example.org Bare', '“example.org” is not a web link. Links start with http:// or https://.'],
    ['share https://example.org #only-tags', 'Give the resource a title after its link, for example `share https://example.org/guide "Advocacy guide"`.'],
    [`share https://example.org ${'x'.repeat(201)}`, 'That title has 201 characters; the most is 200.'],
    [`share https://example.org/${'a'.repeat(2000)} Long`, 'That link is too long; the most is 2000 characters.'],
    ['share https://example.org Title #a+b', '“#a+b” is not a tag. Tags are one word after #, such as #advocacy or #gender-equity.'],
    ['resource remove', 'Which resource? Give its number, for example `resource remove 3`.'],
    ['export', 'Export what? Say `export tasks`, `export polls`, `export resources` or `export members`.'],
    ['export everything', 'I cannot export “everything”. Say `export tasks`, `export polls`, `export resources` or `export members`.'],
  ])('GIVEN `%s` THEN it is refused: %s', async (line, error) => {
    await next();
    const reply = await core.handleText(line, as('coord'));
    expect(reply.error).toBe(true);
    expect(text(reply)).toBe(error);
  });

  it('GIVEN resources in both languages THEN `organización` finds `organizaciones`, in title or tags, and plurals meet singulars', async () => {
    const { ana, rosa } = await next();
    await seed(ana);
    expect(numbersOf(await core.handleText('resources organización', ana))).toEqual([1]);
    expect(numbersOf(await core.handleText('recursos organizaciones comunitarias', rosa))).toEqual([1]);
    expect(numbersOf(await core.handleText('recursos guias', rosa))).toEqual([1]);
    // English stems: "campaign" finds "campaigning" and the tag "campaigns"; "lesson" finds "lessons".
    expect(numbersOf(await core.handleText('resources campaign', ana))).toEqual([2]);
    expect(numbersOf(await core.handleText('resources lesson', ana))).toEqual([3]);
    // Spanish stems, accents typed or not: "líder" finds "líderes", "mujer" finds "mujeres".
    expect(numbersOf(await core.handleText('recursos lider mujer', rosa))).toEqual([4]);
    expect(numbersOf(await core.handleText('recursos líderes', rosa))).toEqual([4]);
    // The url's words count too.
    expect(numbersOf(await core.handleText('resources redes', ana))).toEqual([1]);
    // Either word: websearch syntax.
    expect(numbersOf(await core.handleText('resources water or territorio', ana)).sort()).toEqual([3, 4]);
    const none = await core.handleText('resources unicorn', ana);
    expect(text(none)).toBe('Resources for unicorn\nNo resource matches that. Try other words, or `resources` alone for the newest.');
  });

  it('GIVEN tags THEN `#tag` filters by tag, accents folded, with words or without', async () => {
    const { ana, rosa } = await next();
    await seed(ana);
    expect(numbersOf(await core.handleText('resources #organización', ana))).toEqual([1]);
    expect(numbersOf(await core.handleText('recursos #ORGANIZACION guía', rosa))).toEqual([1]);
    expect(numbersOf(await core.handleText('recursos #organizacion agua', rosa))).toEqual([]);
    expect(numbersOf(await core.handleText('resources #digital', ana))).toEqual([2]);
  });

  it('GIVEN no words THEN the newest come first, ten at most, the rest counted; better matches rank first', async () => {
    const { ana } = await next();
    for (let i = 1; i <= 12; i += 1) await core.handleText(`share https://example.org/${i} Guide number ${i}${i === 5 ? ' about guide writing guides' : ''}`, ana);
    const newest = await core.handleText('resources', ana);
    expect(newest.heading).toBe('Newest resources');
    expect(numbersOf(newest)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3]);
    expect(newest.more).toBe('…and 2 more');
    expect(newest.lines[0]?.text).toBe('#12 Guide number 12 · https://example.org/12 · @ana');
    const ranked = await core.handleText('resources guide', ana);
    expect(numbersOf(ranked)[0]).toBe(5);
    expect(ranked.more).toBe('…and 2 more');
  });

  it('GIVEN an empty alliance THEN `resources` says how to share the first', async () => {
    const { ana } = await next();
    expect(text(await core.handleText('recursos', as('rosa', { platformLocale: 'es' })))).toBe(
      'Recursos más recientes\nTodavía no se ha compartido nada. Comparte el primero con `compartir <enlace> <título> #etiqueta`.',
    );
    expect(text(await core.handleText('resources', ana))).toContain('Nothing has been shared yet.');
  });

  it('GIVEN a resource THEN only its sharer or a coordinator removes it, and the removal is recorded', async () => {
    const { coord, ana, bob } = await next();
    await core.handleText('share https://example.org/a First #x', ana);
    await core.handleText('share https://example.org/b Second', ana);
    const refused = await core.handleText('resource remove 1', bob);
    expect(text(refused)).toBe('Only whoever shared it or a coordinator may do that.');
    expect(text(await core.handleText('resource remove 1', ana))).toBe('Resource #1 removed: First');
    expect(text(await core.handleText('recurso quitar #2', coord))).toBe('Resource #2 removed: Second');
    expect(text(await core.handleText('resource remove 2', coord))).toBe('There is no resource #2 in this alliance.');
    const [row] = await database.db.select().from(historyEvents).where(and(eq(historyEvents.subject, 'resource:2'), eq(historyEvents.action, 'history.resource.removed')));
    expect(row?.actorName).toBe('coord');
    // Numbers are never reused: the next one is #3.
    expect(text(await core.handleText('share https://example.org/c Third', ana))).toContain('Resource #3 shared');
  });

  it('GIVEN a search THEN Postgres can answer it from the full-text index', async () => {
    const plan = await database.db.transaction(async (tx) => {
      // Few rows make a sequential scan cheaper; forbidding it shows whether the index could serve the query at all.
      await tx.execute(sql`set local enable_seqscan = off`);
      const result = await tx.execute(sql`explain select id from ${resources} where ${resourceMatch('organizacion')}`);
      return JSON.stringify(result);
    });
    expect(plan).toContain('resources_search');
  });

  it('GIVEN resources shared this week and one removed THEN the week\'s digest lists those still there, oldest first, with their sharer', async () => {
    const { ana, coord } = await next();
    await core.handleText('share https://example.org/one "First guide" #Agua', ana);
    await core.handleText('share https://example.org/two Second', coord);
    await core.handleText('share https://example.org/three Third', ana);
    await core.handleText('resource remove 3', ana);
    const [row] = await database.db.select().from(resources).where(eq(resources.url, 'https://example.org/one'));
    // Rows are stamped by the database's clock: the digest is gathered a minute after them, and a week later.
    const week = await gatherWeek(database.db, row!.allianceId, new Date(Date.now() + 60_000), 'UTC');
    expect(week.newResources).toEqual({
      items: [
        { number: 1, title: 'First guide', url: 'https://example.org/one', tags: ['agua'], sharedBy: '@ana' },
        { number: 2, title: 'Second', url: 'https://example.org/two', tags: [], sharedBy: '@coord' },
      ],
      total: 2,
    });
    const later = await gatherWeek(database.db, row!.allianceId, new Date(Date.now() + 8 * 86_400_000), 'UTC');
    expect(later.newResources).toEqual({ items: [], total: 0 });
  });

  it('GIVEN two alliances THEN each searches and removes only its own', async () => {
    const { ana } = await next();
    await core.handleText('share https://example.org/mine Mine #ours', ana);
    const other = await next();
    expect(text(await core.handleText('resources #ours', other.ana))).toContain('No resource matches that.');
    expect(text(await core.handleText('resource remove 1', other.coord))).toBe('There is no resource #1 in this alliance.');
  });
});
