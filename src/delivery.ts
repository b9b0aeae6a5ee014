// Delivery of what Minga says on its own (scheduled and follow-up messages): routed to the adapter that owns the conversation, to people in their language, and recorded so it is sent once.
import { and, eq, inArray, type SQL } from 'drizzle-orm';
import type { Adapter } from './adapter.js';
import { parseConversationId } from './conversation.js';
import type { Db } from '../db/connection.js';
import { deliveries, members, organizationMembers, workspaces } from '../db/schema.js';
import { memberLocale, type Locale } from './i18n/index.js';
import { memberTimeZone, type AllianceRow, type Defaults, type MemberRow, type Platform } from './identity.js';
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

/** Delivered later than this after it was due (Minga was down, or the platform failed for a while), a message says so. */
export const LATE_AFTER_MS = 60_000;

/** A member to write to directly, in their language and zone. */
export interface Person {
  member: MemberRow;
  platform: Platform;
  /** The platform's id of the member's workspace (Slack team, Discord guild, console name). */
  workspaceId: string;
  locale: Locale;
  timeZone: string;
}

/** Members with their platform, language and zone; with `organizationId`, only that organization's. */
export async function people(deps: Pick<DeliveryDeps, 'db' | 'defaults'>, alliance: AllianceRow, where: SQL, organizationId?: number): Promise<Person[]> {
  const query = deps.db.select({ member: members, workspace: workspaces }).from(members).innerJoin(workspaces, eq(workspaces.id, members.workspaceId)).$dynamic();
  const rows = organizationId === undefined
    ? await query.where(where).orderBy(members.id)
    : await query
        .innerJoin(organizationMembers, eq(organizationMembers.memberId, members.id))
        .where(and(where, eq(organizationMembers.organizationId, organizationId)))
        .orderBy(members.id);
  return rows.map(({ member, workspace }) => ({
    member,
    platform: workspace.platform as Platform,
    workspaceId: workspace.externalId,
    locale: memberLocale(member, alliance, deps.defaults.locale),
    timeZone: memberTimeZone(member, alliance),
  }));
}

/** Whether `deliveries` holds the message named `key`: read before any send, so a retry or a taken-over job never repeats one. */
export async function wasDelivered(db: Db, key: string): Promise<boolean> {
  const [row] = await db.select({ key: deliveries.key }).from(deliveries).where(eq(deliveries.key, key));
  return row !== undefined;
}

/** Which of these keys were delivered already, in one read. */
export async function deliveredKeys(db: Db, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.select({ key: deliveries.key }).from(deliveries).where(inArray(deliveries.key, keys));
  return new Set(rows.map((row) => row.key));
}

/** Records a message as delivered, right after the platform accepted it (`messageRef`: its id for what was posted). */
export async function recordDelivery(db: Db, allianceId: number, key: string, messageRef: string | null): Promise<void> {
  await db.insert(deliveries).values({ key, allianceId, messageRef }).onConflictDoNothing();
}
