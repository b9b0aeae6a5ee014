// Local fake of Discord (REST API v10 + JSON gateway) on 127.0.0.1, so wire-level tests can drive the REAL discord.js Client.
//
// Use with the real client (no token check, no compression: discord.js only asks for zlib-stream when
// the optional `zlib-sync` package is installed, which it is not here):
//   new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.restUrl } })
// `rest.api` is the base WITHOUT the version: @discordjs/rest appends `/v10` + the route itself.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, WebSocket } from 'ws';

// Payloads are loose JSON on purpose: tests assert on them with toMatchObject and deep property access.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface RecordedRequest {
  method: string;
  /** Route without the `/v10` prefix and without the query string, e.g. `/channels/1/messages`. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body (for multipart uploads: the parsed `payload_json` part), undefined if none. */
  body: Json;
  /** For multipart uploads: the attached files (`files[n]` parts), with their names, content types and text. */
  files?: RecordedFile[];
  /** HTTP status the fake answered with. */
  status: number;
  /** Set when this request was answered with a failure injected by `failNext`. */
  injected?: InjectedFailure;
}

/** A file attached to a message or interaction reply, as it arrived in a multipart body. */
export interface RecordedFile {
  /** The form field, e.g. `files[0]`. */
  field: string;
  name: string;
  contentType: string;
  /** The bytes as UTF-8 text. */
  content: string;
}
/**
 * A failure to inject, as Discord answers it: a 429 with `retry_after` in seconds (global: the bot's limit across every
 * route, which Discord flags with X-RateLimit-Global and `global: true`), a server error (an incident, a bad gateway), or a refusal.
 */
export type InjectedFailure =
  | { status: 429; retryAfter: number; global?: boolean }
  | { status: 500 | 502 | 503 | 504 }
  /** A refusal with Discord's JSON error code, e.g. 403 50001 Missing Access. */
  | { status: 400 | 403 | 404; code: number; message: string };

export interface FakeGuildOptions {
  id: string;
  name: string;
  ownerId: string;
  preferredLocale?: string;
  /** Text channels (type 0 unless given). Defaults to one `general` channel. */
  channels?: Array<{ id: string; name: string; type?: number }>;
}

export interface FakeDiscordOptions {
  guilds?: FakeGuildOptions[];
  applicationId?: string;
  botUserId?: string;
  botUsername?: string;
  /** HELLO heartbeat_interval. Real Discord uses ~41250 ms; the client sends its first beat after a random fraction of it. */
  heartbeatIntervalMs?: number;
}

export interface FakeUser {
  id: string;
  username: string;
  globalName?: string | null;
}

/** One option as Discord sends it in interaction data (type numbers per API v10: 1 SUB_COMMAND, 2 SUB_COMMAND_GROUP, 3 STRING, 4 INTEGER, 5 BOOLEAN, 6 USER, 7 CHANNEL, 8 ROLE, 10 NUMBER...). */
export interface InteractionOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  focused?: boolean;
  options?: InteractionOption[];
}

export interface InteractionContextOptions {
  /** Defaults to the first configured guild; `null` builds a DM interaction (user instead of member, context 1). */
  guildId?: string | null;
  /** Defaults to the guild's first channel (or a DM channel with the user). */
  channelId?: string;
  user?: FakeUser;
  locale?: string;
  /** Member permissions bitfield as a decimal string (e.g. String(PermissionFlagsBits.ManageGuild)). */
  permissions?: string;
  roles?: string[];
  /** The interaction's id, whose snowflake time is when the member acted (see `snowflakeAt`); by default a fresh one, now. */
  id?: string;
}

export interface CommandInteractionOptions extends InteractionContextOptions {
  name?: string;
  options?: InteractionOption[];
  /** Defaults to the id of the registered command with that name, else a fresh snowflake. */
  commandId?: string;
  resolved?: Json;
}

export interface ComponentInteractionOptions extends InteractionContextOptions {
  customId: string;
  /** Message the component sits on; if the fake stored it (posted earlier), that message is used. */
  messageId?: string;
  /** Overrides/extra fields for the message object. */
  message?: Json;
}

export interface SelectInteractionOptions extends ComponentInteractionOptions {
  values: string[];
  /** 3 string select (default), 5 user, 6 role, 7 mentionable, 8 channel. */
  componentType?: number;
}

