// The Slack adapter: a Bolt app (HTTP at /slack/events, or Socket Mode; one bot token, or the OAuth install flow) feeding the core, and the sender for Minga's own posts.
import type { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, webApi, type AppOptions } from '@slack/bolt';
import type { Database } from '../../db/connection.js';
import type { Adapter, AdapterHealth, AdapterServices } from '../../src/adapter.js';
import { ConfigError } from '../../src/config.js';
import type { Core } from '../../src/handler.js';
import { t, type Locale } from '../../src/i18n/index.js';
import type { Logger } from '../../src/log.js';
import type { Reply } from '../../src/reply.js';
import { deriveKey } from '../../src/secrets.js';
import { serveRoute } from '../ops-server.js';
import { boltLogger } from './bolt-logger.js';
import { loadSlackConfig, SLACK_SCOPES, type SlackConfig } from './config.js';
import { SlackIdentity } from './identity.js';
import { installedPage, installFailedPage, installPage, sendHtml } from './install-pages.js';
import { countClearInstallations, PostgresInstallationStore } from './installation-store.js';
import { registerListeners } from './listeners.js';
import { InFlight } from '../../src/in-flight.js';
import { lookupClient, SlackSender, senderClient, type SenderOptions } from './sender.js';

export interface SlackAdapterOptions {
  env: NodeJS.ProcessEnv;
  database: Database;
  log: Logger;
  /** The deployment's language, for the start-up line and the install pages. */
  locale: Locale;
  /** The deployment secret (MINGA_SECRET, or the embedded database's generated one): the stored tokens are sealed with a key from it. */
  secret?: string;
  /** The interface to listen on; all of them unless set (tests use 127.0.0.1). */
  host?: string;
  /** Pacing and retry settings of the sender, replaceable in tests. */
  sender?: Pick<SenderOptions, 'minIntervalMs' | 'maxAttempts' | 'sleep'>;
  /** How long a command's answer may take to go in the ack (see ACK_BUDGET_MS); tests set 0 to see the later path. */
  ackBudgetMs?: number;
}

export class SlackAdapter implements Adapter {
  readonly platform = 'slack' as const;
  readonly description: string;
  readonly config: SlackConfig;
  private readonly log: Logger;
  /** The workspaces' sealed tokens; none without a secret, which only the one-token mode can do without. */
  private readonly installations?: PostgresInstallationStore;
  private readonly sender: SlackSender;
  private readonly inFlight = new InFlight();
  private app?: App;
  private server?: Server;
  /** The one workspace a bot token serves, from auth.test at start. */
  private teamId?: string;
  /** Socket Mode: the WebSocket's last state as its client reported it (connected, reconnecting, disconnected…). */
  private socketState?: string;
  private observer?: AdapterServices['observer'];
  private routesServed = false;

  /** Reads and checks the Slack variables; a missing or malformed one throws a ConfigError naming it. */
  constructor(private readonly options: SlackAdapterOptions) {
    this.config = loadSlackConfig(options.env);
    this.log = options.log.child({ adapter: 'slack' });
    if (options.secret) {
      this.installations = new PostgresInstallationStore(options.database.db, deriveKey(options.secret, 'slack-installations'));
    } else if (this.config.auth.kind === 'oauth') {
      // Only with DATABASE_URL: the embedded database always has a secret (generated into its data directory).
      throw new ConfigError(
        'Invalid configuration. MINGA_SECRET: missing; the Slack install flow (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET) ' +
          'keeps each workspace\'s token encrypted with it. Set it to a long random value, e.g. from: openssl rand -hex 32, and keep it: ' +
          'the stored tokens open only with the same value.',
      );
    }
    this.description = describe(this.config, options.locale);
    const clientOptions = { ...(this.config.apiUrl && { slackApiUrl: this.config.apiUrl }), logger: boltLogger(this.log) };
    this.sender = new SlackSender({
      client: senderClient(clientOptions),
      lookups: lookupClient(clientOptions),
      tokenFor: (workspaceId) => this.tokenFor(workspaceId),
      // Read at each call: the observer arrives with start(), after the sender is built.
      onCall: (outcome) => this.observer?.platformCall('slack', outcome),
      ...options.sender,
    });
  }

  /** The port the HTTP receiver listens on (the real one when PORT=0), once started. */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  /** Over HTTP always; in Socket Mode too once given routes (Bolt then opens its HTTP server on PORT for them). */
  get servesRoutes(): boolean {
    return this.routesServed;
  }

