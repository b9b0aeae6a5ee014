// Who may change what, end to end through the core, on PGlite and on the real server: every rule of the permissions table for a member, its owner (creator, self, target), a coordinator, a platform admin of a workspace linked to the alliance, and one of another workspace.
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alliances, historyEvents, members, workspaces } from '../db/schema.js';
import type { Requester } from '../src/identity.js';
import { PERMISSIONS, type GuardedAction } from '../src/permissions.js';
import { createTestCore, requester, text, type TestCore } from './support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from './support/databases.js';

interface Row {
  action: GuardedAction;
  /** Run by the workspace's coordinator before the command (each role gets a fresh alliance). */
  setup?: string[];
  /** Run by ana before the command: she is then the thing's creator, setter or subject. */
  byAna?: string[];
  command: string;
  /** The command as the member (bob) runs it, when it differs (acting on ana rather than on himself). */
  asMember?: string;
  /** Whether the command records a change in the history (some change nothing shared, e.g. `poll remind`). */
  recorded?: boolean;
  /** Whether ana (creator, setter, self) may too: `creator`, `setterOrTarget` and `self` rules. */
  owner?: boolean;
  /** Whether to try it as the admin of a linked Discord server too (left out where it names a console member). */
  linked?: boolean;
}

const ROWS: Row[] = [
  { action: 'task.add', command: 'task add Banners' },
  { action: 'task.done', setup: ['task add Banners'], command: 'task done 1' },
  { action: 'task.reopen', setup: ['task add Banners', 'task done 1'], command: 'task reopen 1' },
  { action: 'task.assign', setup: ['task add Banners', 'org add acme Acme'], command: 'task assign 1 org:acme' },
  { action: 'task.delete', byAna: ['task add Banners'], command: 'task delete 1', owner: true },
  { action: 'task.reminders', command: 'task reminders off' },
  { action: 'poll.create', command: 'poll "Which day?" "Friday" "Saturday"' },
  { action: 'poll.close', byAna: ['poll "Which day?" "Friday" "Saturday"'], command: 'poll close 1', owner: true },
  { action: 'poll.remind', byAna: ['poll "Which day?" "Friday" "Saturday"'], command: 'poll remind 1', owner: true, recorded: false },
  { action: 'poll.delete', byAna: ['poll "Which day?" "Friday" "Saturday"'], command: 'poll delete 1', owner: true },
  { action: 'reminder.create', command: 'remind me tomorrow 9:00 call the press' },
  { action: 'reminder.cancel', byAna: ['remind me tomorrow 9:00 call the press'], command: 'remind cancel 1', owner: true },
  { action: 'digest.on', command: 'digest on' },
  { action: 'digest.off', setup: ['digest on'], command: 'digest off', linked: false },
  { action: 'digest.now', command: 'digest now', recorded: false },
  { action: 'org.add', command: 'org add acme Acme' },
  { action: 'org.join', setup: ['org add acme Acme'], command: 'org join acme @ana', owner: true, linked: false },
  { action: 'org.leave', setup: ['org add acme Acme', 'org join acme @ana'], command: 'org leave acme @ana', owner: true, linked: false },
  { action: 'org.rename', setup: ['org add acme Acme'], command: 'org rename acme "Acme Norte"' },
  { action: 'org.remove', setup: ['org add acme Acme'], command: 'org remove acme' },
  { action: 'coordinator.add', command: 'coordinator add @ana' },
  { action: 'coordinator.remove', setup: ['coordinator add @ana'], command: 'coordinator remove @ana', linked: false },
  { action: 'alliance.rename', command: 'alliance rename "Red Norte"' },
  { action: 'alliance.language', command: 'lang alliance es' },
  { action: 'alliance.timezone', command: 'timezone alliance America/Lima' },
  { action: 'post.everywhere', command: 'poll "Which day?" "Friday" "Saturday" --everywhere' },
  { action: 'resource.share', command: 'share https://example.org/guide "Advocacy guide" #advocacy' },
  { action: 'resource.remove', byAna: ['share https://example.org/guide "Advocacy guide"'], command: 'resource remove 1', owner: true },
  { action: 'export', command: 'export tasks', recorded: false },
  { action: 'alliance.link', command: 'alliance link' },
  { action: 'alliance.unlink', command: 'alliance unlink' },
  { action: 'alliance.channel', command: 'alliance channel' },
];

