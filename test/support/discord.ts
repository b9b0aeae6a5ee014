// A reusable Discord rig for wire tests: the fake Discord, the real adapter (a discord.js client) on a given core, and builders for /minga interactions.
import { MessageFlags, PermissionFlagsBits } from 'discord.js';
import { pino } from 'pino';
import { DiscordAdapter } from '../../adapters/discord/discord-adapter.js';
import type { AdapterServices } from '../../src/adapter.js';
import type { Core } from '../../src/handler.js';
import type { Logger } from '../../src/log.js';
import { startFakeDiscord, type FakeDiscord, type FakeGuildOptions, type FakeUser, type InteractionContextOptions, type InteractionOption, type Json, type RecordedRequest } from '../fakes/discord.js';

export const APP_ID = '910000000000000100';
export const TOKEN = 'fake.bot.token';

/** Three servers: the main one, another alliance (for isolation), and a spare for tests that need a clean slate. */
export const GUILDS = {
  main: { id: '910000000000000001', name: 'Red de Huertas', ownerId: '910000000000000009', channels: [{ id: '910000000000000002', name: 'general' }] },
  other: { id: '910000000000000011', name: 'Otra Alianza', ownerId: '910000000000000019', channels: [{ id: '910000000000000012', name: 'general' }] },
  spare: { id: '910000000000000021', name: 'Colectivo', ownerId: '910000000000000029', channels: [{ id: '910000000000000022', name: 'general' }] },
} satisfies Record<string, FakeGuildOptions>;

export const PEOPLE = {
  coord: { id: '920000000000000001', username: 'coord', globalName: 'Coordinación' },
  ana: { id: '920000000000000002', username: 'ana', globalName: 'Ana' },
  lucia: { id: '920000000000000003', username: 'lucia', globalName: 'Lucía' },
  bob: { id: '920000000000000004', username: 'bob', globalName: 'Bob' },
} satisfies Record<string, FakeUser>;

/** Manage Server, which makes a member a coordinator. */
export const MANAGE_SERVER = String(PermissionFlagsBits.ManageGuild);

/** A channel picked in a CHANNEL option. */
export interface ChannelPick {
  channelId: string;
  name: string;
}

/** A value for a /minga option: text, an integer, a person (a USER option) or a channel (a CHANNEL option). */
export type OptionValue = string | number | boolean | FakeUser | ChannelPick;

const isUser = (value: OptionValue): value is FakeUser => typeof value === 'object' && 'username' in value;
const isChannel = (value: OptionValue): value is ChannelPick => typeof value === 'object' && 'channelId' in value;

/**
 * The options tree Discord sends for `/minga <path> name:value…` (`path` like "task add" or "help"), plus the `resolved`
 * users and members for USER options. `focused` is the option being typed, for autocomplete (Discord sends what was typed as text).
 */
export function slashOptions(path: string, values: Record<string, OptionValue> = {}, focused?: InteractionOption): { options: InteractionOption[]; resolved?: Json } {
  const leaves: InteractionOption[] = Object.entries(values).map(([name, value]) => {
    if (isUser(value)) return { name, type: 6, value: value.id };
    if (isChannel(value)) return { name, type: 7, value: value.channelId };
    return { name, type: typeof value === 'boolean' ? 5 : typeof value === 'number' ? 4 : 3, value };
  });
  if (focused) leaves.push({ ...focused, focused: true });
  const [first, second] = path.split(' ');
  const options = second
    ? [{ name: first!, type: 2, options: [{ name: second, type: 1, options: leaves }] }]
    : [{ name: first!, type: 1, options: leaves }];
  const users = Object.values(values).filter(isUser);
  const channels = Object.values(values).filter(isChannel);
  if (users.length === 0 && channels.length === 0) return { options };
  const joinedAt = new Date().toISOString();
  return {
    options,
    resolved: {
      ...(users.length && {
        users: Object.fromEntries(users.map((u) => [u.id, { id: u.id, username: u.username, global_name: u.globalName ?? null, discriminator: '0', avatar: null }])),
        members: Object.fromEntries(users.map((u) => [u.id, { roles: [], nick: null, avatar: null, joined_at: joinedAt, permissions: '0', flags: 0, pending: false }])),
      }),
      ...(channels.length && {
        channels: Object.fromEntries(channels.map((c) => [c.channelId, { id: c.channelId, name: c.name, type: 0, permissions: '0' }])),
      }),
    },
  };
}

export interface Exchange {
  payload: Json;
  /** The first answer: POST /interactions/{id}/{token}/callback. */
  callback: RecordedRequest;
}

