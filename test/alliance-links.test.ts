// One alliance across workspaces through the core, on PGlite and on the real server: link codes (once, 10 minutes, 5 wrong tries), join, unlink, home channel, names and @name across platforms.
import { createHash } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allianceLinkCodes, alliances, historyEvents, linkAttempts, members, reminders, tasks, workspaces } from '../db/schema.js';
import type { Requester } from '../src/identity.js';
import type { Reply } from '../src/reply.js';
import { createTestCore, FIXED_NOW, requester, text, type TestCore } from './support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from './support/databases.js';

const CODE = /`([0-9A-Z]{4}(?:-[0-9A-Z]{4}){7})`/;

/** The code in an `alliance link` answer. */
function codeIn(reply: Reply): string {
  const found = CODE.exec(text(reply));
  if (!found) throw new Error(`no code in: ${text(reply)}`);
  return found[1]!;
}

describe.each(databaseTargets())('linked workspaces on %s', (kind) => {
  let database: TestDatabase;
  let core: TestCore;
  let clock = FIXED_NOW;
  let posting: boolean | undefined;
  // Each test links workspaces of its own.
  let n = 0;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    core = createTestCore(database.db, { now: () => clock, canPost: async () => posting });
  });
  afterAll(() => database.close());

  /** A Slack workspace and a Discord server, each with a coordinator who was first there, and some members. */
  const next = async () => {
    n += 1;
    clock = FIXED_NOW;
    const slack = (userId: string, extra: Partial<Requester> = {}) =>
      requester({ platform: 'slack', workspaceId: `T-${n}`, workspaceName: `Slack ${n}`, userId, userName: userId, channelId: 'C0GEN', ...extra });
    const discord = (userId: string, extra: Partial<Requester> = {}) =>
      requester({ platform: 'discord', workspaceId: `G-${n}`, workspaceName: `Discord ${n}`, userId, userName: userId, channelId: '900', ...extra });
    await core.handleText('help', slack('coord'));
    return { slack, discord, slackCoord: slack('coord'), discordAdmin: discord('dadmin', { isAdmin: true }) };
  };
  const say = async (line: string, who: Requester) => text(await core.handleText(line, who));
  const allianceOf = async (platform: string, externalId: string) => {
    const [row] = await database.db
      .select({ id: workspaces.allianceId })
      .from(workspaces)
      .where(and(eq(workspaces.platform, platform), eq(workspaces.externalId, externalId), isNull(workspaces.unlinkedAt)));
    return row?.id;
  };
  /** Slack's coordinator gets a code; Discord's admin joins with it. */
  const link = async (world: Awaited<ReturnType<typeof next>>) => {
    const code = codeIn(await core.handleText('alliance link', world.slackCoord));
    return core.handleText(`alliance join ${code}`, world.discordAdmin);
  };

  it('GIVEN a coordinator\'s `alliance link` THEN only they see a code of 160 bits, and the exact command; only its hash is stored', async () => {
    const { slackCoord } = await next();
    const answer = await core.handleText('alliance link', slackCoord);
    expect(answer.visibility).toBe('ephemeral');
    const code = codeIn(answer);
    expect(text(answer)).toContain(`\`/minga alliance join ${code}\``);
    expect(text(answer)).toContain('10 minutes');
    const stored = await database.db.select().from(allianceLinkCodes).where(eq(allianceLinkCodes.allianceId, (await allianceOf('slack', `T-${n}`))!));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.codeHash).toBe(createHash('sha256').update(code.replaceAll('-', '')).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(code.slice(0, 4) + code.slice(5, 9));
    expect(stored[0]!.expiresAt.getTime() - FIXED_NOW.getTime()).toBe(10 * 60_000);
    const spanish = await core.handleText('alianza vincular', { ...slackCoord, platformLocale: 'es' });
    expect(text(spanish)).toContain('`/minga alianza unirse ');
    expect(codeIn(spanish)).not.toBe(code);
  });

  it('GIVEN a code THEN a Discord admin links the server, the code works once, and both see one task list with platforms beside names', async () => {
    const world = await next();
    const { slack, discord, slackCoord, discordAdmin } = world;
    const code = codeIn(await core.handleText('alliance link', slackCoord));
    const joined = await core.handleText(`alliance join ${code.toLowerCase()}`, discordAdmin);
    expect(joined.visibility).toBe('public');
    expect(text(joined)).toBe('This workspace is now part of the alliance Slack 1'.replace('1', String(n)) + ': tasks, polls, reminders and digests are shared with all its linked workspaces.');
    expect(await allianceOf('discord', `G-${n}`)).toBe(await allianceOf('slack', `T-${n}`));
    // Used: refused to anyone, here the admin of a third server.
    const third = requester({ platform: 'discord', workspaceId: `G3-${n}`, userId: 'other', isAdmin: true });
    expect(await say(`alliance join ${code}`, third)).toMatch(/^That code does not work: .* Attempts left for now: 4\.$/);
    // One alliance: a task added on Discord, for a Discord member, is in Slack's list, with the platform beside the name.
    await core.handleText('task add Print the banner @dani', { ...discordAdmin, vouched: [{ userId: 'dani', name: 'Dani' }] });
    expect((await core.handleText('task list', slack('ana'))).lines.map((line) => line.text)).toEqual(['#1 Print the banner · @Dani (Discord)']);
    // And the admin of the joined server coordinates it, by being an admin (as in their own alliance before).
    expect(await say('task list', discord('dani', { userName: 'Dani' }))).toContain('@Dani (Discord)');
    const [event] = await database.db.select().from(historyEvents).where(eq(historyEvents.action, 'history.alliance.joined')).orderBy(historyEvents.id);
    expect(event).toMatchObject({ platform: 'discord', details: { workspace: `Discord ${n}`, platform: 'Discord' } });
  });

  it('GIVEN a code older than 10 minutes THEN it is refused', async () => {
    const { slackCoord, discordAdmin } = await next();
    const code = codeIn(await core.handleText('alliance link', slackCoord));
    clock = new Date(FIXED_NOW.getTime() + 10 * 60_000);
    expect(await say(`alliance join ${code}`, discordAdmin)).toMatch(/^That code does not work/);
    expect(await allianceOf('discord', `G-${n}`)).not.toBe(await allianceOf('slack', `T-${n}`));
  });

  it('GIVEN 5 wrong codes in 10 minutes THEN the 6th try is refused even with the right code, until the window passes', async () => {
    const { slackCoord, discordAdmin } = await next();
    const code = codeIn(await core.handleText('alliance link', slackCoord));
    for (let i = 0; i < 5; i++) {
      clock = new Date(FIXED_NOW.getTime() + i * 1000);
      expect(await say(`alliance join ${i === 2 ? 'not-a-code' : 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH'}`, discordAdmin)).toContain(`Attempts left for now: ${4 - i}.`);
    }
    expect(await say(`alliance join ${code}`, discordAdmin)).toBe('Too many wrong codes from this workspace (5 in 10 minutes). Try again in 10 min.');
    // The refusal itself is not a new attempt; once the first wrong one is 10 minutes old, a right (new) code works.
    clock = new Date(FIXED_NOW.getTime() + 10 * 60_000 + 500);
    const fresh = codeIn(await core.handleText('alliance link', slackCoord));
    expect(await say(`alliance join ${fresh}`, discordAdmin)).toMatch(/^This workspace is now part of the alliance/);
    const [workspace] = await database.db.select().from(workspaces).where(eq(workspaces.externalId, `G-${n}`));
    expect(await database.db.select().from(linkAttempts).where(eq(linkAttempts.workspaceId, workspace!.id))).toHaveLength(5);
  });

  it('GIVEN roles THEN a member may not get a code, a non-admin may not join, and a coordinator who is no platform admin may not join', async () => {
    const { slack, discord, slackCoord } = await next();
    expect(await say('alliance link', slack('ana'))).toBe('Only a coordinator may do that.');
    const code = codeIn(await core.handleText('alliance link', slackCoord));
    // The first person on a server coordinates its own alliance, but is no Discord admin: joining needs Manage Server.
    expect(await say(`alliance join ${code}`, discord('first'))).toBe(
      'Only an admin of this workspace (on Slack an admin or owner, on Discord someone with Manage Server) may do that.',
    );
    expect(await say(`alliance join ${code}`, discord('member'))).toMatch(/^Only an admin of this workspace/);
    // Not counted as wrong codes: the code still works for the admin.
    expect(await say(`alliance join ${code}`, discord('boss', { isAdmin: true }))).toMatch(/^This workspace is now part of/);
    // Once linked, the server's former first member is an ordinary member of the alliance; its admin coordinates.
    expect(await say('alliance link', discord('first'))).toBe('Only a coordinator may do that.');
    expect(await say('alliance link', discord('boss', { isAdmin: true }))).toMatch(/^One-time code/);
    // A platform admin of a workspace outside the alliance reaches nothing of it: their own code is for their own alliance.
    const outsider = requester({ platform: 'slack', workspaceId: `T-out-${n}`, userId: 'admin', isAdmin: true });
    expect(await say('alliance unlink', outsider)).toBe('This is the alliance\'s only workspace, so it cannot leave it. To link another one, use `alliance link`.');
  });

  it('GIVEN a server with tasks or polls of its own THEN joining is refused with how to export them, and nothing moves', async () => {
    const { slackCoord, discord, discordAdmin } = await next();
    await core.handleText('task add Our own task', discordAdmin);
    await core.handleText('poll "Where?" "Lima" "Cusco"', discord('dadmin', { isAdmin: true }));
    const code = codeIn(await core.handleText('alliance link', slackCoord));
    const refused = await say(`alliance join ${code}`, discordAdmin);
    expect(refused).toMatch(/^This workspace's alliance already has work of its own \(1 tasks, 1 polls, 0 active reminders, 0 resources\)/);
    expect(refused).toContain('`poll export <n>`');
    expect(refused).toContain('`export tasks`');
    expect(await allianceOf('discord', `G-${n}`)).not.toBe(await allianceOf('slack', `T-${n}`));
    // The refusal used nothing up: once the server's own work is gone, the same code links it.
    await core.handleText('task delete 1', discordAdmin);
    await core.handleText('poll delete 1', discordAdmin);
    expect(await say(`alliance join ${code}`, discordAdmin)).toMatch(/^This workspace is now part of/);
  });

  it('GIVEN organizations on the joining server THEN they come along unless the alliance has one of the same slug', async () => {
    const { slackCoord, discordAdmin, discord } = await next();
    await core.handleText('org add red-verde Red Verde', slackCoord);
    await core.handleText('org add red-verde Red Verde de Discord', discordAdmin);
    await core.handleText('org add huertas Huertas', discordAdmin);
    await core.handleText('org join huertas', discord('dani'));
    const code = codeIn(await core.handleText('alliance link', slackCoord));
    expect(await say(`alliance join ${code}`, discordAdmin)).toBe(
      'The alliance you are joining already has organizations with the same short name: org:red-verde. Rename or remove them on one side first.',
    );
    // Only member, organization and settings rows in the server's alliance: an organization is no obstacle.
    const again = requester({ platform: 'discord', workspaceId: `G2-${n}`, userId: 'admin2', isAdmin: true });
    await core.handleText('org add huertas-2 Huertas Dos', again);
    expect(await say(`alliance join ${code}`, again)).toBe(
      `This workspace is now part of the alliance Slack ${n}: tasks, polls, reminders and digests are shared with all its linked workspaces.\nOrganizations that came along: org:huertas-2.`,
    );
    expect(await say('org list', slackCoord)).toContain('Huertas Dos');
  });

  it('GIVEN two joins with one code at once THEN exactly one workspace is linked', async () => {
    const { slackCoord } = await next();
    const code = codeIn(await core.handleText('alliance link', slackCoord));
    const admins = [1, 2, 3].map((i) => requester({ platform: 'discord', workspaceId: `G-race-${n}-${i}`, userId: `a${i}`, isAdmin: true }));
    for (const admin of admins) await core.handleText('help', admin);
    const answers = await Promise.all(admins.map((admin) => say(`alliance join ${code}`, admin)));
    expect(answers.filter((answer) => answer.startsWith('This workspace is now part of'))).toHaveLength(1);
    expect(answers.filter((answer) => answer.startsWith('That code does not work'))).toHaveLength(2);
    const target = await allianceOf('slack', `T-${n}`);
    const linked = await Promise.all(admins.map((_, i) => allianceOf('discord', `G-race-${n}-${i + 1}`)));
    expect(linked.filter((id) => id === target)).toHaveLength(1);
  });

  it('GIVEN a linked server that leaves THEN the alliance keeps its work and history, and the server starts afresh', async () => {
    const world = await next();
    const { slack, discord, slackCoord, discordAdmin } = world;
    await link(world);
    await core.handleText('task add From Discord @dani', { ...discordAdmin, vouched: [{ userId: 'dani', name: 'Dani' }] });
    await core.handleText('org add huertas Huertas', slackCoord);
    await core.handleText('org join huertas', discord('dani'));
    expect(await say('remind <@dani> tomorrow 9:00 Call', { ...discordAdmin, vouched: [{ userId: 'dani', name: 'Dani' }] })).toMatch(/^I'll remind @Dani/);
    expect(await say('remind list', slackCoord)).toContain('@Dani (Discord)');
    await core.handleText('alliance channel', discordAdmin);
    await core.handleText('poll "Which day?" "Friday" "Saturday"', slackCoord);
    const turnout = async () => Number(/Turnout: \d+ of (\d+) members/.exec(await say('poll results 1', slackCoord))?.[1]);
    await core.handleText('help', slack('ana'));
    const everyone = await turnout();
    expect(await say('alliance unlink', discord('dani'))).toBe('Only a coordinator may do that.');
    const left = await core.handleText('alianza desvincular', { ...discordAdmin, platformLocale: 'es' });
    expect(left.visibility).toBe('public');
    expect(text(left)).toBe(`Este espacio dejó la alianza Slack ${n}. La alianza conserva sus tareas, encuestas e historial. Aquí, el próximo comando empieza una alianza nueva.`);
    // The alliance keeps the task, with the name (and platform) of whom it was for; its organization no longer counts them;
    // no reminder goes to them.
    expect((await core.handleText('task list', slack('ana'))).lines.map((line) => line.text)).toEqual(['#1 From Discord · @Dani (Discord)']);
    expect(await say('org list', slackCoord)).toContain('0');
    // Nor does a poll's turnout count them, or `poll remind` ask them: they stay as names in the history only.
    expect(await turnout()).toBe(everyone - 2);
    expect((await database.db.select().from(reminders).where(eq(reminders.text, 'Call'))).map((row) => [row.status, row.nextAt])).toEqual([['cancelled', null]]);
    const events = await database.db.select({ action: historyEvents.action }).from(historyEvents).where(eq(historyEvents.allianceId, (await allianceOf('slack', `T-${n}`))!));
    expect(events.map((event) => event.action)).toEqual(expect.arrayContaining(['history.alliance.joined', 'history.alliance.unlinked']));
    const [gone] = await database.db.select().from(workspaces).where(and(eq(workspaces.externalId, `G-${n}`), isNull(workspaces.unlinkedAt)));
    expect(gone).toBeUndefined();
    const [old] = await database.db.select().from(workspaces).where(eq(workspaces.externalId, `G-${n}`));
    expect(old).toMatchObject({ homeConversation: null, unlinkedAt: FIXED_NOW });
    // The server's next command makes a new alliance, empty, which its first member coordinates.
    expect(await say('task list', discord('dani'))).toBe('Open tasks\nNo tasks here. Add one with `task add <title>`.');
    const fresh = await allianceOf('discord', `G-${n}`);
    expect(fresh).not.toBe(await allianceOf('slack', `T-${n}`));
    expect(await say('alliance link', discord('dani'))).toMatch(/^One-time code/);
    // The last workspace may not leave.
    expect(await say('alliance unlink', slackCoord)).toMatch(/^This is the alliance's only workspace/);
  });

  it('GIVEN a typed @name THEN it finds a member of any linked workspace, and asks which when two share it', async () => {
    const world = await next();
    const { slack, discord, slackCoord } = world;
    await link(world);
    await core.handleText('help', discord('d-ana', { userName: 'Ana María' }));
    // Typed on Slack without picking from the list (Slack knows no Ana): the Discord member of that name.
    expect(await say('task add Call the press @AnaMaria', slackCoord)).toContain('Assigned to: @Ana María (Discord)');
    expect(await say('task add Ghost @Nobody', slackCoord)).toMatch(/^I could not confirm who @Nobody is/);
    await core.handleText('help', slack('U0ANA', { userName: 'Ana.Maria' }));
    expect(await say('task assign 1 @ana_maria', slackCoord)).toBe(
      'Several members are called @ana_maria: @Ana María (Discord), @Ana.Maria (Slack). Pick the one you mean from the list that appears as you type (on Discord, in the `linked` option).',
    );
    // As suggestions write them (see the Discord `linked` option), the platform tells namesakes apart.
    expect(await say('task assign 1 @ana_maria', slackCoord)).toMatch(/^Several/);
    const named = { kind: 'member' as const, member: { userId: 'Ana.Maria (Slack)', name: 'Ana.Maria (Slack)' } };
    expect(text(await core.handleCommand({ kind: 'task.assign', task: { number: 1 }, assignee: named }, slackCoord))).toBe(
      'Task #1 assigned to @Ana.Maria (Slack): Call the press',
    );
    const [task] = await database.db.select().from(tasks).where(eq(tasks.title, 'Call the press'));
    const [assignee] = await database.db.select().from(members).where(eq(members.id, task!.assigneeMemberId!));
    expect(assignee?.platformUserId).toBe('U0ANA');
  });

  it('GIVEN `alliance channel` THEN this workspace\'s home channel is set, here or as named, and the coordinator hears whether Minga can post there', async () => {
    const { slack, slackCoord } = await next();
    posting = undefined;
    const here = await core.handleText('alliance channel', slackCoord);
    expect(here.visibility).toBe('public');
    expect(text(here)).toBe('Home channel of this workspace: #C0GEN. Posts for the whole alliance go there.');
    posting = false;
    const named = await core.handleText('alianza canal #coordinacion', { ...slackCoord, platformLocale: 'es', channels: [{ id: 'C0COORD', name: 'coordinacion' }] });
    expect(named.visibility).toBe('ephemeral');
    expect(text(named)).toBe(
      'Canal principal de este espacio: #coordinacion. Allí llegan las publicaciones para toda la alianza.\nTodavía no estoy en ese canal, así que no puedo publicar allí: invítame con `/invite @Minga`.',
    );
    const [row] = await database.db.select().from(workspaces).where(eq(workspaces.externalId, `T-${n}`));
    expect(row?.homeConversation).toBe(`slack:T-${n}:C0COORD`);
    posting = true;
    const english = { ...slackCoord, platformLocale: 'en' };
    expect(await say('alliance channel', english)).toContain('I can post there.');
    posting = undefined;
    expect(await say('alliance channel #secret', english)).toMatch(/^I could not confirm which channel #secret is/);
    expect(await say('alliance channel', slack('ana'))).toBe('Only a coordinator may do that.');
  });

  it('GIVEN two console workspaces THEN one links the other, and both run as one alliance', async () => {
    n += 1;
    const a = requester({ workspaceId: `ong-a-${n}`, userId: 'local', userName: 'local', channelId: 'main' });
    const b = requester({ workspaceId: `ong-b-${n}`, userId: 'local', userName: 'local', channelId: 'main' });
    await core.handleText('help', b);
    const code = codeIn(await core.handleText('alianza vincular', a));
    expect(await say(`alianza unirse ${code.replaceAll('-', ' ')}`, b)).toMatch(/^This workspace is now part of the alliance ong-a/);
    await core.handleText('task add Shared work @rosa', b);
    expect(await say('task list', a)).toBe('Open tasks\n#1 Shared work · @rosa');
    expect(await say('alliance channel', b)).toBe('Home channel of this workspace: #main. Posts for the whole alliance go there.');
    const [alliance] = await database.db.select().from(alliances).where(eq(alliances.name, `ong-b-${n}`));
    expect(alliance).toBeUndefined();
  });
});
