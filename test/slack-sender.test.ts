// The Slack sender and identity against the fake Web API, with a fake clock: pacing per channel, 429 retries, coalesced edits, the users.info cache.
import { webApi } from '@slack/bolt';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackIdentity } from '../adapters/slack/identity.js';
import { SlackSender, senderClient } from '../adapters/slack/sender.js';
import { conversationId } from '../src/conversation.js';
import { DeliveryRefused } from '../src/delivery.js';
import type { Reply } from '../src/reply.js';
import { startFakeSlack, type FakeSlack } from './fakes/slack-api.js';

const at = (channelId: string) => conversationId({ platform: 'slack', workspaceId: 'T0MINGA', channelId });
const reply = (text: string): Reply => ({ visibility: 'public', locale: 'en', lines: [{ text }] });
const textOf = (body: Record<string, unknown>) => (body.blocks as { text: { text: string } }[])[0]?.text.text;

describe('SlackSender', () => {
  let fake: FakeSlack;
  let clock: number;
  let waits: number[];
  let sender: SlackSender;

  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.calls.length = 0;
    clock = 0;
    waits = [];
    // Waiting only moves the fake clock: the test checks how long the sender would wait, never how long it took.
    sender = new SlackSender({
      client: senderClient({ slackApiUrl: fake.url }),
      tokenFor: async () => 'xoxb-sender',
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    });
  });

  it('GIVEN two posts to one channel and one to another THEN only the second post to the same channel waits its second', async () => {
    await Promise.all([sender.post(at('C1'), reply('a')), sender.post(at('C2'), reply('b')), sender.post(at('C1'), reply('c'))]);
    expect(waits).toEqual([1000]);
    expect(fake.callsTo('chat.postMessage').map((call) => [call.body.channel, textOf(call.body)])).toEqual([
      ['C1', 'a'],
      ['C2', 'b'],
      ['C1', 'c'],
    ]);
    expect(fake.callsTo('chat.postMessage').every((call) => call.token === 'xoxb-sender')).toBe(true);
  });

  it('GIVEN several edits of one message waiting their turn THEN Slack gets one update, with the latest', async () => {
    const ts = await sender.post(at('C1'), reply('v0'));
    await Promise.all([sender.edit(at('C1'), ts, reply('v1')), sender.edit(at('C1'), ts, reply('v2')), sender.edit(at('C1'), ts, reply('v3'))]);
    const updates = fake.callsTo('chat.update');
    expect(updates.map((call) => [call.body.ts, textOf(call.body)])).toEqual([[ts, 'v3']]);
  });

  it('GIVEN a 429 with Retry-After THEN the sender waits that long, retries, and the channel keeps its order', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 30 });
    const [first] = await Promise.all([sender.post(at('C1'), reply('first')), sender.post(at('C1'), reply('second'))]);
    expect(waits).toEqual([30_000, 1000]);
    const calls = fake.callsTo('chat.postMessage');
    expect(calls.map((call) => [textOf(call.body), call.injected])).toEqual([
      ['first', { status: 429, retryAfter: 30 }],
      ['first', undefined],
      ['second', undefined],
    ]);
    expect(first).toMatch(/^\d+\.\d{6}$/);
  });

  it('GIVEN Slack keeps answering 429 THEN the sender gives up after its attempts and the next message still goes out', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 }, 5);
    await expect(sender.post(at('C1'), reply('never'))).rejects.toMatchObject({ code: webApi.ErrorCode.RateLimitedError });
    await expect(sender.post(at('C1'), reply('later'))).resolves.toMatch(/^\d+\./);
  });

  it('GIVEN a direct message to a person twice THEN their DM is opened once and both messages go there', async () => {
    await sender.sendDirect('T0MINGA', 'U0ANA1', reply('one'));
    await sender.sendDirect('T0MINGA', 'U0ANA1', reply('two'));
    expect(fake.callsTo('conversations.open')).toHaveLength(1);
    expect(fake.callsTo('chat.postMessage').map((call) => call.body.channel)).toEqual(['D0ANA1', 'D0ANA1']);
  });

  it('GIVEN conversations.open answers 429 THEN the DM waits its Retry-After like a post, and goes out', async () => {
    fake.failNext('conversations.open', { status: 429, retryAfter: 7 });
    await expect(sender.sendDirect('T0MINGA', 'U0RATE1', reply('hello'))).resolves.toMatch(/^\d+\./);
    expect(waits).toEqual([7000]);
    expect(fake.callsTo('conversations.open').map((call) => call.injected)).toEqual([{ status: 429, retryAfter: 7 }, undefined]);
    expect(fake.callsTo('chat.postMessage').map((call) => call.body.channel)).toEqual([fake.dmChannelFor('U0RATE1')]);
  });

  it('GIVEN Slack answers 503 once (an incident) THEN the client tries again within its policy and the post goes out', async () => {
    fake.failNext('chat.postMessage', { status: 503 });
    await expect(sender.post(at('C1'), reply('after the incident'))).resolves.toMatch(/^\d+\./);
    expect(fake.callsTo('chat.postMessage').map((call) => call.injected)).toEqual([{ status: 503 }, undefined]);
  });

  it('GIVEN Slack refuses for good THEN the sender throws DeliveryRefused with the reason; any other error passes as it came', async () => {
    fake.failNext('chat.postMessage', { error: 'not_in_channel' });
    await expect(sender.post(at('C1'), reply('x'))).rejects.toMatchObject({ reason: 'notInChannel', platformError: 'not_in_channel' });
    fake.failNext('chat.postMessage', { error: 'is_archived' });
    await expect(sender.post(at('C1'), reply('x'))).rejects.toMatchObject({ reason: 'channelGone' });
    fake.failNext('conversations.open', { error: 'user_disabled' });
    await expect(sender.sendDirect('T0MINGA', 'U0GONE1', reply('x'))).rejects.toBeInstanceOf(DeliveryRefused);
    fake.failNext('chat.postMessage', { error: 'cannot_dm_bot' });
    await expect(sender.sendDirect('T0MINGA', 'U0BOT1', reply('x'))).rejects.toMatchObject({ reason: 'directMessagesClosed' });
    fake.failNext('chat.postMessage', { error: 'internal_error' });
    const failure = await sender.post(at('C1'), reply('x')).catch((err: unknown) => err);
    expect(failure).not.toBeInstanceOf(DeliveryRefused);
    expect(failure).toMatchObject({ code: webApi.ErrorCode.PlatformError, data: { error: 'internal_error' } });
  });
});