export interface FakeDiscord {
  restUrl: string;
  gatewayUrl: string;
  applicationId: string;
  botUserId: string;
  requests: RecordedRequest[];
  /** Every payload the client sent over the gateway (identify, heartbeats, ...). */
  gatewayReceived: Json[];
  /** Stored application commands: `commands()` global, `commands(guildId)` per guild. */
  commands(guildId?: string): Json[];
  /** Message stored by the fake (posted, edited, or created by an interaction response). */
  message(id: string): Json | undefined;
  sendDispatch(t: string, d: Json): void;
  /** Sends op 7 RECONNECT: discord.js closes, waits ~500 ms, reconnects and RESUMEs (answered with RESUMED). */
  requestReconnect(): void;
  sendInteraction(payload: Json): Json;
  chatInputInteraction(o?: CommandInteractionOptions): Json;
  autocompleteInteraction(o?: CommandInteractionOptions): Json;
  buttonInteraction(o: ComponentInteractionOptions): Json;
  selectInteraction(o: SelectInteractionOptions): Json;
  waitFor(predicate: (r: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** Calls `listener` with every request as it is recorded (benchmarks time round trips with it); returns an unsubscribe. */
  onRequest(listener: (r: RecordedRequest) => void): () => void;
  /** Waits for the callback (POST /interactions/{id}/{token}/callback) of the given interaction payload. */
  waitForCallback(interaction: Json, timeoutMs?: number): Promise<RecordedRequest>;
  callbacks(): RecordedRequest[];
  messagesPosted(): RecordedRequest[];
  webhookRequests(): RecordedRequest[];
  clearRequests(): void;
  /**
   * The next `times` REST requests with this method whose route (without `/v10`) matches `path` are answered with the
   * failure instead (they are still recorded, with `injected` set), in the order the injections were made.
   */
  failNext(method: string, path: RegExp, failure: InjectedFailure, times?: number): void;
  /** From now on, messages to this user's DMs are refused as Discord refuses them for someone who closed theirs: 403, code 50007. */
  refuseDirectMessages(userId: string): void;
  /** From now on, bodies with a file larger than `bytes` are refused as Discord refuses them: 413, code 40005 (10 MiB unless set). */
  limitAttachments(bytes: number): void;
  /**
   * Changes a server channel (e.g. its `permission_overwrites`) and tells the gateway (CHANNEL_UPDATE). Posts there follow
   * Minga's permissions as Discord computes them: without View Channel 403 50001, without Send Messages 403 50013.
   */
  updateChannel(channelId: string, changes: Json): void;
  /** Deletes a server channel and tells the gateway (CHANNEL_DELETE): posts there get 404 10003, Unknown Channel. */
  deleteChannel(channelId: string): void;
  /** Minga is removed from a server (kicked) and told (GUILD_DELETE): posts to its channels get 403 50001, Missing Access. */
  removeFromGuild(guildId: string): void;
  close(): Promise<void>;
}

const DISCORD_EPOCH = 1420070400000n;
let snowflakeIncrement = 0n;

/** Time-based snowflake, so discord.js's createdTimestamp etc. look sane. */
export function snowflake(): string {
  return snowflakeAt(Date.now());
}

/** A snowflake made at an instant (milliseconds since the Unix epoch), as Discord would have made it then. */
export function snowflakeAt(ms: number): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) % 4096n;
  return (((BigInt(ms) - DISCORD_EPOCH) << 22n) | (1n << 17n) | snowflakeIncrement).toString();
}

const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  Resume: 6,
  Reconnect: 7,
  RequestGuildMembers: 8,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;

const EPHEMERAL = 64;
const LOADING = 128;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

interface Session {
  id: string;
  seq: number;
  socket: WebSocket | null;
}

interface InteractionState {
  payload: Json;
  acknowledged: boolean;
  originalMessageId: string | null;
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const applicationId = options.applicationId ?? snowflake();
  const botUserId = options.botUserId ?? applicationId;
  const heartbeatInterval = options.heartbeatIntervalMs ?? 41250;

  const botUser = {
    id: botUserId,
    username: options.botUsername ?? 'Minga',
    global_name: null,
    discriminator: '0000',
    avatar: null,
    bot: true,
    system: false,
    public_flags: 0,
    flags: 0,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
  };

  const users = new Map<string, Json>([[botUserId, botUser]]);
  const channels = new Map<string, Json>();
  const messages = new Map<string, Json>();
  const guilds = new Map<string, Json>();
  const commandStore = new Map<string, Json[]>(); // key: 'global' or guild id
  const interactions = new Map<string, InteractionState>(); // key: token
  const dmByUser = new Map<string, string>();
  const refusingUsers = new Set<string>();
  let attachmentLimit = 10 * 1024 * 1024;
  const leftGuilds = new Set<string>();
  const sessions = new Map<string, Session>();
  const requests: RecordedRequest[] = [];
  const requestListeners = new Set<(r: RecordedRequest) => void>();
  const injections: Array<{ method: string; path: RegExp; failure: InjectedFailure; times: number }> = [];
  const gatewayReceived: Json[] = [];

  function apiUser(u: FakeUser): Json {
    return {
      id: u.id,
      username: u.username,
      global_name: u.globalName ?? null,
      discriminator: '0',
      avatar: null,
      public_flags: 0,
      flags: 0,
      banner: null,
      accent_color: null,
      avatar_decoration_data: null,
      clan: null,
      primary_guild: null,
      collectibles: null,
    };
  }

  function knownUser(id: string): Json {
    let u = users.get(id);
    if (!u) {
      u = apiUser({ id, username: `user${id.slice(-4)}` });
      users.set(id, u);
    }
    return u;
  }

  function apiMember(user: Json, roles: string[], joinedAt: string): Json {
    return {
      user,
      roles,
      nick: null,
      avatar: null,
      banner: null,
      joined_at: joinedAt,
      premium_since: null,
      deaf: false,
      mute: false,
      pending: false,
      flags: 0,
      communication_disabled_until: null,
      unusual_dm_activity_until: null,
    };
  }

