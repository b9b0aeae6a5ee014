// Builds and signs inbound Slack requests (slash commands, block_actions, view_submission) exactly as Slack sends them, for wire-level tests of a Bolt app.
import { createHmac } from 'node:crypto';

const FORM = 'application/x-www-form-urlencoded';
const APP_ID = 'A0MINGA';
// Slack still sends the deprecated verification token; Bolt ignores it but real payloads carry it.
const VERIFICATION_TOKEN = 'verification-token-unused';

export type SlackRequestHeaders = {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
  'content-type': string;
};

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/**
 * Headers Slack attaches to every request: v0 HMAC-SHA256 over "v0:<ts>:<raw body>".
 * Content type is guessed from the body (JSON for the Events API, form for commands and interactivity).
 * Bolt compares content-type exactly, so it must be "application/x-www-form-urlencoded" with no charset.
 */
export function signSlackRequest(
  signingSecret: string,
  rawBody: string,
  timestamp: number = nowSeconds(),
): SlackRequestHeaders {
  const hmac = createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex');
  return {
    'x-slack-signature': `v0=${hmac}`,
    'x-slack-request-timestamp': String(timestamp),
    'content-type': rawBody.trimStart().startsWith('{') ? 'application/json' : FORM,
  };
}

// Slack's trigger ids look like "<number>.<number>.<hex>"; a counter keeps them unique per process.
let triggerCounter = 0;
function fakeTriggerId(): string {
  triggerCounter += 1;
  return `${1_000_000 + triggerCounter}.2000000001.${triggerCounter.toString(16).padStart(32, '0')}`;
}

export interface SlashCommandInput {
  command?: string;
  text: string;
  teamId: string;
  userId: string;
  userName?: string;
  channelId?: string;
  channelName?: string;
  teamDomain?: string;
  responseUrl: string;
  triggerId?: string;
  apiAppId?: string;
  token?: string;
  isEnterpriseInstall?: boolean;
}

/** The raw form body of a slash command, with fields in the order Slack sends them. */
export function slashCommandBody(input: SlashCommandInput): string {
  const channelId = input.channelId ?? 'C0GENERAL';
  return new URLSearchParams([
    ['token', input.token ?? VERIFICATION_TOKEN],
    ['team_id', input.teamId],
    ['team_domain', input.teamDomain ?? 'minga-test'],
    ['channel_id', channelId],
    ['channel_name', input.channelName ?? (channelId.startsWith('D') ? 'directmessage' : 'general')],
    ['user_id', input.userId],
    ['user_name', input.userName ?? 'someone'],
    ['command', input.command ?? '/minga'],
    ['text', input.text],
    ['api_app_id', input.apiAppId ?? APP_ID],
    ['is_enterprise_install', String(input.isEnterpriseInstall ?? false)],
    ['response_url', input.responseUrl],
    ['trigger_id', input.triggerId ?? fakeTriggerId()],
  ]).toString();
}

/** Interactive payloads arrive as a form with one field, `payload`, holding the JSON. */
function payloadBody(payload: unknown): string {
  return new URLSearchParams([['payload', JSON.stringify(payload)]]).toString();
}

export interface BlockActionsInput {
  teamId: string;
  userId: string;
  userName?: string;
  channelId: string;
  channelName?: string;
  actionId: string;
  value: string;
  blockId?: string;
  buttonText?: string;
  responseUrl: string;
  messageTs?: string;
  /** Blocks of the message holding the button; defaults to one actions block with that button. */
  messageBlocks?: unknown[];
  /** Ephemeral messages come without a `message` field, like the real payload. */
  isEphemeral?: boolean;
  /** A choice in a static_select menu (whose action_id is `actionId`) instead of a button click. */
  selectedOption?: { text: string; value: string };
  triggerId?: string;
  teamDomain?: string;
  /** When the member clicked, as Slack tells it ("1548426417.840180"); by default now, to the microsecond, later than the last. */
  actionTs?: string;
}

let lastActionMicros = 0;

/** An action_ts for now, as Slack writes them: seconds, a dot, six digits of microseconds; each one later than the one before. */
export function actionTsNow(): string {
  lastActionMicros = Math.max(Date.now() * 1000, lastActionMicros + 1);
  return actionTsAt(lastActionMicros);
}

/** The action_ts of an instant given in microseconds since the epoch. */
export function actionTsAt(micros: number): string {
  return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
}

