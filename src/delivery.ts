// Delivery of what Minga says on its own (scheduled and follow-up messages), routed to the adapter that owns the conversation.
import type { Adapter } from './adapter.js';
import { parseConversationId } from './conversation.js';
import type { Db } from '../db/connection.js';
import type { Defaults, Platform } from './identity.js';
import type { Logger } from './log.js';
import type { Reply } from './reply.js';

export interface Delivery {
  post(conversation: string, reply: Reply): Promise<string>;
  edit(conversation: string, messageRef: string, reply: Reply): Promise<void>;
  sendDirect(platform: Platform, workspaceId: string, userId: string, reply: Reply): Promise<string>;
  /** See Adapter.canPost; undefined when no adapter runs for the conversation or its platform cannot tell. */
  canPost(conversation: string): Promise<boolean | undefined>;
}

/** What scheduled work that speaks on Minga's own initiative (poll posts, reminders) runs with. */
export interface DeliveryDeps {
  db: Db;
  delivery: Delivery;
  defaults: Defaults;
  log: Logger;
  now: () => Date;
}

export class NoAdapterError extends Error {}

/**
 * Why a platform refused a message for good, so trying again would never help: the person does not accept direct messages
 * (or cannot: Minga is blocked, they left), or Minga cannot post in the channel (not a member, gone, archived).
 */
export type RefusalReason = 'directMessagesClosed' | 'recipientGone' | 'notInChannel' | 'channelGone';

/**
 * A permanent refusal, thrown by an adapter's sender in place of the platform's own error (kept as its cause, for the
 * log), so the core can tell it from a failure worth retrying. `platformError` is the platform's code.
 */
export class DeliveryRefused extends Error {
  constructor(
    readonly reason: RefusalReason,
    readonly platformError: string,
    cause?: unknown,
  ) {
    super(`delivery refused (${reason}): ${platformError}`, { cause });
    this.name = 'DeliveryRefused';
  }
}

export function createDelivery(adapters: () => Adapter[]): Delivery {
  const adapterFor = (platform: Platform | undefined, what: string) => {
    const adapter = adapters().find((candidate) => candidate.platform === platform);
    if (!adapter) throw new NoAdapterError(`no running adapter for ${what}`);
    return adapter;
  };
  return {
    post: (conversation, reply) => adapterFor(parseConversationId(conversation)?.platform, conversation).post(conversation, reply),
    edit: (conversation, ref, reply) => adapterFor(parseConversationId(conversation)?.platform, conversation).edit(conversation, ref, reply),
    sendDirect: (platform, workspaceId, userId, reply) => adapterFor(platform, platform).sendDirect(workspaceId, userId, reply),
    canPost: async (conversation) => {
      const platform = parseConversationId(conversation)?.platform;
      const adapter = adapters().find((candidate) => candidate.platform === platform);
      return adapter?.canPost ? adapter.canPost(conversation) : undefined;
    },
  };
}