  // Build full GUILD_CREATE objects up front so REST and gateway agree on ids.
  for (const g of options.guilds ?? []) {
    const joinedAt = new Date().toISOString();
    const botRoleId = snowflake();
    const channelList = g.channels ?? [{ id: snowflake(), name: 'general' }];
    const apiChannels = channelList.map((c, position) => {
      const ch = {
        id: c.id,
        type: c.type ?? 0,
        guild_id: g.id,
        name: c.name,
        position,
        parent_id: null,
        topic: null,
        nsfw: false,
        last_message_id: null,
        rate_limit_per_user: 0,
        permission_overwrites: [],
        flags: 0,
      };
      channels.set(c.id, ch);
      return ch;
    });
    const owner = knownUser(g.ownerId);
    const members = [apiMember(botUser, [botRoleId], joinedAt)];
    if (g.ownerId !== botUserId) members.push(apiMember(owner, [], joinedAt));
    const role = (id: string, name: string, permissions: string, position: number, extra: Json = {}): Json => ({
      id,
      name,
      description: null,
      permissions,
      position,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      managed: false,
      mentionable: false,
      icon: null,
      unicode_emoji: null,
      flags: 0,
      ...extra,
    });
    guilds.set(g.id, {
      id: g.id,
      name: g.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: g.ownerId,
      application_id: null,
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      widget_channel_id: null,
      verification_level: 0,
      default_message_notifications: 1,
      explicit_content_filter: 0,
      mfa_level: 0,
      nsfw_level: 0,
      nsfw: false,
      features: [],
      emojis: [],
      stickers: [],
      roles: [
        role(g.id, '@everyone', '2248473465835073', 0),
        role(botRoleId, botUser.username, '2147534848', 1, { managed: true, tags: { bot_id: botUserId } }),
      ],
      system_channel_id: apiChannels[0]?.id ?? null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      vanity_url_code: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      preferred_locale: g.preferredLocale ?? 'en-US',
      max_members: 500000,
      max_presences: null,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      incidents_data: null,
      // GUILD_CREATE-only fields:
      joined_at: joinedAt,
      large: false,
      unavailable: false,
      lazy: true,
      member_count: members.length,
      members,
      channels: apiChannels.map(({ guild_id: _omit, ...c }) => c), // the gateway omits guild_id inside GUILD_CREATE
      threads: [],
      presences: [],
      voice_states: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      embedded_activities: [],
      application_command_counts: {},
    });
  }

  const firstGuildId = (): string | null => guilds.keys().next().value ?? null;

  // ---------- HTTP + gateway servers (one port: ws handles the upgrade) ----------

  const server = createServer((req, res) => {
    void handleHttp(req, res);
  });
  const wss = new WebSocketServer({ server });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const restUrl = `http://127.0.0.1:${port}`;
  const gatewayUrl = `ws://127.0.0.1:${port}`;

  const application = {
    id: applicationId,
    name: botUser.username,
    icon: null,
    description: '',
    summary: '',
    type: null,
    hook: true,
    bot_public: true,
    bot_require_code_grant: false,
    verify_key: randomBytes(32).toString('hex'),
    flags: 0,
    owner: apiUser({ id: '100000000000000001', username: 'owner' }),
    team: null,
    bot: botUser,
    tags: [],
    install_params: null,
    integration_types_config: { '0': {} },
    approximate_guild_count: guilds.size,
    redirect_uris: [],
    interactions_endpoint_url: null,
    role_connections_verification_url: null,
  };

  // ---------- gateway ----------

