// The Slack wire rig: the real SlackAdapter (Bolt over HTTP) on a test database, talking to the fake Web API; helpers send what Slack sends.
import { pino } from 'pino';
import { SlackAdapter, type SlackAdapterOptions } from '../../adapters/slack/slack-adapter.js';
import type { Database } from '../../db/connection.js';
import type { AdapterServices } from '../../src/adapter.js';
import type { Logger } from '../../src/log.js';
import { startFakeSlack, type FakeSlack, type FakeUser, type RecordedResponse } from '../fakes/slack-api.js';
import {
  blockActionsBody,
  postToBolt,
  slashCommandBody,
  viewSubmissionBody,
  type BoltReply,
  type PostToBoltOptions,
  type ViewStateValue,
} from '../fakes/slack-requests.js';
import { createTestCore, TEST_SECRET, type TestCore } from './core.js';

export const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
export const BOT_TOKEN = 'xoxb-test-token';
/** The fake's own workspace: the one the bot token belongs to. */
export const TEAM = 'T0MINGA';
export const CHANNEL = 'C0GENERAL';

/** People the fake's users.info knows: a workspace admin, English and Spanish members. */
export const PEOPLE = {
  coord: { id: 'U0COORD', name: 'coord', real_name: 'Carla Coord', locale: 'en-US', tz: 'America/Lima', is_admin: true },
  ana: { id: 'U0ANA1', name: 'ana', real_name: 'Ana', locale: 'en-GB', tz: 'Europe/Madrid' },
  bob: { id: 'U0BOB1', name: 'bob', real_name: 'Bob', locale: 'en-US', tz: 'America/New_York' },
  rosa: { id: 'U0ROSA1', name: 'rosa', real_name: 'Rosa', locale: 'es-419', tz: 'America/Bogota' },
} satisfies Record<string, FakeUser>;

/** Who sends a request: a user of a workspace, in a channel. */
export interface Who {
  userId: string;
  teamId?: string;
  channelId?: string;
}

export interface SlackRig {
  fake: FakeSlack;
  adapter: SlackAdapter;
  core: TestCore;
  /** The Bolt app's base URL, e.g. http://127.0.0.1:PORT. */
  url: string;
  /** Sends a signed /minga command and resolves with Bolt's HTTP answer (the ack) and the response_url id to wait on. */
  send(text: string, who: Who, options?: PostToBoltOptions): Promise<{ ack: BoltReply; responseId: string; triggerId: string }>;
  /** Sends a /minga command and resolves with what Minga answered: in the ack when it came there, else on the response_url. */
  command(text: string, who: Who): Promise<Record<string, unknown>>;
  /**
   * Clicks a button of ours (`action_id` such as `task.done:42`) and resolves with the answer on the response_url;
   * `actionTs` is when the member clicked, as Slack would say it (see `actionTsAt`), by default now.
   */
  click(actionId: string, value: string, who: Who, options?: { actionTs?: string }): Promise<Record<string, unknown>>;
  /** Picks an option (its `value`) in a static_select menu of ours and resolves with the answer on the response_url. */
  choose(actionId: string, option: { text: string; value: string }, who: Who): Promise<Record<string, unknown>>;
  /** Submits a modal; resolves with Bolt's HTTP answer (the ack). */
  submit(callbackId: string, values: Record<string, Record<string, ViewStateValue>>, who: Who, privateMetadata?: string): Promise<BoltReply>;
  /** Waits for the answer on a response_url id. */
  answer(responseId: string): Promise<RecordedResponse>;
  stop(): Promise<void>;
}

let counter = 0;

