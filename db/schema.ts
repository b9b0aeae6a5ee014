// The database schema for the whole mission: alliances and their people, tasks, and the shared rails for scheduled work and posted messages.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** An alliance of organizations; every other row belongs to exactly one. */
export const alliances = pgTable('alliances', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  name: text('name').notNull(),
  /** Language for what is posted to everyone; null means the deployment default. */
  locale: text('locale'),
  timeZone: text('time_zone').notNull().default('UTC'),
  /** Whether assignees hear about their tasks' due dates (the day before and on the day); coordinators switch it off. */
  taskReminders: boolean('task_reminders').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Short per-alliance numbers (#1, #2, …) for tasks, polls and the like, allocated by an upsert so concurrent adds never collide. */
export const allianceCounters = pgTable(
  'alliance_counters',
  {
    allianceId: integer('alliance_id').notNull().references(() => alliances.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.allianceId, t.kind] })],
);

/** A Slack workspace, Discord server or console that belongs to an alliance. One alliance may span several. */
export const workspaces = pgTable(
  'workspaces',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    allianceId: integer('alliance_id').notNull().references(() => alliances.id, { onDelete: 'cascade' }),
    platform: text('platform').notNull(),
    externalId: text('external_id').notNull(),
    name: text('name'),
    /** The channel where posts meant for the whole alliance go (`poll … --everywhere`), as an opaque conversation id. */
    homeConversation: text('home_conversation'),
    /**
     * When the workspace left its alliance (`alliance unlink`). The row stays, so the alliance keeps the names in its
     * history; the platform's workspace starts afresh as a new row on its next command.
     */
    unlinkedAt: timestamp('unlinked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('workspaces_platform_external_id').on(t.platform, t.externalId).where(sql`${t.unlinkedAt} is null`),
    index('workspaces_alliance').on(t.allianceId),
    check('workspaces_platform', sql`${t.platform} in ('console', 'slack', 'discord')`),
  ],
);

/** A person on one platform, as a member of an alliance. */
export const members = pgTable(
  'members',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    allianceId: integer('alliance_id').notNull().references(() => alliances.id, { onDelete: 'cascade' }),
    workspaceId: integer('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    platformUserId: text('platform_user_id').notNull(),
    displayName: text('display_name'),
    role: text('role').notNull().default('member'),
    /** The member's own choice of language; wins over everything else. */
    locale: text('locale'),
    /** What the platform last reported (Slack users.info, Discord interaction locale). */
    platformLocale: text('platform_locale'),
    /** What the platform last reported (Slack users.info; Discord gives none). */
    timeZone: text('time_zone'),
    /** The member's own choice of zone (`timezone America/Lima`); wins over the platform's, which refreshes `time_zone` only. */
    chosenTimeZone: text('chosen_time_zone'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('members_workspace_user').on(t.workspaceId, t.platformUserId),
    index('members_alliance').on(t.allianceId),
    check('members_role', sql`${t.role} in ('coordinator', 'member')`),
  ],
);

/** A member organization of the alliance (an NGO, a collective), which tasks can be assigned to. */
export const organizations = pgTable(
  'organizations',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    allianceId: integer('alliance_id').notNull().references(() => alliances.id, { onDelete: 'cascade' }),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('organizations_alliance_slug').on(t.allianceId, t.slug)],
);

/** Who belongs to which organization. */
export const organizationMembers = pgTable(
  'organization_members',
  {
    allianceId: integer('alliance_id').notNull().references(() => alliances.id, { onDelete: 'cascade' }),
    organizationId: integer('organization_id').notNull().references(() => organizations.id, { onDelete: 'cascade' }),
    memberId: integer('member_id').notNull().references(() => members.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.memberId] }), index('organization_members_member').on(t.memberId)],
);

