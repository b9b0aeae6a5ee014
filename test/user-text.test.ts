// Text from people and platforms in the core: control characters never reach the database or fail a command, on any path; a mention names only someone the platform vouched for.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alliances, members, organizations, pollOptions, polls, tasks, workspaces } from '../db/schema.js';
import type { Command } from '../src/commands/command.js';
import type { Requester } from '../src/identity.js';
import type { Reply } from '../src/reply.js';
import { cleanStrings, cleanText } from '../src/user-text.js';
import { createTestCore, requester, text, type TestCore } from './support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from './support/databases.js';

/** A NUL, a bell, a carriage return, DEL, a C1 control, the bidi overrides and isolates, and half a surrogate pair. */
const NASTY = ['\u0000', '\u0007', '\r', '\u007f', '\u0085', '\u202a', '\u202e', '\u2066', '\u2069', '\ud800'];
const dirty = (word: string) => [...word].map((char, i) => char + (NASTY[i % NASTY.length] === '\ud800' ? '' : NASTY[i % NASTY.length]!)).join('');

describe('cleanText', () => {
  it('GIVEN control characters and bidi overrides THEN they are removed; tab, line feed, marks and emoji joiners stay', () => {
    expect(cleanText('a\u0000b\u0007c\rd\u007fe\u0085f\u202eg\u2066h\u2069i')).toBe('abcdefghi');
    expect(cleanText('tab\there\nline \u200e mark 👩‍👩‍👧')).toBe('tab\there\nline \u200e mark 👩‍👩‍👧');
  });

  it('GIVEN half a surrogate pair THEN it becomes a replacement character; whole pairs stay', () => {
    expect(cleanText('a\ud800b\udc00c🌱')).toBe('a\ufffdb\ufffdc🌱');
  });

  it('GIVEN a command THEN every string in it is cleaned and nothing else changes', () => {
    const command: Command = { kind: 'poll.create', pollKind: 'choice', question: 'Q\u0000?', options: ['A\u202e', 'B'], maxChoices: 2, anonymous: true, hideResults: false };
    expect(cleanStrings(command)).toEqual({ ...command, question: 'Q?', options: ['A', 'B'] });
  });
});