describe('SlackIdentity', () => {
  let fake: FakeSlack;
  let client: webApi.WebClient;
  beforeAll(async () => {
    fake = await startFakeSlack({
      users: [
        { id: 'U0ROSA1', name: 'rosa', locale: 'es-419', tz: 'America/Bogota', is_owner: true },
        { id: 'U0ODD1', name: 'odd', tz: 'Not/AZone' },
      ],
    });
    client = new webApi.WebClient('xoxb-x', { slackApiUrl: fake.url });
  });
  afterAll(() => fake.close());

  it('GIVEN users.info THEN the requester carries language, zone and admin; asked again within a day, Slack is not asked again', async () => {
    let now = 0;
    const identity = new SlackIdentity(pino({ level: 'silent' }), { now: () => now });
    const origin = { teamId: 'T1', userId: 'U0ROSA1', userName: 'rosa.handle', teamDomain: 'alianza', channelId: 'C1' };
    expect(await identity.requester(client, origin)).toEqual({
      platform: 'slack',
      workspaceId: 'T1',
      workspaceName: 'alianza',
      userId: 'U0ROSA1',
      userName: 'rosa',
      platformLocale: 'es-419',
      timeZone: 'America/Bogota',
      isAdmin: true,
      channelId: 'C1',
    });
    now += 23 * 60 * 60 * 1000;
    await identity.requester(client, origin);
    expect(fake.callsTo('users.info')).toHaveLength(1);
    now += 2 * 60 * 60 * 1000;
    await identity.requester(client, origin);
    expect(fake.callsTo('users.info')).toHaveLength(2);
  });

  it('GIVEN users.info fails or reports an unknown zone THEN the command goes on with what the payload says', async () => {
    const identity = new SlackIdentity(pino({ level: 'silent' }));
    expect(await identity.requester(client, { teamId: 'T1', userId: 'U0GHOST', userName: 'ghost' })).toEqual({
      platform: 'slack',
      workspaceId: 'T1',
      userId: 'U0GHOST',
      userName: 'ghost',
    });
    const odd = await identity.requester(client, { teamId: 'T1', userId: 'U0ODD1' });
    expect(odd.timeZone).toBeUndefined();
    expect(odd.isAdmin).toBe(false);
    // A failure is not remembered: the next request asks again.
    const before = fake.callsTo('users.info').length;
    await identity.requester(client, { teamId: 'T1', userId: 'U0GHOST' });
    expect(fake.callsTo('users.info').length).toBe(before + 1);
  });
});