/** `payload=<json>` for a button click (or a menu choice) in a message. */
export function blockActionsBody(input: BlockActionsInput): string {
  const blockId = input.blockId ?? 'minga_actions';
  const messageTs = input.messageTs ?? '1700000000.000100';
  const buttonText = input.buttonText ?? 'OK';
  const userName = input.userName ?? 'someone';
  const isEphemeral = input.isEphemeral ?? false;
  const actionTs = input.actionTs ?? actionTsNow();
  const button = {
    type: 'button',
    action_id: input.actionId,
    text: { type: 'plain_text', text: buttonText, emoji: true },
    value: input.value,
  };
  const payload = {
    type: 'block_actions',
    user: { id: input.userId, username: userName, name: userName, team_id: input.teamId },
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    container: { type: 'message', message_ts: messageTs, channel_id: input.channelId, is_ephemeral: isEphemeral },
    trigger_id: input.triggerId ?? fakeTriggerId(),
    team: { id: input.teamId, domain: input.teamDomain ?? 'minga-test' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channelId, name: input.channelName ?? 'general' },
    ...(isEphemeral
      ? {}
      : {
          message: {
            type: 'message',
            user: 'U0MINGABOT',
            bot_id: 'B0MINGABOT',
            app_id: APP_ID,
            text: buttonText,
            ts: messageTs,
            team: input.teamId,
            blocks: input.messageBlocks ?? [{ type: 'actions', block_id: blockId, elements: [button] }],
          },
        }),
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [
      input.selectedOption
        ? {
            type: 'static_select',
            action_id: input.actionId,
            block_id: blockId,
            selected_option: { text: { type: 'plain_text', text: input.selectedOption.text, emoji: true }, value: input.selectedOption.value },
            action_ts: actionTs,
          }
        : {
            action_id: input.actionId,
            block_id: blockId,
            text: button.text,
            value: input.value,
            type: 'button',
            action_ts: actionTs,
          },
    ],
  };
  return payloadBody(payload);
}

/** One input element's state, as found in view.state.values[block_id][action_id]. */
export interface ViewStateValue {
  type: string;
  value?: string | null;
  selected_user?: string | null;
  selected_users?: string[];
  selected_channel?: string | null;
  selected_conversation?: string | null;
  selected_date?: string | null;
  selected_time?: string | null;
  selected_date_time?: number | null;
  selected_option?: { text: { type: 'plain_text'; text: string; emoji?: boolean }; value: string } | null;
  selected_options?: { text: { type: 'plain_text'; text: string; emoji?: boolean }; value: string }[];
}

export interface ViewSubmissionInput {
  teamId: string;
  userId: string;
  userName?: string;
  callbackId: string;
  privateMetadata?: string;
  /** block_id → action_id → state value. */
  values: Record<string, Record<string, ViewStateValue>>;
  viewId?: string;
  triggerId?: string;
  teamDomain?: string;
}

/** `payload=<json>` for a modal's submit button. */
export function viewSubmissionBody(input: ViewSubmissionInput): string {
  const viewId = input.viewId ?? 'V0MODAL01';
  const userName = input.userName ?? 'someone';
  const payload = {
    type: 'view_submission',
    team: { id: input.teamId, domain: input.teamDomain ?? 'minga-test' },
    user: { id: input.userId, username: userName, name: userName, team_id: input.teamId },
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: input.triggerId ?? fakeTriggerId(),
    view: {
      id: viewId,
      team_id: input.teamId,
      type: 'modal',
      // Real payloads echo the modal's blocks; tests read only state.values, so one input block per value is enough.
      blocks: Object.keys(input.values).map((blockId) => ({ type: 'input', block_id: blockId })),
      private_metadata: input.privateMetadata ?? '',
      callback_id: input.callbackId,
      state: { values: input.values },
      hash: '1700000000.abcdef12',
      title: { type: 'plain_text', text: 'Minga', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: { type: 'plain_text', text: 'Cancel', emoji: true },
      submit: { type: 'plain_text', text: 'Submit', emoji: true },
      previous_view_id: null,
      root_view_id: viewId,
      app_id: APP_ID,
      external_id: '',
      app_installed_team_id: input.teamId,
      bot_id: 'B0MINGABOT',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
  return payloadBody(payload);
}

export interface PostToBoltOptions {
  timestamp?: number;
  /** Sign with a wrong secret, to check that Bolt rejects the request. */
  badSignature?: boolean;
  contentType?: string;
}

export interface BoltReply {
  status: number;
  /** Parsed JSON when Bolt answered JSON, otherwise the text (often '' for a bare ack()). */
  body: unknown;
}

/** POSTs a signed request to the Bolt HTTP receiver at `${baseUrl}/slack/events`. */
export async function postToBolt(
  baseUrl: string,
  rawBody: string,
  signingSecret: string,
  options: PostToBoltOptions = {},
): Promise<BoltReply> {
  const secret = options.badSignature ? `${signingSecret}-wrong` : signingSecret;
  const headers: Record<string, string> = signSlackRequest(secret, rawBody, options.timestamp);
  if (options.contentType !== undefined) headers['content-type'] = options.contentType;
  const response = await fetch(`${baseUrl.replace(/\/$/, '')}/slack/events`, { method: 'POST', headers, body: rawBody });
  const text = await response.text();
  const isJson = (response.headers.get('content-type') ?? '').includes('application/json');
  return { status: response.status, body: isJson && text !== '' ? (JSON.parse(text) as unknown) : text };
}