  async start(core: Core, services: AdapterServices = {}): Promise<void> {
    this.observer = services.observer;
    await this.prepareInstallations();
    const logger = boltLogger(this.log);
    const clientOptions = { ...(this.config.apiUrl && { slackApiUrl: this.config.apiUrl }) };
    // No conversation store: Minga keeps nothing per conversation in memory (state lives in Postgres, shared by instances),
    // and Bolt's default store builds an Error on every request for a conversation it has not seen.
    const options: AppOptions = { ...(await this.authOptions(clientOptions)), ...this.receiverOptions(), logger, clientOptions, convoStore: false };
    const routes = services.routes ?? [];
    if (routes.length > 0) {
      options.customRoutes = routes.map((route) => ({
        path: route.path,
        method: ['GET', 'HEAD'],
        handler: (req, res) => void serveRoute(routes, req, res, this.log),
      }));
      // Socket Mode serves custom routes on the installer's port: PORT, like the install pages.
      if (this.config.mode === 'socket') options.installerOptions = { ...options.installerOptions, port: this.config.port };
    }
    const app = new App(options);
    // Every request counted until its listener is done (its answer sent on the response_url too), for stop() to wait on.
    app.use(({ next }) => this.inFlight.run(next));
    registerListeners(app, { core, sender: this.sender, identity: new SlackIdentity(this.log), log: this.log, ...(this.options.ackBudgetMs !== undefined && { ackBudgetMs: this.options.ackBudgetMs }) });
    if (this.config.auth.kind === 'oauth') {
      // When a workspace removes Minga its token stops working: forget it rather than keep a secret that serves nothing.
      app.event('app_uninstalled', async ({ context }) => this.forget(context));
      app.event('tokens_revoked', async ({ event, context }) => {
        if (event.tokens.bot?.length) await this.forget(context);
      });
    }
    this.app = app;
    this.routesServed = this.config.mode === 'http' || routes.length > 0;
    if (this.config.mode === 'socket') {
      this.watchSocket(app);
      await app.start();
      this.socketState = 'connected';
    } else {
      this.server = await app.start({ port: this.config.port, ...(this.options.host && { host: this.options.host }) });
    }
  }

  /** Connected: over HTTP, the server listens; in Socket Mode, the WebSocket to Slack is open. */
  health(): AdapterHealth {
    if (this.config.mode === 'http') return this.server?.listening ? { ok: true, state: 'listening' } : { ok: false, state: 'stopped' };
    const state = this.app ? (this.socketState ?? 'connecting') : 'stopped';
    return { ok: state === 'connected', state };
  }

  /**
   * Follows the Socket Mode client's state events. Bolt keeps its receiver private; the client is public on the receiver
   * and emits connected, reconnecting, disconnected: read through a narrow cast rather than rebuilding Bolt's receiver.
   */
  private watchSocket(app: App): void {
    const client = (app as unknown as { receiver?: { client?: EventEmitter } }).receiver?.client;
    for (const state of ['connecting', 'connected', 'reconnecting', 'disconnecting', 'disconnected']) client?.on(state, () => (this.socketState = state));
  }

  /** Before anything is served: a wrong secret stops start-up with a message naming it, and tokens still in clear are sealed. */
  private async prepareInstallations(): Promise<void> {
    if (!this.installations) {
      const clear = await countClearInstallations(this.options.database.db);
      if (clear > 0) this.log.warn({ clear }, 'Slack installations are stored in clear; set MINGA_SECRET to encrypt them');
      return;
    }
    const sealed = await this.installations.sealStored();
    if (sealed > 0) this.log.info({ sealed }, 'slack installations stored in clear are now encrypted');
  }

  private async forget(context: { teamId?: string; enterpriseId?: string; isEnterpriseInstall?: boolean }): Promise<void> {
    const query = { teamId: context.teamId, enterpriseId: context.enterpriseId, isEnterpriseInstall: context.isEnterpriseInstall ?? false };
    await this.store().deleteInstallation(query);
    this.log.info({ team: context.teamId, enterprise: context.enterpriseId }, 'slack installation removed');
  }

  async stop(): Promise<void> {
    // No new requests, then the answers under way go out before the process may leave.
    await this.app?.stop();
    await this.inFlight.settled();
    this.app = undefined;
    this.server = undefined;
    this.socketState = undefined;
  }

  post(conversation: string, reply: Reply): Promise<string> {
    return this.sender.post(conversation, reply);
  }

  sendDirect(workspaceId: string, userId: string, reply: Reply): Promise<string> {
    return this.sender.sendDirect(workspaceId, userId, reply);
  }

  edit(conversation: string, messageRef: string, reply: Reply): Promise<void> {
    return this.sender.edit(conversation, messageRef, reply);
  }