/** A task of the alliance, assigned to a member or to an organization. */
export const tasks = pgTable(
  'tasks',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    allianceId: integer('alliance_id').notNull().references(() => alliances.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    title: text('title').notNull(),
    status: text('status').notNull().default('open'),
    assigneeMemberId: integer('assignee_member_id').references(() => members.id, { onDelete: 'set null' }),
    assigneeOrganizationId: integer('assignee_organization_id').references(() => organizations.id, { onDelete: 'set null' }),
    dueOn: date('due_on'),
    createdBy: integer('created_by').references(() => members.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    completedBy: integer('completed_by').references(() => members.id, { onDelete: 'set null' }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('tasks_alliance_number').on(t.allianceId, t.number),
    index('tasks_alliance_status').on(t.allianceId, t.status),
    check('tasks_status', sql`${t.status} in ('open', 'done')`),
    check('tasks_one_assignee', sql`${t.assigneeMemberId} is null or ${t.assigneeOrganizationId} is null`),
    check('tasks_title_length', sql`char_length(${t.title}) between 1 and 200`),
  ],
);

/**
 * Channels Minga posts in on its own (digests, poll messages), with the alliance's settings for them.
 * `conversation` is the opaque cross-platform id, e.g. `slack:T1:C2`, `discord:G1:C2`, `console:local:main`.
 */
export const channels = pgTable(
  'channels',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    allianceId: integer('alliance_id').notNull().references(() => alliances.id, { onDelete: 'cascade' }),
    workspaceId: integer('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    conversation: text('conversation').notNull(),
    locale: text('locale'),
    settings: jsonb('settings').notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('channels_conversation').on(t.conversation), index('channels_alliance').on(t.allianceId)],
);

/** Messages Minga posted that it may edit later (poll results, task lists), by their platform reference. */
export const postedMessages = pgTable(
  'posted_messages',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    allianceId: integer('alliance_id').notNull().references(() => alliances.id, { onDelete: 'cascade' }),
    conversation: text('conversation').notNull(),
    /** The platform's id for the message: Slack's ts, Discord's message id. */
    messageRef: text('message_ref').notNull(),
    /** What the message shows, e.g. `poll:12`, so it can be found and refreshed. */
    subject: text('subject').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('posted_messages_ref').on(t.conversation, t.messageRef),
    index('posted_messages_subject').on(t.allianceId, t.subject),
  ],
);

/**
 * Scheduled work (reminders, poll deadlines, digests), claimed by whichever instance gets it first.
 * `key` is unique so the same piece of work is never queued twice; `claimed_*` and `done_at` make a claim visible to every instance.
 */
export const scheduledJobs = pgTable(
  'scheduled_jobs',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    allianceId: integer('alliance_id').notNull().references(() => alliances.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    key: text('key').notNull(),
    runAt: timestamp('run_at', { withTimezone: true }).notNull(),
    payload: jsonb('payload').notNull().default({}),
    claimedBy: text('claimed_by'),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    doneAt: timestamp('done_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('scheduled_jobs_key').on(t.key),
    index('scheduled_jobs_due').on(t.runAt).where(sql`${t.doneAt} is null`),
  ],
);

/** A poll or a consent proposal of the alliance. */
export const polls = pgTable(
  'polls',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    allianceId: integer('alliance_id').notNull().references(() => alliances.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    kind: text('kind').notNull(),
    question: text('question').notNull(),
    maxChoices: integer('max_choices').notNull().default(1),
    anonymous: boolean('anonymous').notNull().default(false),
    hideResults: boolean('hide_results').notNull().default(false),
    status: text('status').notNull().default('open'),
    closesAt: timestamp('closes_at', { withTimezone: true }),
    /** Where the poll was started, as an opaque conversation id; its message is posted there. */
    conversation: text('conversation'),
    /**
     * Anonymous polls only: a random salt that, with MINGA_SECRET, keys the ballots while the poll is open. Destroyed when
     * the poll closes, after which nobody can link a ballot to a member.
     */
    ballotSalt: text('ballot_salt'),
    createdBy: integer('created_by').references(() => members.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('polls_alliance_number').on(t.allianceId, t.number),
    check('polls_kind', sql`${t.kind} in ('choice', 'proposal')`),
    check('polls_status', sql`${t.status} in ('open', 'closed')`),
    check('polls_max_choices', sql`${t.maxChoices} between 1 and 25`),
  ],
);

/** The options of a poll, numbered from 1. Proposals store a code (agree, abstain, disagree, block) shown in the reader's language. */
export const pollOptions = pgTable(
  'poll_options',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    allianceId: integer('alliance_id').notNull().references(() => alliances.id, { onDelete: 'cascade' }),
    pollId: integer('poll_id').notNull().references(() => polls.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    label: text('label').notNull(),
    code: text('code'),
  },
  (t) => [uniqueIndex('poll_options_poll_position').on(t.pollId, t.position)],
);

/**
 * One ballot per voter per poll, enforced by the key rather than in code. `voter_key` is `m:<member id>` for open polls and,
 * for anonymous ones, an HMAC of poll and member under MINGA_SECRET and the poll's salt; those rows carry no member id, no
 * serial id and no time that dates them (see ballot-keys.ts).
 */
export const ballots = pgTable(
  'ballots',
  {
    allianceId: integer('alliance_id').notNull().references(() => alliances.id, { onDelete: 'cascade' }),
    pollId: integer('poll_id').notNull().references(() => polls.id, { onDelete: 'cascade' }),
    voterKey: text('voter_key').notNull(),
    memberId: integer('member_id').references(() => members.id, { onDelete: 'cascade' }),
    /** Positions of the chosen options; empty once the member withdrew their vote. */
    choices: integer('choices').array().notNull(),
    /**
     * When the member acted for the change this ballot reflects, in microseconds since the epoch, as the platform tells it:
     * an older change never overwrites a newer one. On anonymous polls it is shifted by a secret per-voter offset, so it
     * orders one voter's changes and dates nothing.
     */
    acted: bigint('acted', { mode: 'number' }).notNull(),
  },
  // A ballot with no choice is a withdrawn vote: it keeps its time, so a click made before the withdrawal cannot revive it.
  (t) => [primaryKey({ columns: [t.pollId, t.voterKey] })],
);

/**
 * Unused: it held the key anonymous ballots had before MINGA_SECRET ('ballot-key'), which start-up deletes once those
 * ballots are re-keyed (src/legacy-ballots.ts). Left in place so no migration is needed; a later one may drop it.
 */
export const instanceSecrets = pgTable('instance_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Slack installations from the OAuth install flow (one deployment, many workspaces): Bolt's installation store.
 * Not tied to an alliance: a workspace is installed before anyone in it has used Minga.
 * `key` is `team:T…` for a workspace install or `enterprise:E…` for an org-wide one; `installation` is Bolt's record, bot token included.
 */
export const slackInstallations = pgTable('slack_installations', {
  key: text('key').primaryKey(),
  teamId: text('team_id'),
  enterpriseId: text('enterprise_id'),
  /** Legacy: Bolt's record in clear, as stored before tokens were encrypted; emptied at start-up once sealed. */
  installation: jsonb('installation'),
  /** Bolt's record, bot token included, encrypted with AES-256-GCM under a key derived from MINGA_SECRET. */
  sealed: text('sealed'),
  installedAt: timestamp('installed_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A reminder for a member (a direct message), an organization (a direct message to each of its members) or a channel,
 * once or recurring. Its deliveries are scheduled jobs keyed by reminder and occurrence; see src/reminders.ts.
 */
export const reminders = pgTable(
  'reminders',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    allianceId: integer('alliance_id').notNull().references(() => alliances.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    /** Who set it: told when it cannot be delivered, and may cancel it. Null for reminders Minga sets itself (task due dates). */
    createdBy: integer('created_by').references(() => members.id, { onDelete: 'set null' }),
    targetKind: text('target_kind').notNull(),
    targetMemberId: integer('target_member_id').references(() => members.id, { onDelete: 'cascade' }),
    targetOrganizationId: integer('target_organization_id').references(() => organizations.id, { onDelete: 'cascade' }),
    /** The opaque conversation id of a channel target, e.g. `slack:T1:C2`. */
    targetConversation: text('target_conversation'),
    text: text('text').notNull(),
    /** When it is next due; null once it is finished or cancelled. */
    nextAt: timestamp('next_at', { withTimezone: true }),
    /** A recurring reminder's rule, as the time reader gives it; null for a one-off. */
    recurrence: jsonb('recurrence'),
    /** The zone it was understood in, and recurs in. */
    timeZone: text('time_zone').notNull(),
    status: text('status').notNull().default('active'),
    /** The task whose due date this reminder is about, for reminders Minga sets itself. */
    taskId: integer('task_id').references(() => tasks.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('reminders_alliance_number').on(t.allianceId, t.number),
    index('reminders_task').on(t.taskId),
    check('reminders_target_kind', sql`${t.targetKind} in ('member', 'organization', 'channel')`),
    check('reminders_status', sql`${t.status} in ('active', 'done', 'cancelled')`),
    check('reminders_text_length', sql`char_length(${t.text}) between 1 and 1000`),
  ],
);

/**
 * What Minga delivered on its own, one row per message and recipient, written right after the platform accepted it and read
 * before any retry: a job that failed or was taken over half-way never sends the same message twice. `key` names the message
 * and recipient, e.g. `reminder:12:2026-12-05T09:00:00.000Z:slack:T1:U1`.
 */
export const deliveries = pgTable(
  'deliveries',
  {
    key: text('key').primaryKey(),
    allianceId: integer('alliance_id').notNull().references(() => alliances.id, { onDelete: 'cascade' }),
    /** The platform's id of what was posted (Slack ts, Discord message id), when it gave one. */
    messageRef: text('message_ref'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('deliveries_alliance').on(t.allianceId)],
);

/**
 * A channel's weekly digest: when it is due (a weekly rule in its zone), in which language, and whether Minga can still post
 * there. Each occurrence is a scheduled job keyed by subscription and due time; what was posted is recorded in `deliveries`
 * under the same key, so an occurrence is posted once whatever crashes or instances there are (see src/digests.ts).
 */
export const digestSubscriptions = pgTable(
  'digest_subscriptions',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    allianceId: integer('alliance_id').notNull().references(() => alliances.id, { onDelete: 'cascade' }),
    /** The opaque conversation id of the channel, e.g. `slack:T1:C2`: one subscription per channel. */
    conversation: text('conversation').notNull(),
    /** The digest's language when chosen with `--lang`; null means the alliance's. */
    locale: text('locale'),
    /** When it is due, as the time reader gives a recurring rule (a weekly one); read in `time_zone`. */
    schedule: jsonb('schedule').notNull(),
    /** The alliance's zone when it was set up; follows the alliance's when that changes. */
    timeZone: text('time_zone').notNull(),
    /** The next occurrence; null while paused or off. */
    nextAt: timestamp('next_at', { withTimezone: true }),
    status: text('status').notNull().default('active'),
    /** Why Minga stopped posting (the platform refused for good: removed, archived, kicked), while paused. */
    pausedReason: text('paused_reason'),
    /** The coordinator who set it up: told when it pauses. */
    createdBy: integer('created_by').references(() => members.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('digest_subscriptions_conversation').on(t.conversation),
    index('digest_subscriptions_alliance').on(t.allianceId),
    check('digest_subscriptions_status', sql`${t.status} in ('active', 'paused', 'off')`),
  ],
);

/**
 * One-time codes that link another workspace to an alliance (`alliance link` → `alliance join <code>`). Only a hash of the
 * code is stored; a code is valid until `expires_at` and used at most once.
 */
export const allianceLinkCodes = pgTable(
  'alliance_link_codes',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    allianceId: integer('alliance_id').notNull().references(() => alliances.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    createdBy: integer('created_by').references(() => members.id, { onDelete: 'set null' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    usedByWorkspaceId: integer('used_by_workspace_id').references(() => workspaces.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('alliance_link_codes_hash').on(t.codeHash), index('alliance_link_codes_alliance').on(t.allianceId)],
);

/** Failed `alliance join` attempts, per workspace that tried, to limit guessing (5 per 10 minutes). */
export const linkAttempts = pgTable(
  'link_attempts',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    workspaceId: integer('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    attemptedAt: timestamp('attempted_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('link_attempts_workspace').on(t.workspaceId, t.attemptedAt)],
);

/**
 * Experiences and good practices the alliance shares (`share <url> <title> #tag`). `search_text` is what full-text search
 * reads (title, tags and the url's words, without accents), indexed under both the Spanish and the English configuration.
 */
export const resources = pgTable(
  'resources',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    allianceId: integer('alliance_id').notNull().references(() => alliances.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    url: text('url').notNull(),
    title: text('title').notNull(),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    searchText: text('search_text').notNull(),
    sharedBy: integer('shared_by').references(() => members.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('resources_alliance_number').on(t.allianceId, t.number),
    index('resources_search').using(
      'gin',
      sql`(to_tsvector('spanish'::regconfig, ${t.searchText}) || to_tsvector('english'::regconfig, ${t.searchText}))`,
    ),
    check('resources_title_length', sql`char_length(${t.title}) between 1 and 200`),
    check('resources_url_length', sql`char_length(${t.url}) between 1 and 2000`),
  ],
);

/**
 * Every change of the alliance's shared state: who (and from which workspace and platform), what, when. Written by the
 * command that made the change, in its transaction; never updated (a trigger refuses it) and never written from chat.
 * `subject` names what changed (`task:12`, `poll:3`, `org:acme`, `alliance`, `resource:4`); `action` is a message key.
 */
export const historyEvents = pgTable(
  'history_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    allianceId: integer('alliance_id').notNull().references(() => alliances.id, { onDelete: 'cascade' }),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    memberId: integer('member_id').references(() => members.id, { onDelete: 'set null' }),
    /** The member's name as it was then, so history reads the same after they leave. */
    actorName: text('actor_name'),
    workspaceId: integer('workspace_id').references(() => workspaces.id, { onDelete: 'set null' }),
    platform: text('platform'),
    subject: text('subject').notNull(),
    action: text('action').notNull(),
    details: jsonb('details').notNull().default({}),
  },
  (t) => [index('history_events_subject').on(t.allianceId, t.subject, t.id), index('history_events_alliance').on(t.allianceId, t.id)],
);
