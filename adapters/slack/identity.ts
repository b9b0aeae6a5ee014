// Who is asking on Slack: team_id and user_id, plus what users.info says (language, zone, admin), cached a day per user.
import type { webApi } from '@slack/bolt';
import type { MemberMention } from '../../src/commands/command.js';
import { isTimeZone } from '../../src/config.js';
import type { Requester } from '../../src/identity.js';
import type { Logger } from '../../src/log.js';

/** What users.info tells us about a person; every part may be missing if Slack could not be asked. */
export interface SlackUserFacts {
  name?: string;
  locale?: string;
  timeZone?: string;
  isAdmin?: boolean;
}

/** Where a request came from, as every Slack payload says it. */
export interface SlackOrigin {
  teamId: string;
  userId: string;
  /** The handle the payload carries, used when users.info cannot be asked. */
  userName?: string;
  teamDomain?: string;
  channelId?: string;
  /** When the person acted, in µs since the epoch (see `Requester.actedAt`). */
  actedAt?: number;
}

const DAY = 24 * 60 * 60 * 1000;

export class SlackIdentity {
  private readonly cache = new Map<string, { expires: number; facts: Promise<SlackUserFacts> }>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly log: Logger,
    options: { ttlMs?: number; now?: () => number } = {},
  ) {
    this.ttlMs = options.ttlMs ?? DAY;
    this.now = options.now ?? Date.now;
  }

  /** The requester for the core. Language, zone and admin come from users.info; a member's own choices still win in the core. */
  async requester(client: webApi.WebClient, origin: SlackOrigin): Promise<Requester> {
    const facts = await this.facts(client, origin.teamId, origin.userId);
    const userName = facts.name ?? origin.userName;
    return {
      platform: 'slack',
      workspaceId: origin.teamId,
      userId: origin.userId,
      ...(origin.teamDomain && { workspaceName: origin.teamDomain }),
      ...(userName && { userName }),
      ...(facts.locale && { platformLocale: facts.locale }),
      ...(facts.timeZone && { timeZone: facts.timeZone }),
      ...(facts.isAdmin !== undefined && { isAdmin: facts.isAdmin }),
      ...(origin.channelId && { channelId: origin.channelId }),
      ...(origin.actedAt !== undefined && { actedAt: origin.actedAt }),
    };
  }

  /**
   * The people Slack vouches for among those a command names: each one users.info knows (and not deactivated), with
   * the name Slack gives, whatever name the text carried. The core names no one else (see memberForMention).
   */
  async vouch(client: webApi.WebClient, teamId: string, userIds: string[]): Promise<MemberMention[]> {
    const vouched: MemberMention[] = [];
    for (const userId of userIds) {
      const { name } = await this.facts(client, teamId, userId);
      if (name) vouched.push({ userId, name });
    }
    return vouched;
  }

  /**
   * users.info once per person per day. Concurrent requests share one call; a failed call is not cached, and the
   * command goes on without the facts rather than failing (the member's stored language still applies).
   */
  facts(client: webApi.WebClient, teamId: string, userId: string): Promise<SlackUserFacts> {
    const key = `${teamId}:${userId}`;
    const now = this.now();
    const cached = this.cache.get(key);
    if (cached && cached.expires > now) return cached.facts;
    if (this.cache.size > 10_000) this.sweep(now);
    const facts = this.lookUp(client, userId).catch((err: unknown) => {
      this.cache.delete(key);
      this.log.warn({ err, team: teamId, user: userId }, 'slack users.info failed');
      return {};
    });
    this.cache.set(key, { expires: now + this.ttlMs, facts });
    return facts;
  }

  private async lookUp(client: webApi.WebClient, userId: string): Promise<SlackUserFacts> {
    const { user } = await client.users.info({ user: userId, include_locale: true });
    // A deactivated account is no one to assign work to; without a name it is not vouched for.
    if (!user || user.deleted) return {};
    const name = user.profile?.display_name || user.real_name || user.name;
    return {
      ...(name && { name }),
      ...(user.locale && { locale: user.locale }),
      ...(user.tz && isTimeZone(user.tz) && { timeZone: user.tz }),
      isAdmin: user.is_admin === true || user.is_owner === true || user.is_primary_owner === true,
    };
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.cache) if (entry.expires <= now) this.cache.delete(key);
  }
}
