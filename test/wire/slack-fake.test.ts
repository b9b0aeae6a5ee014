// Smoke test of the Slack wire rig: a real Bolt app talks to the fake Web API and receives signed requests.
import type { AddressInfo } from 'node:net';
import { App, LogLevel } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeSlack } from '../fakes/slack-api.js';
import type { FakeSlack } from '../fakes/slack-api.js';
import { blockActionsBody, postToBolt, slashCommandBody, viewSubmissionBody } from '../fakes/slack-requests.js';

const SIGNING_SECRET = 'test-signing-secret';
const TEAM = 'T0MINGA';
const USER = 'U0ALICE';
const CHANNEL = 'C0GENERAL';

const BLOCKS = [{ type: 'section', text: { type: 'mrkdwn', text: '*Hello* from Minga' } }];

describe('Slack wire rig', () => {
  let fake: FakeSlack;
  let app: App;
  let boltUrl: string;
  // Names of listeners that ran, so tests can prove rejected requests never reached one.
  let ran: string[];

  beforeEach(async () => {
    ran = [];
    fake = await startFakeSlack({
      users: [{ id: USER, name: 'alice', real_name: 'Alice Example', tz: 'America/Bogota', tz_offset: -18000, locale: 'es-CO', is_admin: true }],
    });
    // The fake must be up before `new App`: with a token, Bolt calls auth.test from the constructor.
    app = new App({
      token: 'xoxb-test-token',
      signingSecret: SIGNING_SECRET,
      logLevel: LogLevel.ERROR,
      clientOptions: {
        slackApiUrl: fake.url,
        // No extra backoff on top of Retry-After, so the 429 test stays about one second.
        retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 0 },
      },
    });

    app.command('/minga', async ({ ack, respond, client, command }) => {
      await ack();
      ran.push('command');
      await respond({ response_type: 'ephemeral', text: `You said: ${command.text}` });
      await client.chat.postMessage({ channel: command.channel_id, text: 'Hello from Minga', blocks: BLOCKS });
    });
    app.action('vote', async ({ ack, respond, body }) => {
      await ack();
      ran.push('action');
      const value = body.type === 'block_actions' && body.actions[0]?.type === 'button' ? body.actions[0].value : '';
      await respond({ replace_original: false, text: `Voted ${value}` });
    });
    app.view('new_task', async ({ ack, view }) => {
      ran.push('view');
      const title = view.state.values.title_block?.title_input?.value ?? '';
      await ack(title === '' ? { response_action: 'errors', errors: { title_block: 'Required' } } : undefined);
    });

    // Port 0 lets the OS choose; HTTPReceiver.start resolves with the listening http.Server.
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    boltUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await app.stop();
    await fake.close();
  });

  it('GIVEN a signed /minga command THEN Bolt acks, respond() hits the response_url and postMessage reaches the fake', async () => {
    const responseUrl = fake.responseUrl('cmd-1');
    const body = slashCommandBody({ text: 'hola', teamId: TEAM, userId: USER, channelId: CHANNEL, responseUrl });

    const reply = await postToBolt(boltUrl, body, SIGNING_SECRET);
    expect(reply).toEqual({ status: 200, body: '' });

    const response = await fake.waitForResponse((r) => r.id === 'cmd-1');
    expect(response.body).toEqual({ response_type: 'ephemeral', text: 'You said: hola' });

    const post = await fake.waitForCall('chat.postMessage');
    expect(post.body.channel).toBe(CHANNEL);
    expect(post.body.blocks).toEqual(BLOCKS);
    expect(post.token).toBe('xoxb-test-token');
    expect(fake.callsTo('auth.test')).toHaveLength(1);
  });

  it('GIVEN a signed block_actions click THEN the action listener responds on the response_url', async () => {
    const responseUrl = fake.responseUrl('act-1');
    const body = blockActionsBody({ teamId: TEAM, userId: USER, channelId: CHANNEL, actionId: 'vote', value: 'yes', responseUrl });

    const reply = await postToBolt(boltUrl, body, SIGNING_SECRET);
    expect(reply.status).toBe(200);

    const response = await fake.waitForResponse((r) => r.id === 'act-1');
    expect(response.body).toEqual({ replace_original: false, text: 'Voted yes' });
    expect(ran).toEqual(['action']);
  });

  it('GIVEN a view_submission with an empty required field THEN Bolt returns the errors response_action', async () => {
    const body = viewSubmissionBody({
      teamId: TEAM,
      userId: USER,
      callbackId: 'new_task',
      values: { title_block: { title_input: { type: 'plain_text_input', value: null } } },
    });

    const reply = await postToBolt(boltUrl, body, SIGNING_SECRET);

    expect(reply).toEqual({ status: 200, body: { response_action: 'errors', errors: { title_block: 'Required' } } });
  });

  it('GIVEN a bad signature THEN Bolt answers 401 and no listener runs', async () => {
    const body = slashCommandBody({ text: 'x', teamId: TEAM, userId: USER, responseUrl: fake.responseUrl() });

    const reply = await postToBolt(boltUrl, body, SIGNING_SECRET, { badSignature: true });

    // Bolt sends the 401 from its verification step and returns before dispatching, so checking now is safe.
    expect(reply.status).toBe(401);
    expect(ran).toEqual([]);
    expect(fake.responses).toEqual([]);
  });

  it('GIVEN a timestamp older than five minutes THEN Bolt answers 401 and no listener runs', async () => {
    const body = slashCommandBody({ text: 'x', teamId: TEAM, userId: USER, responseUrl: fake.responseUrl() });
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;

    const reply = await postToBolt(boltUrl, body, SIGNING_SECRET, { timestamp: sixMinutesAgo });

    expect(reply.status).toBe(401);
    expect(ran).toEqual([]);
    expect(fake.responses).toEqual([]);
  });

  it('GIVEN chat.postMessage is rate limited once THEN the web client retries after Retry-After and succeeds', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });
    const body = slashCommandBody({ text: 'hola', teamId: TEAM, userId: USER, channelId: CHANNEL, responseUrl: fake.responseUrl() });

    await postToBolt(boltUrl, body, SIGNING_SECRET);

    await fake.waitFor(() => fake.callsTo('chat.postMessage').length >= 2, 4000, 'retried chat.postMessage');
    const [first, second] = fake.callsTo('chat.postMessage');
    expect(first?.injected).toEqual({ status: 429, retryAfter: 1 });
    expect(second?.injected).toBeUndefined();
    expect(second?.body.blocks).toEqual(BLOCKS);
  });

  it('GIVEN a known user THEN users.info returns locale only when include_locale=true', async () => {
    const plain = await app.client.users.info({ user: USER });
    const withLocale = await app.client.users.info({ user: USER, include_locale: true });

    expect(plain.user).toMatchObject({ id: USER, team_id: TEAM, real_name: 'Alice Example', tz: 'America/Bogota', tz_offset: -18000, is_admin: true });
    expect(plain.user?.locale).toBeUndefined();
    expect(withLocale.user?.locale).toBe('es-CO');
  });

  it('GIVEN an unknown user or method or an injected error THEN the web client rejects with that Slack error', async () => {
    fake.failNext('chat.update', { error: 'message_not_found' });

    await expect(app.client.users.info({ user: 'U0NOBODY' })).rejects.toMatchObject({ data: { ok: false, error: 'user_not_found' } });
    await expect(app.client.apiCall('minga.nonsense')).rejects.toMatchObject({ data: { error: 'unknown_method' } });
    await expect(app.client.chat.update({ channel: CHANNEL, ts: '1.2', text: 'x' })).rejects.toMatchObject({ data: { error: 'message_not_found' } });
    expect(fake.callsTo('minga.nonsense')).toHaveLength(1);
  });

  it('GIVEN conversations.open and views.open THEN the fake answers with realistic ids', async () => {
    const dm = await app.client.conversations.open({ users: USER });
    const view = await app.client.views.open({
      trigger_id: '123.456.abc',
      view: { type: 'modal', callback_id: 'new_task', title: { type: 'plain_text', text: 'New task' }, blocks: [] },
    });

    expect(dm.channel?.id).toBe(fake.dmChannelFor(USER));
    expect(dm.channel?.id).toMatch(/^D/);
    expect(view.view?.id).toMatch(/^V/);
    expect(fake.callsTo('views.open')[0]?.body.view).toMatchObject({ callback_id: 'new_task' });
  });
});
