// Whether Minga can post in a Slack channel, at the wire: the real adapter asks the fake Web API (conversations.info), and a post where it cannot is refused for good.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { conversationId } from '../../src/conversation.js';
import { DeliveryRefused } from '../../src/delivery.js';
import type { Reply } from '../../src/reply.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { captureLog, type CapturedLog } from '../support/logs.js';
import { BOT_TOKEN, CHANNEL, startSlackRig, TEAM, type SlackRig } from '../support/slack.js';

const at = (channelId: string) => conversationId({ platform: 'slack', workspaceId: TEAM, channelId });
const digest: Reply = { visibility: 'public', locale: 'en', heading: 'Weekly digest', lines: [{ text: 'Nothing happened this week.' }], sections: [] };

describe.each(databaseTargets())('canPost and refusals on Slack, on %s', (kind) => {
  let database: TestDatabase;
  let rig: SlackRig;
  let capture: CapturedLog;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    capture = captureLog({ env: { SLACK_BOT_TOKEN: BOT_TOKEN } });
    rig = await startSlackRig(database, { log: capture.log, sender: { sleep: async () => {} } });
  });
  afterAll(async () => {
    await rig?.stop();
    await database?.close();
  });
  beforeEach(() => {
    rig.fake.calls.length = 0;
  });

  it('GIVEN a channel Minga is a member of THEN it can post there, as Slack says with the workspace\'s bot token', async () => {
    await expect(rig.adapter.canPost(at(CHANNEL))).resolves.toBe(true);
    const [call, ...more] = rig.fake.callsTo('conversations.info');
    expect(more).toEqual([]);
    expect(call).toMatchObject({ token: BOT_TOKEN, body: { channel: CHANNEL } });
  });

  it('GIVEN a channel Minga is not in THEN it cannot post there, and a post is refused as notInChannel', async () => {
    rig.fake.setMember('C0OUTSIDE', false);
    await expect(rig.adapter.canPost(at('C0OUTSIDE'))).resolves.toBe(false);
    await expect(rig.adapter.post(at('C0OUTSIDE'), digest)).rejects.toMatchObject({ name: 'DeliveryRefused', reason: 'notInChannel', platformError: 'not_in_channel' });
    rig.fake.setMember('C0OUTSIDE', true);
    await expect(rig.adapter.canPost(at('C0OUTSIDE'))).resolves.toBe(true);
    await expect(rig.adapter.post(at('C0OUTSIDE'), digest)).resolves.toMatch(/^\d+\.\d{6}$/);
  });

  it('GIVEN an archived channel THEN Minga cannot post there, even as a member, and a post is refused as channelGone', async () => {
    rig.fake.archive('C0ARCHIVED');
    await expect(rig.adapter.canPost(at('C0ARCHIVED'))).resolves.toBe(false);
    await expect(rig.adapter.post(at('C0ARCHIVED'), digest)).rejects.toMatchObject({ reason: 'channelGone', platformError: 'is_archived' });
  });

  it('GIVEN a deleted channel THEN Slack cannot say (logged at debug), and a post is refused as channelGone', async () => {
    rig.fake.removeChannel('C0DELETED');
    await expect(rig.adapter.canPost(at('C0DELETED'))).resolves.toBeUndefined();
    expect(capture.find('slack did not say whether Minga is in a channel')).toMatchObject({ level: 20, error: 'channel_not_found', conversation: at('C0DELETED') });
    const refusal = await rig.adapter.post(at('C0DELETED'), digest).catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(DeliveryRefused);
    expect(refusal).toMatchObject({ reason: 'channelGone', platformError: 'channel_not_found' });
  });

  it('GIVEN an app installed without channels:read THEN Slack cannot say, and a warning names what to do, never the token', async () => {
    rig.fake.failNext('conversations.info', { error: 'missing_scope' });
    await expect(rig.adapter.canPost(at(CHANNEL))).resolves.toBeUndefined();
    expect(capture.find('slack app lacks the scope to tell whether Minga is in a channel: reinstall it from the current manifest')).toMatchObject({
      level: 40,
      error: 'missing_scope',
    });
    expect(capture.text()).not.toContain(BOT_TOKEN);
  });

  it('GIVEN a person\'s direct messages THEN Minga does not ask: it opens them itself', async () => {
    await expect(rig.adapter.canPost(at('U0ANA1'))).resolves.toBeUndefined();
    expect(rig.fake.callsTo('conversations.info')).toEqual([]);
  });
});
