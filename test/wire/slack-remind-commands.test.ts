// Reminder commands through the real Bolt app: Slack's escaped channel mentions and its users' zones reach the core; a channel typed as markup does not count.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reminders, workspaces } from '../../db/schema.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { blockTexts, CHANNEL, PEOPLE, startSlackRig, type SlackRig, type Who } from '../support/slack.js';

describe.each(databaseTargets())('Slack reminder commands on %s', (kind) => {
  let database: TestDatabase;
  let rig: SlackRig;
  let workspaceCount = 0;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    rig = await startSlackRig(database);
  });
  afterAll(async () => {
    await rig?.stop();
    await database?.close();
  });

  async function workspace() {
    const teamId = `T0R${kind.slice(0, 2).toUpperCase()}${(workspaceCount += 1)}`;
    const as = (person: keyof typeof PEOPLE): Who => ({ teamId, userId: PEOPLE[person].id, channelId: CHANNEL });
    await rig.command('help', as('coord'));
    return { teamId, as };
  }

  const remindersOf = (teamId: string) =>
    database.db
      .select({ reminder: reminders })
      .from(reminders)
      .innerJoin(workspaces, eq(workspaces.allianceId, reminders.allianceId))
      .where(and(eq(workspaces.platform, 'slack'), eq(workspaces.externalId, teamId)))
      .then((rows) => rows.map((row) => row.reminder));

  it('GIVEN a channel picked as Slack escapes it THEN the reminder goes to that channel id, shown by its name', async () => {
    const { teamId, as } = await workspace();
    const reply = await rig.command('remind <#C0GENERAL|general> tomorrow 10:00 Assembly', as('ana'));
    expect(blockTexts(reply)[0]).toMatch(/^I'll remind #general on .*, 10:00 \(UTC\): Assembly/);
    const [reminder] = await remindersOf(teamId);
    expect(reminder?.targetConversation).toBe(`slack:${teamId}:C0GENERAL`);
  });

  it('GIVEN channel markup typed by hand (Slack escapes it) THEN no channel is vouched for and nothing is stored', async () => {
    const { teamId, as } = await workspace();
    const reply = await rig.command('remind &lt;#C0SECRET|secret&gt; tomorrow 10:00 Leak', as('ana'));
    expect(blockTexts(reply)[0]).toMatch(/I could not confirm which channel #secret is/);
    expect(await remindersOf(teamId)).toEqual([]);
  });

  it('GIVEN remind me from members THEN each is read in the zone Slack reports for them, until they choose their own', async () => {
    const { teamId, as } = await workspace();
    expect(blockTexts(await rig.command('remind me tomorrow 9am Call the partners', as('ana')))[0]).toMatch(/, 09:00 \(Europe\/Madrid\): Call the partners/);
    expect(blockTexts(await rig.command('recuérdame mañana a las 9 revisar el informe', as('rosa')))[0]).toMatch(
      /^Te lo recordaré el .*, 09:00 \(America\/Bogota\): revisar el informe/,
    );
    await rig.command('timezone America/Lima', as('ana'));
    expect(blockTexts(await rig.command('remind me tomorrow 9am Again', as('ana')))[0]).toMatch(/, 09:00 \(America\/Lima\): Again/);
    expect((await remindersOf(teamId)).map((row) => row.timeZone).sort()).toEqual(['America/Bogota', 'America/Lima', 'Europe/Madrid']);
  });
});