/** Starts the fake and the adapter; `env` adds or overrides Slack variables (e.g. the OAuth ones); `secret` defaults to TEST_SECRET; the adapter logs nothing unless given a logger. */
export async function startSlackRig(
  database: Database,
  options: {
    env?: NodeJS.ProcessEnv;
    users?: FakeUser[];
    sender?: SlackAdapterOptions['sender'];
    core?: TestCore;
    secret?: string;
    log?: Logger;
    /** What the app gives the adapter as it starts: the operators' routes, the observer of platform calls. */
    services?: AdapterServices;
    /** See SlackAdapterOptions.ackBudgetMs. */
    ackBudgetMs?: number;
  } = {},
): Promise<SlackRig> {
  const fake = await startFakeSlack({ teamId: TEAM, users: options.users ?? Object.values(PEOPLE) });
  const core = options.core ?? createTestCore(database.db);
  const adapter = new SlackAdapter({
    env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.url, PORT: '0', ...options.env },
    database,
    log: options.log ?? pino({ level: 'silent' }),
    locale: 'en',
    secret: options.secret ?? TEST_SECRET,
    host: '127.0.0.1',
    ...(options.sender && { sender: options.sender }),
    ...(options.ackBudgetMs !== undefined && { ackBudgetMs: options.ackBudgetMs }),
  });
  try {
    await adapter.start(core, options.services);
  } catch (err) {
    // A refused start (a wrong secret, a refused token) leaves nothing running.
    await adapter.stop();
    await fake.close();
    throw err;
  }
  const url = `http://127.0.0.1:${adapter.port}`;

  const answer = (responseId: string) => fake.waitForResponse((response) => response.id === responseId, 5000);
  const next = (prefix: string) => `${prefix}-${process.pid}-${(counter += 1)}`;

  async function act(actionId: string, value: string, who: Who, extra: { selectedOption?: { text: string; value: string }; actionTs?: string } = {}) {
    const responseId = next('click');
    const body = blockActionsBody({
      teamId: who.teamId ?? TEAM,
      userId: who.userId,
      channelId: who.channelId ?? CHANNEL,
      actionId,
      value,
      responseUrl: fake.responseUrl(responseId),
      isEphemeral: true,
      ...(extra.selectedOption && { selectedOption: extra.selectedOption }),
      ...(extra.actionTs && { actionTs: extra.actionTs }),
    });
    const ack = await postToBolt(url, body, SIGNING_SECRET);
    if (ack.status !== 200) throw new Error(`Bolt answered ${ack.status} to ${actionId}`);
    return (await answer(responseId)).body;
  }

  const rig: SlackRig = {
    fake,
    adapter,
    core,
    url,
    async send(text, who, postOptions) {
      const responseId = next('cmd');
      const triggerId = `${counter}.2000000001.${responseId}`;
      const body = slashCommandBody({
        text,
        teamId: who.teamId ?? TEAM,
        userId: who.userId,
        channelId: who.channelId ?? CHANNEL,
        responseUrl: fake.responseUrl(responseId),
        triggerId,
      });
      return { ack: await postToBolt(url, body, SIGNING_SECRET, postOptions), responseId, triggerId };
    },
    async command(text, who) {
      const { ack, responseId } = await rig.send(text, who);
      if (ack.status !== 200) throw new Error(`Bolt answered ${ack.status} to "${text}"`);
      if (typeof ack.body === 'object' && ack.body !== null) return ack.body as Record<string, unknown>;
      return (await answer(responseId)).body;
    },
    click: (actionId, value, who, options) => act(actionId, value, who, options),
    choose: (actionId, option, who) => act(actionId, '', who, { selectedOption: option }),
    submit: (callbackId, values, who, privateMetadata) =>
      postToBolt(
        url,
        viewSubmissionBody({ teamId: who.teamId ?? TEAM, userId: who.userId, callbackId, values, ...(privateMetadata !== undefined && { privateMetadata }) }),
        SIGNING_SECRET,
      ),
    answer,
    async stop() {
      await adapter.stop();
      await fake.close();
    },
  };
  return rig;
}

/** What a browser does to install Minga: open /slack/install, then come back from Slack to the redirect with the state cookie. */
export async function installFromBrowser(url: string, teamId: string) {
  const page = await fetch(`${url}/slack/install`);
  const html = await page.text();
  const state = /slack-app-oauth-state=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')?.[1];
  if (!state) throw new Error('no state cookie');
  const back = await fetch(`${url}/slack/oauth_redirect?code=code-${teamId}&state=${encodeURIComponent(state)}`, {
    headers: { cookie: `slack-app-oauth-state=${state}` },
  });
  return { page: { status: page.status, html }, back: { status: back.status, html: await back.text() } };
}

/** Every text a Block Kit message shows, in order, for assertions that read like the message. */
export function blockTexts(message: Record<string, unknown>): string[] {
  const texts: string[] = [];
  for (const block of (message.blocks as Record<string, unknown>[] | undefined) ?? []) {
    const text = block.text as { text?: string } | undefined;
    if (text?.text) texts.push(text.text);
    for (const field of (block.fields as { text: string }[] | undefined) ?? []) texts.push(field.text);
    for (const element of (block.elements as { text?: unknown }[] | undefined) ?? []) {
      if (typeof element.text === 'string') texts.push(element.text);
    }
  }
  return texts;
}

/** The buttons of a Block Kit message: section accessories and actions elements. */
export function blockButtons(message: Record<string, unknown>): { action_id: string; value: string; text: string }[] {
  const buttons: { action_id: string; value: string; text: string }[] = [];
  for (const block of (message.blocks as Record<string, unknown>[] | undefined) ?? []) {
    const candidates = [block.accessory, ...((block.elements as unknown[] | undefined) ?? [])];
    for (const candidate of candidates) {
      const button = candidate as { type?: string; action_id: string; value: string; text: { text: string } } | undefined;
      if (button?.type === 'button') buttons.push({ action_id: button.action_id, value: button.value, text: button.text.text });
    }
  }
  return buttons;
}