  /**
   * Whether Minga is a member of the channel (see SlackSender.canPost). When Slack cannot say, undefined, and a log line
   * with Slack's error and never the token: a warning for a missing scope (an app installed before digests, to reinstall
   * from the current manifest) or an unreachable Slack; at debug for a channel Slack does not show Minga (deleted, or
   * private without Minga in it).
   */
  async canPost(conversation: string): Promise<boolean | undefined> {
    try {
      return await this.sender.canPost(conversation);
    } catch (err) {
      const { code, data } = err as { code?: unknown; data?: { error?: unknown; needed?: unknown } };
      const error = code === webApi.ErrorCode.PlatformError && typeof data?.error === 'string' ? data.error : undefined;
      if (error === 'missing_scope') {
        this.log.warn({ conversation, error, needed: data?.needed }, 'slack app lacks the scope to tell whether Minga is in a channel: reinstall it from the current manifest');
      } else if (error) {
        this.log.debug({ conversation, error }, 'slack did not say whether Minga is in a channel');
      } else {
        this.log.warn({ conversation, reason: err instanceof Error ? err.message : String(err) }, 'could not ask slack whether Minga is in a channel');
      }
      return undefined;
    }
  }

  /** One workspace: check the token with auth.test now, so a bad one stops start-up. Many: Bolt asks the installation store per request. */
  private async authOptions(clientOptions: webApi.WebClientOptions): Promise<AppOptions> {
    const { auth } = this.config;
    if (auth.kind === 'oauth') {
      return {
        clientId: auth.clientId,
        clientSecret: auth.clientSecret,
        stateSecret: auth.stateSecret,
        scopes: [...SLACK_SCOPES],
        installationStore: this.store(),
        installerOptions: {
          ...(this.config.mode === 'socket' && { port: this.config.port }),
          renderHtmlForInstallPath: (url) => installPage(this.options.locale, url),
          callbackOptions: {
            success: (installation, _options, _req, res) => sendHtml(res, 200, installedPage(this.options.locale, installation)),
            failure: (error, _options, _req, res) => {
              this.log.warn({ err: error }, 'slack installation failed');
              sendHtml(res, 500, installFailedPage(this.options.locale));
            },
          },
        },
      };
    }
    let checked;
    try {
      // Few retries: a wrong SLACK_API_URL or no network should stop start-up in seconds, not after the client's half hour.
      const client = new webApi.WebClient(auth.botToken, { ...clientOptions, logger: boltLogger(this.log), retryConfig: { retries: 1 } });
      checked = await client.auth.test();
    } catch (err) {
      const code = (err as { data?: { error?: string } }).data?.error;
      if (code) throw new ConfigError(`Invalid Slack configuration. SLACK_BOT_TOKEN: Slack refused it (${code}).`);
      throw new Error(`Could not reach Slack at ${this.config.apiUrl ?? 'https://slack.com/api/'}: ${(err as Error).message}`, { cause: err });
    }
    this.teamId = checked.team_id;
    // Bolt would call auth.test again; hand it what we learned instead.
    return { token: auth.botToken, botId: checked.bot_id, botUserId: checked.user_id, tokenVerificationEnabled: false };
  }

  private receiverOptions(): AppOptions {
    if (this.config.mode === 'socket') return { socketMode: true, appToken: this.config.appToken };
    return { signingSecret: this.config.signingSecret, port: this.config.port };
  }

  private store(): PostgresInstallationStore {
    // The constructor refuses the install flow without a secret, so this is a programming mistake.
    if (!this.installations) throw new Error('The Slack installation store needs the deployment secret');
    return this.installations;
  }

  private async tokenFor(workspaceId: string): Promise<string> {
    const { auth } = this.config;
    if (auth.kind === 'token') {
      if (this.teamId && this.teamId !== workspaceId) throw new Error(`This Slack bot token serves workspace ${this.teamId}, not ${workspaceId}`);
      return auth.botToken;
    }
    const installation = await this.store().fetchInstallation({ teamId: workspaceId, enterpriseId: undefined, isEnterpriseInstall: false });
    if (!installation.bot?.token) throw new Error(`The Slack installation of ${workspaceId} has no bot token`);
    return installation.bot.token;
  }
}

function describe(config: SlackConfig, locale: Locale): string {
  const oauth = config.auth.kind === 'oauth';
  if (config.mode === 'socket') return t(locale, oauth ? 'slack.adapter.socketOauth' : 'slack.adapter.socket', { port: config.port });
  return t(locale, oauth ? 'slack.adapter.oauth' : 'slack.adapter.http', { port: config.port });
}
