// Exports as CSV: the pure renderers GIVEN/THEN (formulas defused, hidden results, anonymity), then `export …` through the core on PGlite and the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFileName, membersCsv, pollsCsv, resourcesCsv, tasksCsv, toCsv, type PollExport } from '../src/render/csv.js';
import { createTestCore, requester, text, type TestCore } from './support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from './support/databases.js';

const AT = new Date('2026-11-27T12:00:00Z');

describe('CSV rendering', () => {
  it('GIVEN cells a spreadsheet would run as formulas THEN they are defused by the neutralizer poll exports use, and quoted as RFC 4180 says', () => {
    expect(toCsv([['=HYPERLINK("http://evil")', '+1', '-2', '@SUM(A1)', 'plain, with comma', 'say "hi"', null, 3]])).toBe(
      `"'=HYPERLINK(""http://evil"")",'+1,'-2,'@SUM(A1),"plain, with comma","say ""hi""",,3\n`,
    );
  });

  it('GIVEN names THEN they go without the chat\'s @, which a spreadsheet would take for a formula', () => {
    expect(membersCsv([{ name: '@ana', platform: 'slack', workspace: 'W', role: 'member', organizations: [], joinedAt: AT }], 'en')).toContain('\nana,slack,');
  });

  it('GIVEN tasks THEN one row each, headers in the reader\'s language, a formula in a title defused', () => {
    const tasks = [
      { number: 1, title: '=cmd|calc', status: 'open' as const, assignee: '@ana', dueOn: '2026-12-01', createdAt: AT, completedAt: null },
      { number: 2, title: 'Print, flyers', status: 'done' as const, assignee: 'Red Norte', dueOn: null, createdAt: AT, completedAt: AT },
    ];
    expect(tasksCsv(tasks, 'en')).toBe(
      'number,title,status,assigned to,due,created,completed\n' +
        "1,'=cmd|calc,open,ana,2026-12-01,2026-11-27T12:00:00.000Z,\n" +
        '2,"Print, flyers",done,Red Norte,,2026-11-27T12:00:00.000Z,2026-11-27T12:00:00.000Z\n',
    );
    expect(tasksCsv(tasks, 'es').split('\n')[0]).toBe('número,título,estado,asignada a,vence,creada,terminada');
  });

  it('GIVEN an open poll hiding its results and an anonymous closed one THEN hidden counts say so, and no voter is ever named', () => {
    const hidden: PollExport = {
      number: 1, kind: 'choice', question: 'Where?', status: 'open', anonymous: false, closesAt: AT, closedAt: null, voters: 2,
      options: [{ position: 1, label: 'Lima', votes: null }, { position: 2, label: '@Quito', votes: null }],
    };
    const anonymous: PollExport = {
      number: 2, kind: 'proposal', question: 'We sign?', status: 'closed', anonymous: true, closesAt: null, closedAt: AT, voters: 3,
      options: [{ position: 1, label: 'Agree', votes: 2 }, { position: 4, label: 'Block', votes: 1 }],
    };
    expect(pollsCsv([hidden, anonymous], 'en')).toBe(
      'poll,kind,question,status,anonymous,closes,closed,voters,option number,option,votes\n' +
        '1,poll,Where?,open,no,2026-11-27T12:00:00.000Z,,2,1,Lima,hidden until it closes\n' +
        "1,poll,Where?,open,no,2026-11-27T12:00:00.000Z,,2,2,'@Quito,hidden until it closes\n" +
        '2,proposal,We sign?,closed,yes,,2026-11-27T12:00:00.000Z,3,1,Agree,2\n' +
        '2,proposal,We sign?,closed,yes,,2026-11-27T12:00:00.000Z,3,4,Block,1\n',
    );
    expect(pollsCsv([hidden], 'es')).toContain('oculto hasta el cierre');
  });

  it('GIVEN resources and members THEN their tables, in both languages', () => {
    expect(resourcesCsv([{ number: 3, url: 'https://example.org/a?x=1,2', title: 'Guía', tags: ['agua', 'genero'], sharedBy: '@rosa', createdAt: AT }], 'es')).toBe(
      'número,título,enlace,etiquetas,compartido por,compartido\n3,Guía,"https://example.org/a?x=1,2",agua genero,rosa,2026-11-27T12:00:00.000Z\n',
    );
    expect(membersCsv([{ name: '@ana', platform: 'discord', workspace: 'Red Sur', role: 'coordinator', organizations: ['Acme', 'Red'], joinedAt: AT }], 'en')).toBe(
      'name,platform,workspace,role,organizations,joined\nana,discord,Red Sur,coordinator,Acme; Red,2026-11-27T12:00:00.000Z\n',
    );
  });

  it('GIVEN an alliance name THEN the file is named by it, what, and the day', () => {
    expect(exportFileName('Alianza por el Agua · Perú', 'tareas', '2026-11-30')).toBe('alianza-por-el-agua-peru-tareas-2026-11-30.csv');
    expect(exportFileName('***', 'tasks', '2026-11-30')).toBe('minga-tasks-2026-11-30.csv');
    expect(exportFileName('../../etc/passwd', 'tasks', '2026-11-30')).toBe('etc-passwd-tasks-2026-11-30.csv');
  });
});

