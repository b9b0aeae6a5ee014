// Everything Minga posts on its own (reminders, digests, refreshed messages): paced per channel, retried after 429s, edits coalesced.
import { webApi } from '@slack/bolt';
import { conversationId, parseConversationId } from '../../src/conversation.js';
import { DeliveryRefused, type RefusalReason } from '../../src/delivery.js';
import type { PlatformCallOutcome } from '../../src/observe.js';
import type { Reply } from '../../src/reply.js';
import { renderMessage } from './blocks.js';

export interface SenderOptions {
  /** A Web API client; its token is not used, each call names the workspace's token. */
  client: webApi.WebClient;
  /** The client for questions asked while someone waits for the answer (see lookupClient); `client` if unset. */
  lookups?: webApi.WebClient;
  /** The bot token for a workspace (team id); throws if Minga does not serve that workspace. */
  tokenFor(workspaceId: string): Promise<string>;
  /** Slack allows about one message per second per channel. */
  minIntervalMs?: number;
  /** Attempts per message when Slack answers 429. */
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Told how each request to the Web API went (for /metrics). */
  onCall?: (outcome: PlatformCallOutcome) => void;
}

/** One channel's queue: sends run one after another, at least `minIntervalMs` apart. */
interface Lane {
  tail: Promise<unknown>;
  nextAt: number;
}

interface PendingEdit {
  reply: Reply;
  done: Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Posts, direct messages and edits. A message ref is Slack's `ts`; a conversation whose channel is a user id
 * (`slack:T1:U2`) is that person's direct messages, so a DM can be edited like any post.
 */
export class SlackSender {
  private readonly lanes = new Map<string, Lane>();
  private readonly pendingEdits = new Map<string, PendingEdit>();
  private readonly dmChannels = new Map<string, Promise<string>>();
  private readonly minIntervalMs: number;
  private readonly maxAttempts: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;

  constructor(private readonly options: SenderOptions) {
    this.minIntervalMs = options.minIntervalMs ?? 1000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.sleep = options.sleep ?? realSleep;
    this.now = options.now ?? Date.now;
  }

  /** Posts a message; Slack's refusals that no retry can change come back as DeliveryRefused. */
  async post(conversation: string, reply: Reply): Promise<string> {
    const { workspaceId, channelId } = slackConversation(conversation);
    const token = await this.options.tokenFor(workspaceId);
    try {
      const channel = await this.channel(workspaceId, channelId, token);
      const message = renderMessage(reply);
      const result = await this.inLane(`${workspaceId}/${channel}`, () =>
        this.options.client.chat.postMessage({ token, channel, ...message }),
      );
      if (!result.ts) throw new Error(`Slack returned no ts for a message to ${conversation}`);
      return result.ts;
    } catch (err) {
      throw refusal(err) ?? err;
    }
  }

  sendDirect(workspaceId: string, userId: string, reply: Reply): Promise<string> {
    return this.post(directConversation(workspaceId, userId), reply);
  }

  /**
   * Whether Minga can post in a channel: it is a member, and the channel is not archived (conversations.info, which
   * needs channels:read for a public channel and groups:read for a private one). Undefined for direct messages, which
   * Minga opens itself. Slack's errors come back as they came (missing_scope, channel_not_found): the caller decides.
   */
  async canPost(conversation: string): Promise<boolean | undefined> {
    const { workspaceId, channelId } = slackConversation(conversation);
    if (!/^[CG]/.test(channelId)) return undefined;
    const token = await this.options.tokenFor(workspaceId);
    const { channel } = await this.counted(() => (this.options.lookups ?? this.options.client).conversations.info({ token, channel: channelId }));
    if (channel?.is_archived) return false;
    return typeof channel?.is_member === 'boolean' ? channel.is_member : undefined;
  }

  /**
   * Uploads a file into a person's direct messages (files.uploadV2), the DM opened as for any direct message: paced,
   * retried after a 429 and counted like a post.
   */
  async uploadDirect(workspaceId: string, userId: string, file: { name: string; content: string }, comment?: string): Promise<void> {
    const token = await this.options.tokenFor(workspaceId);
    const channel = await this.channel(workspaceId, userId, token);
    await this.inLane(`${workspaceId}/${channel}`, () =>
      this.options.client.files.uploadV2({
        token,
        channel_id: channel,
        file: Buffer.from(file.content, 'utf8'),
        filename: file.name,
        title: file.name,
        ...(comment && { initial_comment: comment }),
      }),
    );
  }

  /** Replaces a posted message. Several edits of one message waiting for their turn become one: the latest. */
  async edit(conversation: string, messageRef: string, reply: Reply): Promise<void> {
    const { workspaceId, channelId } = slackConversation(conversation);
    const token = await this.options.tokenFor(workspaceId);
    const channel = await this.channel(workspaceId, channelId, token);
    const key = `${workspaceId}/${channel}/${messageRef}`;
    const waiting = this.pendingEdits.get(key);
    if (waiting) {
      waiting.reply = reply;
      return waiting.done;
    }
    const pending: PendingEdit = { reply, done: Promise.resolve() };
    pending.done = this.inLane(`${workspaceId}/${channel}`, async () => {
      // From here on a newer edit queues behind this one instead of merging into it.
      this.pendingEdits.delete(key);
      const message = renderMessage(pending.reply);
      await this.options.client.chat.update({ token, channel, ts: messageRef, ...message });
    });
    this.pendingEdits.set(key, pending);
    return pending.done;
  }