const REFUSAL: Record<string, string> = {
  anyone: '',
  creator: 'Only the task\'s creator or a coordinator may do that.',
  pollCreator: 'Only the poll\'s creator or a coordinator may do that.',
  sharer: 'Only whoever shared it or a coordinator may do that.',
  setterOrTarget: 'Only whoever set the reminder, the member it is for, or a coordinator may do that.',
  self: 'Only the member themselves or a coordinator may do that.',
  coordinator: 'Only a coordinator may do that.',
};

function refusal(action: GuardedAction): string {
  const rule = PERMISSIONS[action];
  if (rule === 'creator' && action.startsWith('poll.')) return REFUSAL.pollCreator!;
  if (rule === 'creator' && action.startsWith('resource.')) return REFUSAL.sharer!;
  return REFUSAL[rule]!;
}

describe.each(databaseTargets())('who may change what, on %s', (kind) => {
  let database: TestDatabase;
  let core: TestCore;
  let workspace = 0;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    core = createTestCore(database.db);
  });
  afterAll(() => database.close());

  /**
   * A fresh alliance: its console workspace (coordinated by "coord", with members ana and bob) and a Discord server linked
   * to it (as `alliance join` would leave it), whose admin is Dana; and, apart, another workspace whose admin is Olga.
   */
  async function alliance() {
    workspace += 1;
    const here = (userId: string, extra: Partial<Requester> = {}) =>
      requester({ workspaceId: `roles-${workspace}`, userId, userName: userId, channelId: 'general', ...extra });
    const coord = here('coord');
    await core.handleText('help', coord);
    const [home] = await database.db.select().from(workspaces).where(eq(workspaces.externalId, `roles-${workspace}`));
    await database.db.insert(workspaces).values({ allianceId: home!.allianceId, platform: 'discord', externalId: `guild-${workspace}`, name: 'Guild' });
    const ana = here('ana');
    const bob = here('bob');
    await core.handleText('help', ana);
    await core.handleText('help', bob);
    const discord = (userId: string, extra: Partial<Requester> = {}): Requester => ({
      platform: 'discord', workspaceId: `guild-${workspace}`, userId, userName: userId, channelId: 'chan',
      vouched: [{ userId: 'ana', name: 'ana' }], ...extra,
    });
    const linkedAdmin = discord('dana', { isAdmin: true });
    const linkedMember = discord('dmitri');
    const foreignAdmin = requester({ workspaceId: `elsewhere-${workspace}`, userId: 'olga', userName: 'olga', channelId: 'general', isAdmin: true });
    const history = async () => (await database.db.select({ n: count() }).from(historyEvents).where(eq(historyEvents.allianceId, home!.allianceId)))[0]!.n;
    return { coord, ana, bob, linkedAdmin, linkedMember, foreignAdmin, history, allianceId: home!.allianceId };
  }

  async function prepared(row: Row) {
    const people = await alliance();
    for (const line of row.setup ?? []) expect(text(await core.handleText(line, people.coord))).not.toMatch(/^Only|don't|no /);
    for (const line of row.byAna ?? []) await core.handleText(line, people.ana);
    return { ...people, before: await people.history() };
  }

  it('GIVEN the permissions table THEN every rule in it is tried below', () => {
    expect(ROWS.map((row) => row.action).sort()).toEqual(Object.keys(PERMISSIONS).sort());
  });

  describe.each(ROWS)('$action', (row) => {
    const rule = PERMISSIONS[row.action];
    const recorded = row.recorded !== false;

    it(`GIVEN a member who ${rule === 'anyone' ? 'may' : 'may not'} THEN ${rule === 'anyone' ? 'it is done' : 'it is refused in their words and nothing is recorded'}`, async () => {
      const { bob, history, before } = await prepared(row);
      const reply = await core.handleText(row.asMember ?? row.command, bob);
      if (rule === 'anyone') {
        expect(reply.error, text(reply)).toBeFalsy();
        expect(await history()).toBe(before + (recorded ? 1 : 0));
      } else {
        expect(reply.error).toBe(true);
        expect(text(reply)).toBe(refusal(row.action));
        expect(await history()).toBe(before);
      }
    });

    if (rule !== 'anyone') {
      it('GIVEN a member who may not, in Spanish THEN the refusal is in Spanish', async () => {
        const { bob } = await prepared(row);
        const reply = await core.handleText(row.command, { ...bob, platformLocale: 'es-419' });
        expect(reply.error).toBe(true);
        expect(text(reply)).toMatch(/^Solo .+ puede hacer eso\.$/);
      });
    }

    if (row.owner) {
      it('GIVEN its creator, setter or subject THEN they may', async () => {
        const { ana, history, before } = await prepared(row);
        const command = row.command.replace(/ @ana$/, '');
        const reply = await core.handleText(command, ana);
        expect(reply.error, text(reply)).toBeFalsy();
        expect(await history()).toBe(before + (recorded ? 1 : 0));
      });
    }

    it('GIVEN a coordinator THEN it is done and recorded', async () => {
      const { coord, history, before } = await prepared(row);
      const reply = await core.handleText(row.command, coord);
      expect(reply.error, text(reply)).toBeFalsy();
      expect(await history()).toBe(before + (recorded ? 1 : 0));
    });

    if (row.linked !== false) {
      it('GIVEN the admin of a Discord server linked to the alliance THEN they coordinate it too', async () => {
        const { linkedAdmin, history, before } = await prepared(row);
        const reply = await core.handleText(row.command, linkedAdmin);
        expect(reply.error, text(reply)).toBeFalsy();
        expect(await history()).toBe(before + (recorded ? 1 : 0));
      });
      if (rule === 'coordinator') {
        it('GIVEN a plain member of that linked server THEN it is refused', async () => {
          const { linkedMember, history, before } = await prepared(row);
          const reply = await core.handleText(row.command, linkedMember);
          expect(text(reply)).toBe(refusal(row.action));
          expect(await history()).toBe(before);
        });
      }
    }

    it('GIVEN the admin of another workspace THEN nothing of this alliance changes', async () => {
      const { foreignAdmin, history, before, allianceId } = await prepared(row);
      const [{ name } = { name: '' }] = await database.db.select({ name: alliances.name }).from(alliances).where(eq(alliances.id, allianceId));
      await core.handleText(row.command, foreignAdmin);
      expect(await history()).toBe(before);
      const [after] = await database.db.select().from(alliances).where(eq(alliances.id, allianceId));
      expect(after).toMatchObject({ name, locale: null, timeZone: 'UTC', taskReminders: true });
    });
  });

  describe('coordinators', () => {
    it('GIVEN the last coordinator THEN they cannot remove themselves, and nobody can remove them', async () => {
      const { coord, ana } = await alliance();
      const self = await core.handleText('coordinator remove @coord', coord);
      expect(self.error).toBe(true);
      expect(text(self)).toBe('You are the alliance\'s last coordinator: make someone else a coordinator first (`coordinator add @member`).');
      expect(text(await core.handleText('coordinacion quitar @coord', ana))).toBe('Only a coordinator may do that.');
      await core.handleText('coordinator add @ana', coord);
      expect(text(await core.handleText('coordinator remove @coord', coord))).toContain('@coord is no longer a coordinator.');
      const last = await core.handleText('coordinator remove @ana', ana);
      expect(last.error).toBe(true);
      expect(text(await core.handleText('coordinators', ana))).toBe('Coordinators\nana (console)\nAdmins of a Slack workspace and members with Manage Server on Discord coordinate too.');
    });

    it('GIVEN a platform admin removed from the coordinators THEN they coordinate again at their next command, as admins do', async () => {
      const { coord, linkedAdmin } = await alliance();
      await core.handleText('help', linkedAdmin);
      await core.handleText('coordinator add @ana', coord);
      expect(text(await core.handleText('coordinator remove <@dana>', { ...linkedAdmin, vouched: [{ userId: 'dana', name: 'dana' }] }))).toContain('dana is no longer a coordinator');
      const reply = await core.handleText('alliance rename "Red Sur"', linkedAdmin);
      expect(reply.error, text(reply)).toBeFalsy();
      const [dana] = await database.db.select().from(members).where(eq(members.platformUserId, 'dana'));
      expect(dana?.role).toBe('coordinator');
    });

    it('GIVEN a member already coordinating, or one who is not THEN adding or removing says so', async () => {
      const { coord } = await alliance();
      expect(text(await core.handleText('coordinator add @coord', coord))).toBe('@coord is already a coordinator.');
      const reply = await core.handleText('coordinator remove @bob', coord);
      expect(reply.error).toBe(true);
      expect(text(reply)).toBe('@bob is not a coordinator.');
    });
  });
});
