// What every platform adapter must do, so the core and the scheduler can reach any platform the same way.
import type { Core } from './handler.js';
import type { Platform } from './identity.js';
import type { Reply } from './reply.js';

export interface Adapter {
  readonly platform: Platform;
  /** A short name for the start-up line, e.g. "console", "slack (HTTP on port 3000)". */
  readonly description: string;
  /** Starts receiving input and passing it to the core. Resolves once it is receiving. */
  start(core: Core): Promise<void>;
  /** Stops receiving and releases connections. */
  stop(): Promise<void>;
  /** Posts a reply on Minga's own initiative (reminders, digests) to a conversation id; returns the message's platform ref. */
  post(conversation: string, reply: Reply): Promise<string>;
  /** Sends a direct message to a member of a workspace; returns the message ref. */
  sendDirect(workspaceId: string, userId: string, reply: Reply): Promise<string>;
  /** Replaces a message Minga posted earlier (poll results, refreshed lists). */
  edit(conversation: string, messageRef: string, reply: Reply): Promise<void>;
  /**
   * Whether Minga can post in a conversation (Slack: the bot is a member of the channel; Discord: it may send there);
   * undefined when the platform cannot tell. Asked before subscribing a channel to something posted later (a digest).
   */
  canPost?(conversation: string): Promise<boolean | undefined>;
}
