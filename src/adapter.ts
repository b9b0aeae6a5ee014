// What every platform adapter must do, so the core and the scheduler can reach any platform the same way.
import type { Core } from './handler.js';
import type { Platform } from './identity.js';
import type { Observer } from './observe.js';
import type { Reply } from './reply.js';

/** Whether an adapter is connected to its platform, for /healthz; `state` says how in a word (listening, connected, stopped…). */
export interface AdapterHealth {
  ok: boolean;
  state: string;
}

/** An HTTP answer of Minga's own (health, metrics), made without knowing which server sends it. */
export interface OpsResponse {
  status: number;
  contentType: string;
  body: string;
}

/** A GET route for operators, served on PORT by whichever server listens there (see adapters/ops-server.ts). */
export interface OpsRoute {
  path: string;
  respond(): Promise<OpsResponse>;
}

/** What the app gives an adapter as it starts, beside the core. */
export interface AdapterServices {
  /** Told of each call to the platform's API (sent, rate-limited, failed). */
  observer?: Pick<Observer, 'platformCall'>;
  /** The operators' routes, for an adapter that listens on PORT anyway (see `servesRoutes`). */
  routes?: OpsRoute[];
}

export interface Adapter {
  readonly platform: Platform;
  /** A short name for the start-up line, e.g. "console", "slack (HTTP on port 3000)". */
  readonly description: string;
  /**
   * True when, once started, this adapter listens on PORT and serves the `routes` it was given there (Slack's HTTP server),
   * so no other server may take the port.
   */
  readonly servesRoutes?: boolean;
  /** Starts receiving input and passing it to the core. Resolves once it is receiving. */
  start(core: Core, services?: AdapterServices): Promise<void>;
  /** Whether it is connected now (Slack's server listening or socket open, Discord's gateway ready); always fine when absent. */
  health?(): AdapterHealth;
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