export interface DiscordRig {
  fake: FakeDiscord;
  adapter: DiscordAdapter;
  /** Runs `/minga <path>` with options as someone (ana in the main server unless told) and waits for the callback. */
  slash(path: string, values?: Record<string, OptionValue>, context?: InteractionContextOptions): Promise<Exchange>;
  /** Autocomplete while typing `typed` into option `option` (of Discord type `type`, INTEGER by default) of `/minga <path>`. */
  autocomplete(path: string, option: string, typed: string, context?: InteractionContextOptions & { type?: number }): Promise<Exchange>;
  click(customId: string, context?: InteractionContextOptions): Promise<Exchange>;
  select(values: string[], context?: InteractionContextOptions): Promise<Exchange>;
  /** Sends any interaction payload and waits for its callback. */
  exchange(payload: Json): Promise<Exchange>;
  stop(): Promise<void>;
}

/** Waits are generous: a slow CI machine must not fail a test that asserts no timing. */
export const WAIT_MS = 15_000;

export interface RigOptions {
  guilds?: FakeGuildOptions[];
  /** Register to this server (the default: the first guild), or `null` for global commands. */
  guildId?: string | null;
  /** The adapter's wait before deferring: by default long, so answers come in one callback; 0 always defers. */
  deferAfterMs?: number;
  /** Reuse a running fake (e.g. to start a second adapter against the same registrations). */
  fake?: FakeDiscord;
  /** The adapter's token and logger: by default TOKEN, and silence. */
  token?: string;
  log?: Logger;
  /** What the app gives the adapter as it starts: the observer of platform calls. */
  services?: AdapterServices;
}

export const silentLog = pino({ level: 'silent' });

export async function startDiscordAdapter(
  fake: FakeDiscord,
  core: Core,
  options: Pick<RigOptions, 'guildId' | 'deferAfterMs' | 'token' | 'log' | 'services'> = {},
): Promise<DiscordAdapter> {
  const guildId = options.guildId === undefined ? GUILDS.main.id : options.guildId;
  const adapter = new DiscordAdapter(
    { token: options.token ?? TOKEN, apiUrl: fake.restUrl, ...(guildId && { guildId }) },
    { log: options.log ?? silentLog, defaultLocale: 'en', deferAfterMs: options.deferAfterMs ?? 60_000 },
  );
  await adapter.start(core, options.services);
  return adapter;
}

export async function startDiscordRig(core: Core, options: RigOptions = {}): Promise<DiscordRig> {
  const fake = options.fake ?? (await startFakeDiscord({ applicationId: APP_ID, guilds: options.guilds ?? Object.values(GUILDS) }));
  const adapter = await startDiscordAdapter(fake, core, options);
  const me = (context: InteractionContextOptions = {}) => ({ user: PEOPLE.ana, ...context });
  const exchange = async (payload: Json): Promise<Exchange> => {
    fake.sendInteraction(payload);
    return { payload, callback: await fake.waitForCallback(payload, WAIT_MS) };
  };
  return {
    fake,
    adapter,
    exchange,
    slash: (path, values, context) => exchange(fake.chatInputInteraction({ ...me(context), ...slashOptions(path, values) })),
    autocomplete: (path, option, typed, context) =>
      exchange(fake.autocompleteInteraction({ ...me(context), ...slashOptions(path, {}, { name: option, type: context?.type ?? 4, value: typed }) })),
    click: (customId, context) => exchange(fake.buttonInteraction({ ...me(context), customId })),
    select: (values, context) => exchange(fake.selectInteraction({ ...me(context), customId: 'more', values })),
    stop: async () => {
      await adapter.stop();
      if (!options.fake) await fake.close();
    },
  };
}

/** Every text a person reads in a callback or message body: content, embed title, description, fields and footer. */
export function visibleText(data: Json): string {
  const embeds = (data?.embeds ?? []) as Json[];
  return [
    data?.content ?? '',
    ...embeds.flatMap((e) => [e.title ?? '', e.description ?? '', ...(e.fields ?? []).map((f: Json) => `${f.name}: ${f.value}`), e.footer?.text ?? '']),
  ]
    .filter(Boolean)
    .join('\n');
}

/** What a callback says, as a person reads it. */
export function said(callback: RecordedRequest): string {
  return visibleText(callback.body?.data);
}

/** Whether a callback is seen by the one who asked alone. */
export function isEphemeral(callback: RecordedRequest): boolean {
  return ((callback.body?.data?.flags ?? 0) & MessageFlags.Ephemeral) === MessageFlags.Ephemeral;
}

/** Every component of a message, rows flattened. */
export function componentsOf(data: Json): Json[] {
  return ((data?.components ?? []) as Json[]).flatMap((row) => row.components ?? []);
}