describe.each(databaseTargets())('text from people and platforms on %s', (kind) => {
  let database: TestDatabase;
  let core: TestCore;
  let workspace = 0;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    core = createTestCore(database.db);
  });
  afterAll(() => database.close());

  /** A new workspace whose coordinator has met Minga, on the console or a platform. */
  const next = async (extra: Partial<Requester> = {}) => {
    workspace += 1;
    const as = (userId: string, more: Partial<Requester> = {}) => requester({ workspaceId: `ws-${workspace}`, userId, userName: userId, ...extra, ...more });
    await core.handleText('help', as('coord'));
    return as;
  };

  /** No reply was an apology for an internal failure, and the log holds none. */
  const noFailure = (replies: Reply[]) => {
    for (const reply of replies) expect(text(reply)).not.toContain('something went wrong');
    expect(core.logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
  };

  /** Every text column people fill, as stored: none may hold a control character, an override or half a character. */
  const storedTexts = async () => [
    ...(await database.db.select({ text: tasks.title }).from(tasks)),
    ...(await database.db.select({ text: polls.question }).from(polls)),
    ...(await database.db.select({ text: pollOptions.label }).from(pollOptions)),
    ...(await database.db.select({ text: organizations.name }).from(organizations)),
    ...(await database.db.select({ text: members.displayName }).from(members)),
    ...(await database.db.select({ text: alliances.name }).from(alliances)),
    ...(await database.db.select({ text: workspaces.name }).from(workspaces)),
  ].map((row) => row.text ?? '');

  it('GIVEN control characters in typed commands THEN they are stripped, and a title of nothing else is the user\'s error', async () => {
    const as = await next();
    const coord = as('coord');
    const replies = [
      await core.handleText(`task add ${dirty('Buy banners')}`, coord),
      await core.handleText('task add \u0000\u202e', coord),
      await core.handleText(`org add red ${dirty('Red de huertas')}`, coord),
      await core.handleText(`poll "${dirty('Where?')}" "${dirty('Lima')}" "Cusco" --closes ${dirty('tomorrow')}`, coord),
      await core.handleText(`vote 1 "${dirty('Lima')}"`, coord),
      await core.handleText(`lang ${dirty('es')}`, coord),
    ];
    noFailure(replies);
    expect(text(replies[0]!)).toContain('Task #1 added: Buy banners');
    expect(text(replies[1]!)).toBe('A task needs a title: `task add <title>`.');
    expect(text(replies[4]!)).toBe('Your vote on #1: Lima.');
    expect(text(replies[5]!)).toBe('Listo: te responderé en español.');
    for (const stored of await storedTexts()) expect(stored).toBe(cleanText(stored));
  });

  it('GIVEN control characters in commands built by adapters, forms, buttons and autocomplete THEN none fails and none is stored', async () => {
    const as = await next({ platform: 'discord', workspaceName: dirty('Alianza'), userName: dirty('Coord') });
    const coord = as('coord');
    const commands: Command[] = [
      { kind: 'task.add', title: dirty('Print flyers'), dueOn: dirty('tomorrow') },
      { kind: 'org.add', slug: dirty('fdh'), name: dirty('Fundación') },
      { kind: 'poll.create', pollKind: 'choice', question: dirty('When?'), options: [dirty('Monday'), dirty('Friday')], maxChoices: 1, anonymous: false, hideResults: false, closes: dirty('in 2 hours') },
      { kind: 'poll.vote', poll: { number: 1 }, choices: [{ label: dirty('Friday') }] },
    ];
    const replies: Reply[] = [];
    for (const command of commands) replies.push(await core.handleCommand(command, coord));
    replies.push(
      await core.handleForm('task.add', { title: dirty('Book the room'), due: dirty('2026-12-04') }, coord),
      await core.handleForm('poll.create', { question: dirty('Motto?'), options: `${dirty('Agua')}\n${dirty('Tierra')}`, closes: dirty('friday') }, coord),
      await core.handleAction('task.done', '1\u0000', coord),
      await core.handleAction('poll.vote\u0000', '1-1', coord),
    );
    expect(text(replies[3]!)).toBe('Your vote on #1: Friday.');
    noFailure(replies);
    expect(await core.suggestTasks(coord, dirty('Print'))).toMatchObject([{ title: 'Print flyers' }]);
    expect(await core.suggestPolls(coord, dirty('When'))).toMatchObject([{ question: 'When?' }]);
    noFailure([]);
    for (const stored of await storedTexts()) expect(stored).toBe(cleanText(stored));
  });

  it('GIVEN a Slack mention no one vouched for THEN no member is made and the person is told, in their language', async () => {
    const as = await next({ platform: 'slack' });
    await core.handleText('task add Write the minutes', as('coord'));
    const refused = await core.handleText('task assign 1 <@U999|boss>', as('coord'));
    expect(refused.error).toBe(true);
    expect(text(refused)).toBe('I could not confirm who @boss is: name a member by picking them from the list that appears as you type.');
    const spanish = await core.handleText('tarea nueva Pagar <@U999>', as('rosa', { platformLocale: 'es-419' }));
    expect(text(spanish)).toBe('No pude confirmar quién es @U999: nombra a alguien eligiéndolo de la lista que aparece mientras escribes.');
    expect(text(await core.handleText('org add red Red', as('coord')))).toContain('Red');
    expect(text(await core.handleText('org join red <@U999|boss>', as('coord')))).toContain('I could not confirm who @boss is');
    expect(await database.db.select().from(members).where(eq(members.platformUserId, 'U999'))).toEqual([]);
    expect(await database.db.select().from(members).where(eq(members.platformUserId, 'boss'))).toEqual([]);
    noFailure([]);
  });

  it('GIVEN a mention the platform vouched for THEN it names that person, under the name the platform gives', async () => {
    const as = await next({ platform: 'slack' });
    const vouched = [{ userId: 'U0REAL', name: 'real' }];
    await core.handleText('task add Write the minutes', as('coord'));
    expect(text(await core.handleText('task assign 1 <@U0REAL|boss>', as('coord', { vouched })))).toBe('Task #1 assigned to @real: Write the minutes');
    const discord = await next({ platform: 'discord' });
    await core.handleCommand({ kind: 'org.add', slug: 'red', name: 'Red' }, discord('coord'));
    const joining = { kind: 'org.join' as const, slug: 'red', member: { userId: '42', name: 'Forged' } };
    expect(text(await core.handleCommand(joining, discord('coord')))).toContain('I could not confirm who @Forged is');
    expect(text(await core.handleCommand(joining, discord('coord', { vouched: [{ userId: '42', name: 'Lucía' }] })))).toBe('@Lucía now belongs to Red.');
  });

  it('GIVEN the console THEN a name is the person: there is no platform to vouch', async () => {
    const as = await next();
    await core.handleText('task add Write the letter', as('coord'));
    expect(text(await core.handleText('task assign 1 @maria', as('coord')))).toBe('Task #1 assigned to @maria: Write the letter');
  });
});