  function send(socket: WebSocket, payload: Json): void {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(payload));
  }

  function dispatchTo(session: Session, t: string, d: Json): void {
    if (!session.socket) return;
    session.seq += 1;
    send(session.socket, { op: Op.Dispatch, t, s: session.seq, d });
  }

  function sendDispatch(t: string, d: Json): void {
    const live = [...sessions.values()].filter((s) => s.socket?.readyState === WebSocket.OPEN);
    if (live.length === 0) throw new Error(`fake Discord: no identified gateway connection to send ${t} to (is the client logged in?)`);
    for (const s of live) dispatchTo(s, t, d);
  }

  wss.on('connection', (socket) => {
    let session: Session | null = null;
    send(socket, { op: Op.Hello, d: { heartbeat_interval: heartbeatInterval, _trace: ['["fake-gateway",{"micros":0}]'] }, s: null, t: null });

    socket.on('message', (raw) => {
      let msg: Json;
      try {
        msg = JSON.parse(raw.toString());
      } catch {
        socket.close(4002, 'Error while decoding payload.');
        return;
      }
      gatewayReceived.push(msg);
      switch (msg.op) {
        case Op.Heartbeat:
          send(socket, { op: Op.HeartbeatAck, d: null, s: null, t: null });
          break;
        case Op.Identify: {
          if (session) {
            socket.close(4005, 'Already authenticated.');
            return;
          }
          session = { id: randomBytes(16).toString('hex'), seq: 0, socket };
          sessions.set(session.id, session);
          dispatchTo(session, 'READY', {
            v: 10,
            user: { ...botUser, verified: true, mfa_enabled: false, email: null },
            user_settings: {},
            guilds: [...guilds.keys()].map((id) => ({ id, unavailable: true })),
            session_id: session.id,
            session_type: 'normal',
            resume_gateway_url: gatewayUrl,
            shard: msg.d?.shard ?? [0, 1],
            application: { id: applicationId, flags: application.flags },
            private_channels: [],
            relationships: [],
            presences: [],
            guild_join_requests: [],
            geo_ordered_rtc_regions: ['us-east'],
            auth: {},
            _trace: ['["fake-gateway",{"micros":0}]'],
          });
          // All guilds right after READY: discord.js marks the client ready as soon as every
          // guild listed in READY arrived, instead of waiting out waitGuildTimeout (15 s).
          for (const g of guilds.values()) dispatchTo(session, 'GUILD_CREATE', g);
          break;
        }
        case Op.Resume: {
          const known = sessions.get(msg.d?.session_id);
          if (!known) {
            send(socket, { op: Op.InvalidSession, d: false, s: null, t: null });
            return;
          }
          // Missed events are not replayed: the fake keeps no backlog.
          known.socket = socket;
          session = known;
          dispatchTo(known, 'RESUMED', { _trace: [] });
          break;
        }
        case Op.RequestGuildMembers: {
          if (!session) return;
          const d = msg.d ?? {};
          const guild = guilds.get(d.guild_id);
          const wanted: string[] | null = d.user_ids ? [].concat(d.user_ids) : null;
          const members = (guild?.members ?? []).filter((m: Json) => !wanted || wanted.includes(m.user.id));
          dispatchTo(session, 'GUILD_MEMBERS_CHUNK', {
            guild_id: d.guild_id,
            members,
            chunk_index: 0,
            chunk_count: 1,
            not_found: wanted ? wanted.filter((id) => !members.some((m: Json) => m.user.id === id)) : [],
            nonce: d.nonce,
          });
          break;
        }
        default:
          // Presence/voice updates etc.: accepted and ignored.
          break;
      }
    });

    socket.on('close', () => {
      if (session && session.socket === socket) session.socket = null;
    });
  });

  // ---------- REST ----------

  function newMessage(channelId: string, body: Json, extra: Json = {}): Json {
    const msg = {
      id: snowflake(),
      type: 0,
      channel_id: channelId,
      author: botUser,
      content: body?.content ?? '',
      embeds: body?.embeds ?? [],
      components: body?.components ?? [],
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: Boolean(body?.tts),
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      flags: body?.flags ?? 0,
      ...extra,
    };
    messages.set(msg.id, msg);
    const channel = channels.get(channelId);
    if (channel) channel.last_message_id = msg.id;
    return msg;
  }

  function editMessage(msg: Json, body: Json): Json {
    for (const key of ['content', 'embeds', 'components', 'attachments'] as const) {
      if (body && key in body && body[key] !== undefined) msg[key] = body[key] ?? (key === 'content' ? '' : []);
    }
    if (body?.flags !== undefined && body.flags !== null) msg.flags = body.flags;
    msg.flags &= ~LOADING; // an edit ends the "thinking..." state of a deferred reply
    msg.edited_timestamp = new Date().toISOString();
    return msg;
  }

  const VIEW_CHANNEL = 1n << 10n;
  const SEND_MESSAGES = 1n << 11n;
  const ADMINISTRATOR = 1n << 3n;

  /** Minga's permissions in a server channel, as Discord computes them: its roles, then the channel's overwrites. */
  function botPermissionsIn(channel: Json): bigint {
    const guild = guilds.get(channel.guild_id);
    const me = guild?.members.find((m: Json) => m.user.id === botUserId);
    if (!guild || !me) return 0n;
    const roleIds = new Set<string>([guild.id, ...me.roles]);
    let permissions = guild.roles.filter((role: Json) => roleIds.has(role.id)).reduce((all: bigint, role: Json) => all | BigInt(role.permissions), 0n);
    if (permissions & ADMINISTRATOR) return ~0n;
    const overwrites: Json[] = channel.permission_overwrites ?? [];
    const apply = (found: Json[]) => {
      const deny = found.reduce((all, o) => all | BigInt(o.deny ?? 0), 0n);
      const allow = found.reduce((all, o) => all | BigInt(o.allow ?? 0), 0n);
      permissions = (permissions & ~deny) | allow;
    };
    apply(overwrites.filter((o) => o.type === 0 && o.id === guild.id));
    apply(overwrites.filter((o) => o.type === 0 && o.id !== guild.id && me.roles.includes(o.id)));
    apply(overwrites.filter((o) => o.type === 1 && o.id === botUserId));
    return permissions;
  }

  function channelOr404(id: string): Json {
    const channel = channels.get(id);
    if (!channel) throw new HttpError(404, 10003, 'Unknown Channel');
    return channel;
  }

  function messageOr404(id: string | null | undefined): Json {
    const msg = id ? messages.get(id) : undefined;
    if (!msg) throw new HttpError(404, 10008, 'Unknown Message');
    return msg;
  }

  function interactionByToken(appId: string, token: string): InteractionState {
    const state = interactions.get(token);
    if (!state || appId !== applicationId) throw new HttpError(404, 10015, 'Unknown Webhook');
    return state;
  }

  function interactionMetadata(payload: Json): Json {
    return {
      id: payload.id,
      type: payload.type,
      user: payload.member?.user ?? payload.user,
      authorizing_integration_owners: payload.authorizing_integration_owners,
      ...(payload.type === 2 ? { name: payload.data.name, command_type: 1 } : {}),
      ...(payload.message ? { interacted_message_id: payload.message.id } : {}),
    };
  }

  function responseMessage(state: InteractionState, data: Json): Json {
    const p = state.payload;
    return newMessage(p.channel_id, data, {
      type: p.type === 2 ? 20 : 0,
      webhook_id: applicationId,
      application_id: applicationId,
      interaction_metadata: interactionMetadata(p),
    });
  }

  function storeCommands(key: string, guildId: string | null, bodies: Json[]): Json[] {
    const previous = commandStore.get(key) ?? [];
    const stored = bodies.map((b) => commandFrom(b, guildId, previous.find((c) => c.name === b.name && (c.type ?? 1) === (b.type ?? 1))));
    commandStore.set(key, stored);
    return stored;
  }

  function commandFrom(b: Json, guildId: string | null, existing?: Json): Json {
    // Like Discord: same name+type keeps its id; version changes on every write.
    return {
      id: existing?.id ?? snowflake(),
      application_id: applicationId,
      version: snowflake(),
      type: b.type ?? 1,
      name: b.name,
      name_localizations: b.name_localizations ?? null,
      description: b.description ?? '',
      description_localizations: b.description_localizations ?? null,
      options: b.options ?? [],
      default_member_permissions: b.default_member_permissions ?? null,
      nsfw: b.nsfw ?? false,
      ...(guildId ? { guild_id: guildId } : { dm_permission: b.dm_permission ?? true, contexts: b.contexts ?? null, integration_types: b.integration_types ?? [0] }),
    };
  }

  type Reply = { status: number; body?: Json };
  type Handler = (m: string[], req: RecordedRequest) => Reply;
  const ok = (body: Json): Reply => ({ status: 200, body });

  const routes: Array<[string, RegExp, Handler]> = [
    ['GET', /^\/gateway\/bot$/, () =>
      ok({ url: gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 } })],
    ['GET', /^\/gateway$/, () => ok({ url: gatewayUrl })],
    ['GET', /^\/users\/@me$/, () => ok({ ...botUser, verified: true, mfa_enabled: false, email: null, locale: 'en-US' })],
    ['GET', /^\/users\/(\d+)$/, ([id]) => {
      const u = users.get(id!);
      if (!u) throw new HttpError(404, 10013, 'Unknown User');
      return ok(u);
    }],
    ['GET', /^\/applications\/@me$/, () => ok(application)],

    // Application commands: global (key 'global') and per guild.
    ['GET', /^\/applications\/(\d+)\/commands$/, () => ok(commandStore.get('global') ?? [])],
    ['PUT', /^\/applications\/(\d+)\/commands$/, (_m, r) => ok(storeCommands('global', null, r.body ?? []))],
    ['POST', /^\/applications\/(\d+)\/commands$/, (_m, r) => {
      const list = commandStore.get('global') ?? [];
      const cmd = commandFrom(r.body, null, list.find((c) => c.name === r.body?.name));
      commandStore.set('global', [...list.filter((c) => c.id !== cmd.id), cmd]);
      return { status: 201, body: cmd };
    }],
    ['GET', /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/, ([, g]) => ok(commandStore.get(g!) ?? [])],
    ['PUT', /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/, ([, g], r) => ok(storeCommands(g!, g!, r.body ?? []))],
    ['POST', /^\/applications\/(\d+)\/guilds\/(\d+)\/commands$/, ([, g], r) => {
      const list = commandStore.get(g!) ?? [];
      const cmd = commandFrom(r.body, g!, list.find((c) => c.name === r.body?.name));
      commandStore.set(g!, [...list.filter((c) => c.id !== cmd.id), cmd]);
      return { status: 201, body: cmd };
    }],
    ['DELETE', /^\/applications\/(\d+)\/(?:guilds\/(\d+)\/)?commands\/(\d+)$/, ([, g, id]) => {
      const key = g ?? 'global';
      const list = commandStore.get(key) ?? [];
      if (!list.some((c) => c.id === id)) throw new HttpError(404, 10063, 'Unknown application command');
      commandStore.set(key, list.filter((c) => c.id !== id));
      return { status: 204 };
    }],

    ['GET', /^\/guilds\/(\d+)$/, ([id]) => {
      const g = guilds.get(id!);
      if (!g) throw new HttpError(404, 10004, 'Unknown Guild');
      const { members: _m, channels: _c, threads: _t, presences: _p, voice_states: _v, joined_at: _j, ...rest } = g;
      return ok(rest);
    }],
    ['GET', /^\/guilds\/(\d+)\/members\/(\d+)$/, ([gid, uid]) => {
      const member = guilds.get(gid!)?.members.find((m: Json) => m.user.id === uid);
      if (!member) throw new HttpError(404, 10007, 'Unknown Member');
      return ok(member);
    }],

    ['GET', /^\/channels\/(\d+)$/, ([id]) => ok(channelOr404(id!))],
    ['POST', /^\/channels\/(\d+)\/messages$/, ([id], r) => {
      const channel = channelOr404(id!);
      if (channel.type === 1 && channel.recipients?.some((u: Json) => refusingUsers.has(u.id))) throw new HttpError(403, 50007, 'Cannot send messages to this user');
      if (channel.guild_id) {
        const permissions = leftGuilds.has(channel.guild_id) ? 0n : botPermissionsIn(channel);
        if (!(permissions & VIEW_CHANNEL)) throw new HttpError(403, 50001, 'Missing Access');
        if (!(permissions & SEND_MESSAGES)) throw new HttpError(403, 50013, 'Missing Permissions');
      }
      if (!r.body?.content && !r.body?.embeds?.length && !r.body?.components?.length) throw new HttpError(400, 50006, 'Cannot send an empty message');
      return ok(newMessage(id!, r.body));
    }],
    ['GET', /^\/channels\/(\d+)\/messages\/(\d+)$/, ([, mid]) => ok(messageOr404(mid))],
    ['PATCH', /^\/channels\/(\d+)\/messages\/(\d+)$/, ([, mid], r) => ok(editMessage(messageOr404(mid), r.body))],
    ['DELETE', /^\/channels\/(\d+)\/messages\/(\d+)$/, ([, mid]) => {
      messageOr404(mid);
      messages.delete(mid!);
      return { status: 204 };
    }],
    ['POST', /^\/users\/@me\/channels$/, (_m, r) => {
      const recipientId = String(r.body?.recipient_id ?? '');
      if (!/^\d+$/.test(recipientId)) throw new HttpError(400, 50035, 'Invalid Form Body');
      let id = dmByUser.get(recipientId);
      if (!id) {
        id = snowflake();
        dmByUser.set(recipientId, id);
        channels.set(id, { id, type: 1, last_message_id: null, flags: 0, recipients: [knownUser(recipientId)] });
      }
      return ok(channels.get(id));
    }],

    ['POST', /^\/interactions\/(\d+)\/([^/]+)\/callback$/, ([id, token], r) => {
      const state = interactions.get(token!);
      if (!state || state.payload.id !== id) throw new HttpError(404, 10062, 'Unknown interaction');
      if (state.acknowledged) throw new HttpError(400, 40060, 'Interaction has already been acknowledged.');
      state.acknowledged = true;
      const { type, data } = r.body ?? {};
      let msg: Json = null;
      if (type === 4) msg = responseMessage(state, data);
      if (type === 5) msg = responseMessage(state, { flags: (data?.flags ?? 0) | LOADING });
      if ((type === 6 || type === 7) && state.payload.message) {
        // Component interactions act on the message the component sits on.
        msg = messages.get(state.payload.message.id) ?? state.payload.message;
        messages.set(msg.id, msg);
        if (type === 7) editMessage(msg, data);
      }
      if (msg) state.originalMessageId = msg.id;
      if (r.query.with_response !== 'true') return { status: 204 };
      return ok({
        interaction: {
          id: state.payload.id,
          type: state.payload.type,
          response_message_id: msg?.id,
          response_message_loading: type === 5,
          response_message_ephemeral: Boolean((msg?.flags ?? 0) & EPHEMERAL),
        },
        resource: { type, ...(msg ? { message: msg } : {}) },
      });
    }],
    ['GET', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/, ([app, token]) =>
      ok(messageOr404(interactionByToken(app!, token!).originalMessageId))],
    ['PATCH', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/, ([app, token], r) =>
      ok(editMessage(messageOr404(interactionByToken(app!, token!).originalMessageId), r.body))],
    ['DELETE', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/, ([app, token]) => {
      const state = interactionByToken(app!, token!);
      messageOr404(state.originalMessageId);
      messages.delete(state.originalMessageId!);
      return { status: 204 };
    }],
    ['POST', /^\/webhooks\/(\d+)\/([^/]+)$/, ([app, token], r) => {
      const state = interactionByToken(app!, token!);
      if (!state.acknowledged) throw new HttpError(404, 10015, 'Unknown Webhook'); // follow-ups need an initial response
      const msg = responseMessage(state, r.body);
      return r.query.wait === 'true' ? ok(msg) : { status: 204 };
    }],
    ['GET', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(\d+)$/, ([app, token, mid]) => {
      interactionByToken(app!, token!);
      return ok(messageOr404(mid));
    }],
    ['PATCH', /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(\d+)$/, ([app, token, mid], r) => {
      interactionByToken(app!, token!);
      return ok(editMessage(messageOr404(mid), r.body));
    }],
  ];

  let bucketCounter = 0;
  const buckets = new Map<string, string>();
  function rateLimitHeaders(routeKey: string): Record<string, string> {
    let bucket = buckets.get(routeKey);
    if (!bucket) {
      bucket = `fakebucket${++bucketCounter}`;
      buckets.set(routeKey, bucket);
    }
    // Generous and never exhausted, so @discordjs/rest never sleeps.
    return {
      'x-ratelimit-limit': '1000',
      'x-ratelimit-remaining': '999',
      'x-ratelimit-reset': (Date.now() / 1000 + 60).toFixed(3),
      'x-ratelimit-reset-after': '60.000',
      'x-ratelimit-bucket': bucket,
    };
  }

  async function readBody(req: IncomingMessage): Promise<{ body: Json; files?: RecordedFile[] }> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (chunks.length === 0) return { body: undefined };
    const raw = Buffer.concat(chunks);
    const text = raw.toString('utf8');
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('multipart/form-data')) {
      // Attachments: discord.js puts the JSON part in a field named payload_json and each file in `files[n]`; parsed as
      // the platform's fetch would parse a form, so a malformed body fails here as it would at Discord.
      const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
      const files: RecordedFile[] = [];
      for (const [field, value] of form.entries()) {
        if (typeof value === 'string') continue;
        files.push({ field, name: value.name, contentType: value.type, content: await value.text() });
      }
      const payload = form.get('payload_json');
      return { body: typeof payload === 'string' ? JSON.parse(payload) : undefined, files };
    }
    try {
      return { body: JSON.parse(text) };
    } catch {
      return { body: text };
    }
  }

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', restUrl);
    // Decoded: discord.js percent-encodes '@original' as '%40original'.
    const path = decodeURIComponent(url.pathname).replace(/^\/v10(?=\/)/, '');
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      status: 0,
      ...(await readBody(req)),
    };
    let reply: Reply = { status: 404, body: { message: '404: Not Found', code: 0 } };
    let routeKey = 'unknown';
    const injection = injections.find((candidate) => candidate.method === record.method && candidate.path.test(path));
    if (injection) {
      if (--injection.times === 0) injections.splice(injections.indexOf(injection), 1);
      record.injected = injection.failure;
      record.status = injection.failure.status;
      requests.push(record);
      for (const listener of requestListeners) listener(record);
      const { status, headers, body } = failureAnswer(injection.failure, record.method, path);
      res.writeHead(status, { ...headers, 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
      return;
    }
    if (record.files?.some((file) => Buffer.byteLength(file.content) > attachmentLimit)) {
      reply = { status: 413, body: { message: 'Request entity too large', code: 40005 } };
    } else if (url.pathname.startsWith('/v10/')) {
      // Only /v10 routes exist; an unversioned or other-version path is a bug in the caller.
      for (const [method, pattern, handler] of routes) {
        const m = pattern.exec(path);
        if (!m || method !== record.method) continue;
        routeKey = `${method} ${pattern.source}`;
        try {
          reply = handler(m.slice(1), record);
        } catch (err) {
          if (!(err instanceof HttpError)) throw err;
          reply = { status: err.status, body: { message: err.message, code: err.code } };
        }
        break;
      }
    }
    record.status = reply.status;
    requests.push(record);
    for (const listener of requestListeners) listener(record);
    const headers: Record<string, string> = { ...rateLimitHeaders(routeKey) };
    if (reply.body !== undefined) headers['content-type'] = 'application/json';
    res.writeHead(reply.status, headers);
    res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
  }

  function routeKeyOf(method: string, path: string): string {
    const route = routes.find(([candidate, pattern]) => candidate === method && pattern.test(path));
    return route ? `${method} ${route[1].source}` : 'unknown';
  }

  /** What Discord sends with an injected failure: its headers and JSON body (https://discord.com/developers/docs/topics/rate-limits). */
  function failureAnswer(failure: InjectedFailure, method: string, path: string): { status: number; headers: Record<string, string>; body: Json } {
    if ('code' in failure) return { status: failure.status, headers: {}, body: { message: failure.message, code: failure.code } };
    if (failure.status !== 429) return { status: failure.status, headers: {}, body: { message: `${failure.status}: Server error`, code: 0 } };
    const seconds = failure.retryAfter.toFixed(3);
    if (failure.global) {
      // A global limit carries no bucket: only when to come back, and that it is global.
      return {
        status: 429,
        headers: { 'retry-after': seconds, 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' },
        body: { message: 'You are being rate limited.', retry_after: failure.retryAfter, global: true, code: 0 },
      };
    }
    // The route's bucket, exhausted until retry_after has passed.
    return {
      status: 429,
      headers: {
        // The bucket the route's successful answers name, as Discord's would.
        ...rateLimitHeaders(routeKeyOf(method, path)),
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': (Date.now() / 1000 + failure.retryAfter).toFixed(3),
        'x-ratelimit-reset-after': seconds,
        'retry-after': seconds,
        'x-ratelimit-scope': 'user',
      },
      body: { message: 'You are being rate limited.', retry_after: failure.retryAfter, global: false, code: 0 },
    };
  }

  // ---------- interaction builders ----------

  function context(o: InteractionContextOptions): Json {
    const guildId = o.guildId === undefined ? firstGuildId() : o.guildId;
    const user = apiUser(o.user ?? { id: '200000000000000001', username: 'ana', globalName: 'Ana' });
    if (!users.has(user.id) || users.get(user.id).username !== user.username) users.set(user.id, user);
    const locale = o.locale ?? 'en-US';
    const token = `aW50ZXJhY3Rpb246${randomBytes(48).toString('base64url')}`;
    const base: Json = {
      id: o.id ?? snowflake(),
      application_id: applicationId,
      token,
      version: 1,
      locale,
      app_permissions: '2248473465835073',
      entitlements: [],
      entitlement_sku_ids: [],
      attachment_size_limit: 10485760,
    };
    if (guildId === null) {
      // DM with the bot: `user` instead of `member`, context 1 (BOT_DM), guild install owner "0".
      let channelId = o.channelId ?? dmByUser.get(user.id);
      if (!channelId) {
        channelId = snowflake();
        dmByUser.set(user.id, channelId);
        channels.set(channelId, { id: channelId, type: 1, last_message_id: null, flags: 0, recipients: [user] });
      }
      return {
        ...base,
        channel_id: channelId,
        channel: { id: channelId, type: 1, last_message_id: null, flags: 0, recipients: [user] },
        user,
        authorizing_integration_owners: { '0': '0' },
        context: 1,
      };
    }
    const guild = guilds.get(guildId);
    if (!guild) throw new Error(`fake Discord: unknown guild ${guildId}; configure it in startFakeDiscord({ guilds })`);
    const channelId = o.channelId ?? guild.channels[0]?.id;
    const channel = channels.get(channelId) ?? { id: channelId, type: 0, guild_id: guildId, name: 'unknown', position: 0, parent_id: null, flags: 0 };
    const permissions = o.permissions ?? '0';
    const member = { ...apiMember(user, o.roles ?? [], new Date().toISOString()), permissions };
    // Remember the member so REST member lookups and GUILD_MEMBERS_CHUNK know them too.
    if (!guild.members.some((m: Json) => m.user.id === user.id)) {
      const { permissions: _p, ...stored } = member;
      guild.members.push(stored);
    }
    return {
      ...base,
      guild_id: guildId,
      guild: { id: guildId, locale: guild.preferred_locale, features: guild.features },
      guild_locale: guild.preferred_locale,
      channel_id: channelId,
      channel: { ...channel, permissions },
      member,
      authorizing_integration_owners: { '0': guildId },
      context: 0,
    };
  }

  function commandData(o: CommandInteractionOptions, guildId: string | null): Json {
    const name = o.name ?? 'minga';
    const registered = [...(guildId ? commandStore.get(guildId) ?? [] : []), ...(commandStore.get('global') ?? [])].find((c) => c.name === name);
    return {
      id: o.commandId ?? registered?.id ?? snowflake(),
      name,
      type: 1,
      ...(o.options && o.options.length ? { options: o.options } : {}),
      ...(o.resolved ? { resolved: o.resolved } : {}),
      ...(guildId && registered?.guild_id ? { guild_id: guildId } : {}),
    };
  }

  function componentMessage(o: ComponentInteractionOptions, channelId: string): Json {
    const stored = o.messageId ? messages.get(o.messageId) : undefined;
    const base = stored ?? {
      id: o.messageId ?? snowflake(),
      type: 0,
      channel_id: channelId,
      author: botUser,
      content: '',
      embeds: [],
      components: [],
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      flags: 0,
    };
    return { ...base, ...(o.message ?? {}) };
  }

  function chatInputInteraction(o: CommandInteractionOptions = {}): Json {
    const ctx = context(o);
    return { ...ctx, type: 2, data: commandData(o, ctx.guild_id ?? null) };
  }

  function autocompleteInteraction(o: CommandInteractionOptions = {}): Json {
    const ctx = context(o);
    return { ...ctx, type: 4, data: commandData(o, ctx.guild_id ?? null) };
  }

  function buttonInteraction(o: ComponentInteractionOptions): Json {
    const ctx = context(o);
    return { ...ctx, type: 3, message: componentMessage(o, ctx.channel_id), data: { custom_id: o.customId, component_type: 2 } };
  }

  function selectInteraction(o: SelectInteractionOptions): Json {
    const ctx = context(o);
    return {
      ...ctx,
      type: 3,
      message: componentMessage(o, ctx.channel_id),
      data: { custom_id: o.customId, component_type: o.componentType ?? 3, values: o.values },
    };
  }

  function sendInteraction(payload: Json): Json {
    interactions.set(payload.token, { payload, acknowledged: false, originalMessageId: null });
    sendDispatch('INTERACTION_CREATE', payload);
    return payload;
  }

  // ---------- waiting and inspection ----------

  function waitFor(predicate: (r: RecordedRequest) => boolean, timeoutMs = 3000): Promise<RecordedRequest> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const poll = (): void => {
        const found = requests.find(predicate);
        if (found) return resolve(found);
        if (Date.now() - started >= timeoutMs) {
          const seen = requests.slice(-15).map((r) => `  ${r.method} ${r.path} -> ${r.status}`).join('\n') || '  (none)';
          return reject(new Error(`fake Discord: no request matched within ${timeoutMs} ms.\nPredicate: ${predicate.toString()}\nLast requests:\n${seen}`));
        }
        setTimeout(poll, 10);
      };
      poll();
    });
  }

  const isCallback = (r: RecordedRequest): boolean => r.method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(r.path);

  async function close(): Promise<void> {
    for (const socket of wss.clients) socket.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    server.closeAllConnections(); // undici keeps REST connections alive; don't wait for them
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  return {
    restUrl,
    gatewayUrl,
    applicationId,
    botUserId,
    requests,
    gatewayReceived,
    commands: (guildId) => commandStore.get(guildId ?? 'global') ?? [],
    message: (id) => messages.get(id),
    sendDispatch,
    requestReconnect: () => {
      for (const socket of wss.clients) send(socket, { op: Op.Reconnect, d: null, s: null, t: null });
    },
    sendInteraction,
    chatInputInteraction,
    autocompleteInteraction,
    buttonInteraction,
    selectInteraction,
    waitFor,
    onRequest: (listener) => {
      requestListeners.add(listener);
      return () => requestListeners.delete(listener);
    },
    waitForCallback: (interaction, timeoutMs) =>
      waitFor((r) => isCallback(r) && r.path === `/interactions/${interaction.id}/${interaction.token}/callback`, timeoutMs),
    callbacks: () => requests.filter(isCallback),
    messagesPosted: () => requests.filter((r) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path)),
    webhookRequests: () => requests.filter((r) => r.path.startsWith('/webhooks/')),
    clearRequests: () => {
      requests.length = 0;
    },
    failNext: (method, path, failure, times = 1) => void injections.push({ method, path, failure, times }),
    refuseDirectMessages: (userId) => void refusingUsers.add(userId),
    limitAttachments: (bytes) => void (attachmentLimit = bytes),
    updateChannel: (channelId, changes) => {
      const channel = channelOr404(channelId);
      Object.assign(channel, changes);
      // GUILD_CREATE keeps its own copy of the channel, for a reconnecting client.
      const listed = guilds.get(channel.guild_id)?.channels.find((c: Json) => c.id === channelId);
      if (listed) Object.assign(listed, changes);
      sendDispatch('CHANNEL_UPDATE', channel);
    },
    deleteChannel: (channelId) => {
      const channel = channelOr404(channelId);
      channels.delete(channelId);
      const guild = guilds.get(channel.guild_id);
      if (guild) guild.channels = guild.channels.filter((c: Json) => c.id !== channelId);
      sendDispatch('CHANNEL_DELETE', channel);
    },
    removeFromGuild: (guildId) => {
      leftGuilds.add(guildId);
      sendDispatch('GUILD_DELETE', { id: guildId });
    },
    close,
  };
}