  /** The channel id to send to; a user id becomes their DM channel (conversations.open, remembered; see inLane). */
  private channel(workspaceId: string, channelId: string, token: string): Promise<string> {
    if (!/^[UW]/.test(channelId)) return Promise.resolve(channelId);
    const key = `${workspaceId}/${channelId}`;
    let dm = this.dmChannels.get(key);
    if (!dm) {
      // Paced and retried like a post, in a lane of its own per workspace (conversations.open is Tier 3, about 50 a
      // minute): a burst of direct messages (a poll reminder to everyone) waits out a 429 instead of failing.
      dm = this.inLane(`${workspaceId}/conversations.open`, () => this.options.client.conversations.open({ token, users: channelId })).then((opened) => {
        if (!opened.channel?.id) throw new Error(`Slack opened no DM with ${channelId}`);
        return opened.channel.id;
      });
      dm.catch(() => this.dmChannels.delete(key));
      this.dmChannels.set(key, dm);
    }
    return dm;
  }

  /** Makes one request to the Web API and reports how it went. */
  private async counted<T>(call: () => Promise<T>): Promise<T> {
    try {
      const result = await call();
      this.options.onCall?.('ok');
      return result;
    } catch (err) {
      this.options.onCall?.(rateLimitedFor(err) === undefined ? 'failed' : 'rate_limited');
      throw err;
    }
  }

  /** Runs `send` in the channel's turn; a 429 waits its Retry-After and tries again, holding back only this channel. */
  private inLane<T>(key: string, send: () => Promise<T>): Promise<T> {
    const lane = this.lanes.get(key) ?? { tail: Promise.resolve(), nextAt: 0 };
    this.lanes.set(key, lane);
    const run = lane.tail.then(async () => {
      for (let attempt = 1; ; attempt += 1) {
        const wait = lane.nextAt - this.now();
        if (wait > 0) await this.sleep(wait);
        try {
          return await this.counted(send);
        } catch (err) {
          const retryAfter = rateLimitedFor(err);
          if (retryAfter === undefined || attempt >= this.maxAttempts) throw err;
          lane.nextAt = this.now() + retryAfter * 1000;
        } finally {
          lane.nextAt = Math.max(lane.nextAt, this.now() + this.minIntervalMs);
        }
      }
    });
    lane.tail = run.catch(() => {});
    return run;
  }
}

/**
 * A web client for the sender: 429s come back to us (see inLane) instead of pausing every call of the client, and a
 * network failure is retried for five minutes rather than the default half hour, so one channel is not held up for long.
 */
export function senderClient(options: Pick<webApi.WebClientOptions, 'slackApiUrl' | 'logger'>): webApi.WebClient {
  return new webApi.WebClient(undefined, { ...options, rejectRateLimitedCalls: true, retryConfig: webApi.retryPolicies.fiveRetriesInFiveMinutes });
}

/**
 * A web client for a question asked while a person waits for Minga's answer (is Minga in this channel?): one retry and
 * ten seconds at most, so an unreachable Slack costs an answer seconds, not the sender's five minutes.
 */
export function lookupClient(options: Pick<webApi.WebClientOptions, 'slackApiUrl' | 'logger'>): webApi.WebClient {
  return new webApi.WebClient(undefined, { ...options, rejectRateLimitedCalls: true, retryConfig: { retries: 1 }, timeout: 10_000 });
}

/** Slack's answers that mean the message can never go where it was sent. */
const REFUSALS: Record<string, RefusalReason> = {
  cannot_dm_bot: 'directMessagesClosed',
  user_not_found: 'recipientGone',
  user_disabled: 'recipientGone',
  not_in_channel: 'notInChannel',
  channel_not_found: 'channelGone',
  is_archived: 'channelGone',
};

function refusal(err: unknown): DeliveryRefused | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { code, data } = err as { code?: unknown; data?: { error?: unknown } };
  const error = code === webApi.ErrorCode.PlatformError ? data?.error : undefined;
  const reason = typeof error === 'string' && Object.hasOwn(REFUSALS, error) ? REFUSALS[error] : undefined;
  return reason && new DeliveryRefused(reason, error as string, err);
}

function rateLimitedFor(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { code, retryAfter } = err as { code?: unknown; retryAfter?: unknown };
  return code === webApi.ErrorCode.RateLimitedError && typeof retryAfter === 'number' ? retryAfter : undefined;
}

function slackConversation(conversation: string) {
  const parts = parseConversationId(conversation);
  if (!parts || parts.platform !== 'slack') throw new Error(`Not a Slack conversation: ${conversation}`);
  return parts;
}

/** The conversation id of a person's direct messages with Minga. */
export function directConversation(workspaceId: string, userId: string): string {
  return conversationId({ platform: 'slack', workspaceId, channelId: userId });
}