describe.each(databaseTargets())('export on %s', (kind) => {
  let database: TestDatabase;
  let core: TestCore;
  let workspace = 0;
  const as = (userId: string, extra: Parameters<typeof requester>[0] = {}) =>
    requester({ workspaceId: `exp-${workspace}`, userId, userName: userId, ...extra });

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    core = createTestCore(database.db);
  });
  afterAll(() => database.close());

  const next = async () => {
    workspace += 1;
    await core.handleText('help', as('coord'));
    return { coord: as('coord'), ana: as('ana'), bob: as('bob') };
  };

  it('GIVEN a member who does not coordinate THEN every export is refused', async () => {
    const { ana } = await next();
    for (const what of ['tasks', 'polls', 'resources', 'members']) {
      const reply = await core.handleText(`export ${what}`, ana);
      expect(reply.file).toBeUndefined();
      expect(text(reply)).toBe('Only a coordinator may do that.');
    }
  });

  it('GIVEN tasks THEN a coordinator gets them as a CSV file, privately, named by alliance and day', async () => {
    const { coord, ana } = await next();
    await core.handleText('task add =1+1 @ana due 2026-12-01', coord);
    await core.handleText('task add Second', ana);
    await core.handleText('task done 2', ana);
    const reply = await core.handleText('exportar tareas', as('coord', { platformLocale: 'es' }));
    expect(reply.visibility).toBe('ephemeral');
    expect(text(reply)).toBe('Exportación de tareas\n2 filas, en un archivo CSV para hoja de cálculo.');
    expect(reply.file?.mimeType).toBe('text/csv');
    expect(reply.file?.name).toMatch(/^[a-z0-9-]+-tareas-2026-11-27\.csv$/);
    const rows = reply.file!.content.trimEnd().split('\n');
    expect(rows[0]).toBe('número,título,estado,asignada a,vence,creada,terminada');
    expect(rows[1]).toMatch(/^1,'=1\+1,abierta,ana,2026-12-01,/);
    expect(rows[2]).toMatch(/^2,Second,hecha,,,.+,.+$/);
  });

  it('GIVEN polls THEN hidden results stay hidden until close, and anonymous ballots name nobody', async () => {
    const { coord, ana, bob } = await next();
    await core.handleText('poll "Where?" "Lima" "Quito" --hide-results', coord);
    await core.handleText('poll "Secret?" "Yes" "No" --anon', coord);
    await core.handleText('vote 1 Lima', ana);
    await core.handleText('vote 2 Yes', ana);
    await core.handleText('vote 2 No', bob);
    const open = (await core.handleText('export polls', coord)).file!.content;
    expect(open).toContain('1,poll,Where?,open,no,,,1,1,Lima,hidden until it closes\n');
    expect(open).toContain('2,poll,Secret?,open,yes,,,2,1,Yes,1\n');
    expect(open).not.toMatch(/ana|bob/);
    await core.handleText('poll close 1', coord);
    await core.handleText('poll close 2', coord);
    const closed = (await core.handleText('export polls', coord)).file!.content;
    expect(closed).toMatch(/^1,poll,Where\?,closed,no,,[^,]+,1,1,Lima,1$/m);
    expect(closed).toMatch(/^1,poll,Where\?,closed,no,,[^,]+,1,2,Quito,0$/m);
    expect(closed).not.toMatch(/ana|bob/);
  });

  it('GIVEN resources and members THEN each exports its table', async () => {
    const { coord, ana } = await next();
    await core.handleText('org add red-norte Red Norte', coord);
    await core.handleText('org join red-norte', ana);
    await core.handleText('share https://example.org/g "@guide" #agua', ana);
    const resources = (await core.handleText('export resources', coord)).file!;
    expect(resources.name).toMatch(/-resources-2026-11-27\.csv$/);
    expect(resources.content).toMatch(/^number,title,link,tags,shared by,shared\n1,'@guide,https:\/\/example\.org\/g,agua,ana,.+\n$/);
    const people = (await core.handleText('export members', coord)).file!.content.trimEnd().split('\n');
    expect(people.slice(1).map((row) => row.split(',').slice(0, 5).join(','))).toEqual([
      'ana,console,exp-4,member,Red Norte',
      'coord,console,exp-4,coordinator,',
    ]);
  });
});
