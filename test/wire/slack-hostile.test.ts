// Text people type, at the Slack wire: it shows as text in what Minga answers and posts, and names only people Slack vouches for.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { members, tasks, workspaces } from '../../db/schema.js';
import type { Adapter } from '../../src/adapter.js';
import { createDelivery } from '../../src/delivery.js';
import type { Scheduler } from '../../src/scheduler/scheduler.js';
import { FIXED_NOW } from '../support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { wirePolls } from '../support/polls.js';
import { blockTexts, CHANNEL, PEOPLE, startSlackRig, TEAM, type SlackRig, type Who } from '../support/slack.js';

/** Slack markup that must never act in Minga's messages: a special mention, a user mention, a channel, a labelled link. */
const MARKUP = /<[!@#]|<[^>]*\|/;

/** Every mrkdwn text object of a message, and whether each is verbatim. */
function mrkdwnTexts(message: Record<string, unknown>): { text: string; verbatim?: boolean }[] {
  return JSON.stringify(message.blocks ?? [])
    .match(/\{"type":"mrkdwn"[^{}]*\}/g)!
    .map((json) => JSON.parse(json) as { text: string; verbatim?: boolean });
}

describe.each(databaseTargets())('hostile text on Slack, on %s', (kind) => {
  let database: TestDatabase;
  let rig: SlackRig;
  let scheduler: Scheduler;
  let teams = 0;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const adapters: Adapter[] = [];
    const wired = wirePolls(database.db, () => FIXED_NOW, createDelivery(() => adapters));
    scheduler = wired.scheduler;
    rig = await startSlackRig(database, { core: wired.core, sender: { sleep: async () => {} } });
    adapters.push(rig.adapter);
  });
  afterAll(async () => {
    await scheduler?.stop();
    await rig?.stop();
    await database?.close();
  });

  /** A workspace of its own per test, whose admin has already met Minga. */
  async function workspace() {
    const teamId = `T0H${kind.slice(0, 2).toUpperCase()}${(teams += 1)}`;
    const as = (person: keyof typeof PEOPLE, channelId = CHANNEL): Who => ({ teamId, userId: PEOPLE[person].id, channelId });
    await rig.command('help', as('coord'));
    return { teamId, as };
  }

  const memberOf = async (teamId: string, userId: string) => {
    const [row] = await database.db
      .select({ name: members.displayName })
      .from(members)
      .innerJoin(workspaces, eq(workspaces.id, members.workspaceId))
      .where(and(eq(workspaces.externalId, teamId), eq(members.platformUserId, userId)));
    return row;
  };
  const tasksOf = (teamId: string) =>
    database.db
      .select({ title: tasks.title, assignee: members.platformUserId })
      .from(tasks)
      .innerJoin(workspaces, eq(workspaces.allianceId, tasks.allianceId))
      .leftJoin(members, eq(members.id, tasks.assigneeMemberId))
      .where(eq(workspaces.externalId, teamId));

  it('GIVEN a forged mention of someone Slack does not know THEN no member is made and the person is told, in their language', async () => {
    const { teamId, as } = await workspace();
    // Typed as characters, `<@U0BOSS9|boss>` reaches Minga escaped; a real mention of a user Slack has never heard of is refused alike.
    for (const [text, who, said] of [
      ['task add Pay the rent &lt;@U0BOSS9|boss&gt;', 'ana', 'I could not confirm who @boss is'],
      ['task assign 1 <@U0BOSS9|boss>', 'coord', 'I could not confirm who @boss is'],
      ['org join red <@U0GHOST1>', 'coord', 'I could not confirm who @U0GHOST1 is'],
      ['tarea nueva Pagar el alquiler <@U0BOSS9|jefa>', 'rosa', 'No pude confirmar quién es @jefa'],
    ] as const) {
      if (text.startsWith('org')) await rig.command('org add red Red de huertas', as('coord'));
      if (text.startsWith('task assign')) await rig.command('task add Write the minutes', as('coord'));
      const answer = await rig.command(text, as(who));
      expect(answer.response_type).toBe('ephemeral');
      expect(blockTexts(answer)[0]).toContain(said);
    }
    expect(await memberOf(teamId, 'U0BOSS9')).toBeUndefined();
    expect(await memberOf(teamId, 'U0GHOST1')).toBeUndefined();
    expect(await tasksOf(teamId)).toEqual([{ title: 'Write the minutes', assignee: null }]);
  });

  it('GIVEN a real member mentioned under a made-up name THEN the task goes to them under the name Slack gives', async () => {
    const { teamId, as } = await workspace();
    const answer = await rig.command('task add Call the press <@U0BOB1|the boss>', as('ana'));
    expect(blockTexts(answer)).toEqual(['Task #1 added: Call the press', '*Assigned to*\n@bob']);
    expect(await memberOf(teamId, PEOPLE.bob.id)).toEqual({ name: 'bob' });
  });

  it('GIVEN a person picked in the task form whom users.info does not know THEN no member is made and the form is answered with the error', async () => {
    const { teamId, as } = await workspace();
    const { triggerId } = await rig.send('task add', as('ana'));
    const opened = await rig.fake.waitForCall('views.open', (call) => call.body.trigger_id === triggerId);
    const view = opened.body.view as { private_metadata: string };
    await rig.submit(
      'minga.form:task.add',
      {
        title: { title: { type: 'plain_text_input', value: 'Book the room' } },
        assignee: { assignee: { type: 'users_select', selected_user: 'U0GHOST2' } },
      },
      as('ana'),
      view.private_metadata,
    );
    const { responseUrl } = JSON.parse(view.private_metadata) as { responseUrl: string };
    const answered = await rig.answer(decodeURIComponent(responseUrl.split('/response/')[1]!));
    expect(answered.body.response_type).toBe('ephemeral');
    expect(blockTexts(answered.body)[0]).toContain('I could not confirm who @U0GHOST2 is');
    expect(await memberOf(teamId, 'U0GHOST2')).toBeUndefined();
    expect(await tasksOf(teamId)).toEqual([]);
  });

  it('GIVEN @channel, <!everyone>, a disguised link and a mention in a task title THEN the channel sees them as text', async () => {
    const { as } = await workspace();
    // As Slack sends what was typed: `<` and `>` escaped, so Minga sees the characters themselves.
    const typed = 'Vote now @channel @here &lt;!everyone&gt; &lt;!channel&gt; &lt;https://evil.example|bank&gt; &lt;@U0BOB1&gt; today';
    const answer = await rig.command(`task add ${typed}`, as('ana'));
    expect(answer.response_type).toBe('in_channel');
    expect(answer.parse).toBe('none');
    expect(blockTexts(answer)[0]).toBe(
      'Task #1 added: Vote now @channel @here &lt;!everyone&gt; &lt;!channel&gt; &lt;<https://evil.example>|bank&gt; &lt;@U0BOB1&gt; today',
    );
    for (const object of mrkdwnTexts(answer)) {
      expect(object.verbatim).toBe(true);
      expect(object.text).not.toMatch(MARKUP);
    }
    expect(answer.text).not.toMatch(MARKUP);
  });

  it('GIVEN a poll whose question and options carry Slack markup THEN the posted poll shows it as text', async () => {
    // Posted in the one workspace the rig's bot token serves.
    const who: Who = { teamId: TEAM, userId: PEOPLE.coord.id, channelId: 'C0HOSTILE' };
    await rig.command('poll "&lt;!here&gt; who signs?" "@channel" "&lt;https://evil.example|Bank&gt;" "&lt;@U0BOB1&gt;"', who);
    const [posted] = rig.fake.callsTo('chat.postMessage').filter((call) => call.body.channel === 'C0HOSTILE');
    expect(posted!.body.parse).toBe('none');
    expect(posted!.body.text).toBe('Poll #1: &lt;!here&gt; who signs?');
    for (const object of mrkdwnTexts(posted!.body)) {
      expect(object.verbatim).toBe(true);
      expect(object.text).not.toMatch(MARKUP);
    }
    expect(blockTexts(posted!.body).slice(2, 5)).toEqual([
      '1. @channel  ░░░░░░░░░░ 0 (0%)',
      '2. &lt;<https://evil.example>|Bank&gt;  ░░░░░░░░░░ 0 (0%)',
      '3. &lt;@U0BOB1&gt;  ░░░░░░░░░░ 0 (0%)',
    ]);
  });
});
