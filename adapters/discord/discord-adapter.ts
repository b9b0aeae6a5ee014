// The Discord adapter: connects a discord.js client, registers /minga, answers interactions, and posts, DMs and edits through REST.
import {
  Client,
  DiscordAPIError,
  Events,
  PermissionFlagsBits,
  RESTEvents,
  RESTJSONErrorCodes,
  Routes,
  Status,
  type APIChannel,
  type APIMessage,
  type RawFile,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord.js';
import type { Adapter, AdapterHealth, AdapterServices } from '../../src/adapter.js';
import { ConfigError } from '../../src/config.js';
import { parseConversationId } from '../../src/conversation.js';
import { DeliveryRefused, type RefusalReason } from '../../src/delivery.js';
import { InFlight } from '../../src/in-flight.js';
import type { Core } from '../../src/handler.js';
import type { Locale } from '../../src/i18n/index.js';
import type { Logger } from '../../src/log.js';
import type { Reply } from '../../src/reply.js';
import { createDiscordClient } from './client.js';
import { mingaCommand } from './commands.js';
import type { DiscordConfig } from './config.js';
import { handleInteraction } from './interactions.js';
import { registerCommands } from './registration.js';
import { renderMessage } from './render.js';

export interface DiscordAdapterOptions {
  log: Logger;
  /** The deployment's language (MINGA_LOCALE), for answers given before the core has met the member. */
  defaultLocale: Locale;
  /** How long to wait for the core before deferring an answer; 0 always defers (tests use it to take that path). */
  deferAfterMs?: number;
  /** How long to wait before registering /minga again after Discord failed to answer (a 5xx past discord.js's retries, a network error). */
  registrationRetryMs?: number;
}

/** Discord's incidents last minutes; trying once a minute costs nothing and needs no one to restart Minga. */
const REGISTRATION_RETRY_MS = 60_000;

/** Discord allows 3 s for the first answer; deferring well before leaves room for the network. */
const DEFER_AFTER_MS = 1500;

export class DiscordAdapter implements Adapter {
  readonly platform = 'discord' as const;
  readonly description: string;
  private client?: Client<true>;
  /** DM channel per user: opening one is idempotent at Discord, but one request is cheaper than two. */
  private readonly directChannels = new Map<string, string>();
  private readonly inFlight = new InFlight();
  private registrationRetry?: NodeJS.Timeout;

  constructor(
    private readonly config: DiscordConfig,
    private readonly options: DiscordAdapterOptions,
  ) {
    this.description = `discord (${config.guildId ? `commands in server ${config.guildId}` : 'global commands'})`;
  }

  async start(core: Core, services: AdapterServices = {}): Promise<void> {
    const client = createDiscordClient(this.config);
    const { log } = this.options;
    const { observer } = services;
    if (observer) {
      // Every answer of Discord's REST API, interaction callbacks included, by status: discord.js retries and waits out
      // rate limits inside its queue, so this sees each 429 it got. A request that got no answer at all is not counted.
      client.rest.on(RESTEvents.Response, (_request, response) =>
        observer.platformCall('discord', response.status === 429 ? 'rate_limited' : response.status < 400 ? 'ok' : 'failed'),
      );
    }
    const context = { core, log, defaultLocale: this.options.defaultLocale, deferAfterMs: this.options.deferAfterMs ?? DEFER_AFTER_MS };
    // Counted until answered, so stop() lets the answers under way go out before it closes the client they need.
    client.on(Events.InteractionCreate, (interaction) => void this.inFlight.run(() => handleInteraction(interaction, context)));
    client.on(Events.Error, (err) => log.error({ err, platform: 'discord' }, 'discord client error'));
    // discord.js's own messages, through the same logger (and so the same redaction) as everything else.
    client.on(Events.Warn, (message) => log.warn({ platform: 'discord' }, message));
    client.on(Events.Debug, (message) => log.debug({ platform: 'discord' }, message));
    const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
    try {
      await client.login(this.config.token);
      this.client = await ready;
      await this.registerCommands(this.client);
    } catch (err) {
      this.client = undefined;
      await client.destroy();
      if ((err as { code?: unknown }).code === 'TokenInvalid') {
        throw new ConfigError('Invalid configuration. DISCORD_TOKEN was refused by Discord: copy it again from the Developer Portal (your application → Bot → Reset Token).');
      }
      throw err;
    }
  }

  /** Connected while the gateway is ready; during a reconnect or a resume it says so. */
  health(): AdapterHealth {
    const status = this.client?.ws.status;
    if (status === undefined) return { ok: false, state: 'stopped' };
    return { ok: status === Status.Ready, state: Status[status]?.toLowerCase() ?? 'unknown' };
  }

  /**
   * Registers /minga. Discord refusing it (a 4xx: the bot is not in DISCORD_GUILD_ID, a wrong application) stops start-up,
   * as a configuration mistake should. Discord failing to answer (a 5xx past discord.js's own retries, the network) does
   * not: exiting would only have a supervisor restart Minga into the same incident, again and again, while what an earlier
   * start registered keeps working. It is logged, and tried again until it succeeds.
   */
  private async registerCommands(client: Client<true>): Promise<void> {
    const { log } = this.options;
    try {
      const result = await registerCommands(client.rest, client.application.id, this.config.guildId, [mingaCommand(this.config.guildId ? 'guild' : 'global')]);
      log.info({ platform: 'discord', guild: this.config.guildId ?? 'global', result }, 'discord commands registered');
    } catch (err) {
      if (err instanceof DiscordAPIError || this.client !== client) throw err;
      const retryInMs = this.options.registrationRetryMs ?? REGISTRATION_RETRY_MS;
      log.error({ err, platform: 'discord', retryInMs }, 'discord commands not registered: Discord did not answer; trying again later');
      this.registrationRetry = setTimeout(() => {
        // Stopped meanwhile: nothing to register for.
        if (this.client === client) void this.registerCommands(client).catch((again: unknown) => log.error({ err: again, platform: 'discord' }, 'discord commands not registered'));
      }, retryInMs);
      this.registrationRetry.unref();
    }
  }

  async stop(): Promise<void> {
    clearTimeout(this.registrationRetry);
    const client = this.client;
    client?.removeAllListeners(Events.InteractionCreate);
    await this.inFlight.settled();
    this.client = undefined;
    await client?.destroy();
  }

  async post(conversation: string, reply: Reply): Promise<string> {
    const message = await this.send(this.channelOf(conversation), reply).catch(refused);
    return message.id;
  }

  async sendDirect(_workspaceId: string, userId: string, reply: Reply): Promise<string> {
    const message = await this.directChannel(userId)
      .then((channelId) => this.send(channelId, reply))
      .catch(refused);
    return message.id;
  }

  async edit(conversation: string, messageRef: string, reply: Reply): Promise<void> {
    await this.rest().patch(Routes.channelMessage(this.channelOf(conversation), messageRef), messageRequest(reply));
  }

  /**
   * Whether Minga may post its messages in a channel: see it, send there and show embeds (without Embed Links, Discord
   * drops a digest's embeds), and not be timed out. Read from the gateway's cache, not asked of Discord: with the Guilds
   * intent the client holds every channel of Minga's servers with its overwrites, the servers' roles and Minga's own
   * member, and Discord keeps them current (channel and role updates, and Minga's own member updates, which come
   * without the privileged members intent). So any instance can answer for any channel, at any time, without a request,
   * and the answer follows a server's changes; discord.js computes the permissions as Discord does. Undefined when the
   * cache does not hold the channel (not started yet, a thread Minga never saw, a server it left) or it is a DM.
   */
  async canPost(conversation: string): Promise<boolean | undefined> {
    const channel = this.client?.channels.cache.get(this.channelOf(conversation));
    if (!channel || channel.isDMBased()) return undefined;
    // A category or a forum holds no messages of its own.
    if (!channel.isTextBased()) return false;
    const me = channel.guild.members.me;
    if (!me) return undefined;
    const permissions = channel.permissionsFor(me);
    if (channel.isThread()) return channel.sendable && permissions.has([PermissionFlagsBits.ViewChannel, PermissionFlagsBits.EmbedLinks]);
    return permissions.has(POSTING) && !me.isCommunicationDisabled();
  }

  private async send(channelId: string, reply: Reply): Promise<APIMessage> {
    // Through discord.js's REST queue, which waits out per-route and global rate limits for us.
    return (await this.rest().post(Routes.channelMessages(channelId), messageRequest(reply))) as APIMessage;
  }

  private async directChannel(userId: string): Promise<string> {
    let channelId = this.directChannels.get(userId);
    if (!channelId) {
      const channel = (await this.rest().post(Routes.userChannels(), { body: { recipient_id: userId } })) as APIChannel;
      channelId = channel.id;
      this.directChannels.set(userId, channelId);
    }
    return channelId;
  }

  private channelOf(conversation: string): string {
    const parts = parseConversationId(conversation);
    if (parts?.platform !== 'discord') throw new Error(`not a Discord conversation: ${conversation}`);
    return parts.channelId;
  }

  private rest() {
    if (!this.client) throw new Error('the Discord adapter is not started');
    return this.client.rest;
  }
}

/** What Minga needs in a channel to post there: its messages are embeds. */
const POSTING = [PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages, PermissionFlagsBits.EmbedLinks];

/** Discord's answers that mean the message can never go where it was sent. */
const REFUSALS = new Map<number | string, RefusalReason>([
  [RESTJSONErrorCodes.CannotSendMessagesToThisUser, 'directMessagesClosed'],
  [RESTJSONErrorCodes.CannotSendMessagesToThisUserDueToHavingNoMutualGuilds, 'directMessagesClosed'],
  [RESTJSONErrorCodes.UnknownUser, 'recipientGone'],
  [RESTJSONErrorCodes.MissingAccess, 'notInChannel'],
  [RESTJSONErrorCodes.MissingPermissions, 'notInChannel'],
  [RESTJSONErrorCodes.UnknownChannel, 'channelGone'],
]);

/** Rethrows a permanent refusal as the core's DeliveryRefused, anything else as it came. */
function refused(err: unknown): never {
  const reason = err instanceof DiscordAPIError ? REFUSALS.get(err.code) : undefined;
  throw reason ? new DeliveryRefused(reason, String((err as DiscordAPIError).code), err) : err;
}

/** A channel message: public by nature, so the reply's visibility does not apply; never pings anyone. */
function messageRequest(reply: Reply): { body: RESTPostAPIChannelMessageJSONBody; files?: RawFile[] } {
  const message = renderMessage(reply);
  const body: RESTPostAPIChannelMessageJSONBody = {
    // Empty content clears the text of an edited message that now shows an embed.
    content: message.content ?? '',
    embeds: message.embeds,
    components: message.components,
    allowed_mentions: { parse: [] },
  };
  if (message.files.length === 0) return { body };
  return {
    body: { ...body, attachments: message.files.map((file, id) => ({ id, filename: file.name })) },
    files: message.files.map((file) => ({ name: file.name, data: file.data, contentType: file.contentType })),
  };
}
