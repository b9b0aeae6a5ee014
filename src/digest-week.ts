// What a weekly digest tells, gathered from Minga's own database (never channel history) in a fixed number of queries.
import { and, eq, gte, inArray, lt, lte, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../db/connection.js';
import { ballots, members, organizations, pollOptions, polls, reminders, resources, tasks } from '../db/schema.js';
import { memberName, memberNameOn, shownPlatform } from './identity.js';
import { hasVoted } from './polls.js';
import { resourceView, selectResources, type ResourceView } from './resources.js';
import { addDays, todayIn } from './time/dates.js';
import { wallClock, zonedTime } from './time/zones.js';

/** Who a task is for, by name. */
export type DigestAssignee = { kind: 'member'; name: string } | { kind: 'organization'; name: string } | null;

export interface DigestTask {
  number: number;
  title: string;
  /** YYYY-MM-DD. */
  dueOn: string;
  assignee: DigestAssignee;
}

export interface DigestPoll {
  number: number;
  kind: 'choice' | 'proposal';
  question: string;
  closesAt: Date | null;
  /** Ballots keyed so nobody can tell who chose what. */
  anonymous: boolean;
  /** Its counts show only once it closes; a digest shows no counts of an open poll anyway. */
  hideResults: boolean;
  /** Members who voted, and members who may. */
  voters: number;
  eligible: number;
}

export interface DigestDecision {
  number: number;
  kind: 'choice' | 'proposal';
  question: string;
  closedAt: Date;
  /** Anonymous: nobody is named, whoever blocked. */
  anonymous: boolean;
  voters: number;
  /** The options with their votes, most voted first; proposals by their codes (agree, abstain, disagree, block). */
  outcome: { label: string; code: string | null; votes: number }[];
  /** Who blocked a proposal; empty when none did, or when it was anonymous. */
  blockedBy: string[];
}

export interface DigestFinished {
  number: number;
  title: string;
  /** Who marked it done, when known. */
  by: string | null;
  /** The organization it was assigned to, for grouping; null for a member's own task. */
  organization: string | null;
}

export interface DigestReminder {
  number: number;
  text: string;
  at: Date;
  /** An organization's name, or a channel's (conversation id) for channel reminders. */
  target: { kind: 'organization'; name: string } | { kind: 'channel'; conversation: string };
}

/** A resource shared in the week: what it is, where, and who shared it. */
export type DigestResource = Omit<ResourceView, 'createdAt'>;

/** A list as far as it is shown, with how many there are in all (the rest become "…and N more"). */
export interface Listed<T> {
  items: T[];
  total: number;
}

/** One week of an alliance as a digest shows it: what needs attention first. */
export interface DigestWeek {
  /** The moment the digest is about (when it was due) and the zone its days are read in. */
  at: Date;
  timeZone: string;
  /** `at`'s day in the zone, YYYY-MM-DD. */
  today: string;
  overdue: Listed<DigestTask>;
  /** Open tasks due today or in the next 6 days. */
  dueSoon: Listed<DigestTask>;
  /** Open polls and proposals, closing soonest first (those with no deadline last). */
  openPolls: Listed<DigestPoll>;
  /** How many of `openPolls.total` are proposals (the rest are polls); left out, those among the items gathered. */
  openProposals?: number;
  /** Polls and proposals closed in the 7 days before `at` (since the same wall-clock time a week before: see shiftDays). */
  decisions: Listed<DigestDecision>;
  /** Tasks finished in the 7 days before `at`. */
  finished: Listed<DigestFinished>;
  /** Channel and organization reminders due in the 7 days after `at`. */
  reminders: Listed<DigestReminder>;
  /** Members and organizations that joined in the 7 days before `at`, by name. */
  newMembers: Listed<string>;
  newOrganizations: Listed<string>;
  /** Resources shared in the 7 days before `at`, oldest first; absent in weeks built without them, which then have none. */
  newResources?: Listed<DigestResource>;
}

/** The most items of one list a digest gathers; the count says how many more there are. */
export const DIGEST_LIST_MAX = 25;

/**
 * The same wall-clock time `days` days away in the zone: a weekly digest's window runs from last week's digest to this
 * one, which across a daylight-saving change is 7 days and an hour more or less, so consecutive windows neither overlap nor gap.
 */
export function shiftDays(at: Date, timeZone: string, days: number): Date {
  const wall = wallClock(at, timeZone);
  const withinMinute = at.getTime() % 60_000;
  // A wall time that does not exist that day (clocks went forward) is moved on by the gap, as zonedTime does.
  return new Date(zonedTime(addDays(wall.date, days), wall.hour, wall.minute, timeZone).getTime() + withinMinute);
}

const assignee = alias(members, 'assignee');
const finisher = alias(members, 'finisher');

/** How many rows matched in all, before the limit: one number per row, the same on each. */
const total = sql<number>`count(*) over ()`.mapWith(Number);

/** The week as of `at`, its days read in `timeZone`, in a fixed number of queries (9, run together) whatever the alliance holds. */
export async function gatherWeek(db: Db, allianceId: number, at: Date, timeZone: string): Promise<DigestWeek> {
  const today = todayIn(timeZone, at);
  const weekAgo = shiftDays(at, timeZone, -7);
  const weekAhead = shiftDays(at, timeZone, 7);
  const [overdue, dueSoon, openPolls, decisions, finished, coming, joined, founded, shared] = await Promise.all([
    openTasks(db, allianceId, lt(tasks.dueOn, today)),
    openTasks(db, allianceId, and(gte(tasks.dueOn, today), lte(tasks.dueOn, addDays(today, 6)))),
    openPollsOf(db, allianceId),
    decisionsOf(db, allianceId, weekAgo, at),
    finishedOf(db, allianceId, weekAgo, at),
    remindersOf(db, allianceId, at, weekAhead),
    db
      .select({ displayName: members.displayName, platformUserId: members.platformUserId, platform: shownPlatform(members.workspaceId), total })
      .from(members)
      .where(and(eq(members.allianceId, allianceId), gte(members.createdAt, weekAgo), lt(members.createdAt, at)))
      .orderBy(members.createdAt, members.id)
      .limit(DIGEST_LIST_MAX),
    db
      .select({ name: organizations.name, total })
      .from(organizations)
      .where(and(eq(organizations.allianceId, allianceId), gte(organizations.createdAt, weekAgo), lt(organizations.createdAt, at)))
      .orderBy(organizations.createdAt, organizations.id)
      .limit(DIGEST_LIST_MAX),
    selectResources(db, { total })
      .where(and(eq(resources.allianceId, allianceId), gte(resources.createdAt, weekAgo), lt(resources.createdAt, at)))
      .orderBy(resources.createdAt, resources.number)
      .limit(DIGEST_LIST_MAX),
  ]);
  return {
    at,
    timeZone,
    today,
    overdue,
    dueSoon,
    openPolls: { items: openPolls.items, total: openPolls.total },
    openProposals: openPolls.proposals,
    decisions,
    finished,
    reminders: coming,
    newMembers: listed(joined, (member) => memberNameOn(member, member.platform)),
    newOrganizations: listed(founded, (row) => row.name),
    newResources: listed(shared, (row) => {
      const { createdAt: _shared, ...resource } = resourceView(row);
      return resource;
    }),
  };
}

function listed<R extends { total: number }, T>(rows: R[], item: (row: R) => T): Listed<T> {
  return { items: rows.map(item), total: rows[0]?.total ?? 0 };
}

/** Open tasks due in a span, soonest first, with whom they are for. */
async function openTasks(db: Db, allianceId: number, due: SQL | undefined): Promise<Listed<DigestTask>> {
  const rows = await db
    .select({
      number: tasks.number,
      title: tasks.title,
      dueOn: tasks.dueOn,
      memberName: assignee.displayName,
      memberUserId: assignee.platformUserId,
      memberPlatform: shownPlatform(assignee.workspaceId),
      organizationName: organizations.name,
      total,
    })
    .from(tasks)
    .leftJoin(assignee, eq(assignee.id, tasks.assigneeMemberId))
    .leftJoin(organizations, eq(organizations.id, tasks.assigneeOrganizationId))
    .where(and(eq(tasks.allianceId, allianceId), eq(tasks.status, 'open'), due))
    .orderBy(tasks.dueOn, tasks.number)
    .limit(DIGEST_LIST_MAX);
  return listed(rows, (row) => ({
    number: row.number,
    title: row.title,
    dueOn: row.dueOn ?? '',
    assignee:
      row.memberUserId !== null
        ? { kind: 'member', name: memberNameOn({ displayName: row.memberName, platformUserId: row.memberUserId }, row.memberPlatform) }
        : row.organizationName !== null
          ? { kind: 'organization', name: row.organizationName }
          : null,
  }));
}

// In the poll queries below the subqueries name the outer poll as `polls.…` in plain SQL: drizzle writes the selected
// columns of a one-table query without their table, and inside a subquery an unqualified column binds to the inner table.

/**
 * Open polls and proposals, closing soonest first, with their turnout as pollView counts it (members who chose something,
 * of all the alliance's members). What anyone chose is not read: a poll hiding its results shows no more than the others.
 */
async function openPollsOf(db: Db, allianceId: number): Promise<Listed<DigestPoll> & { proposals: number }> {
  const rows = await db
    .select({
      number: polls.number,
      kind: polls.kind,
      question: polls.question,
      closesAt: polls.closesAt,
      anonymous: polls.anonymous,
      hideResults: polls.hideResults,
      voters: sql<number>`(select count(*) from ${ballots} where ballots.poll_id = polls.id and ${hasVoted})`.mapWith(Number),
      // Members of a workspace that left the alliance no longer count.
      eligible: sql<number>`(select count(*) from ${members} m join workspaces w on w.id = m.workspace_id where m.alliance_id = polls.alliance_id and w.unlinked_at is null)`.mapWith(Number),
      proposals: sql<number>`count(*) filter (where polls.kind = 'proposal') over ()`.mapWith(Number),
      total,
    })
    .from(polls)
    .where(and(eq(polls.allianceId, allianceId), eq(polls.status, 'open')))
    .orderBy(sql`${polls.closesAt} asc nulls last`, polls.number)
    .limit(DIGEST_LIST_MAX);
  return { ...listed(rows, ({ total: _total, proposals: _proposals, kind, ...poll }) => ({ ...poll, kind: pollKind(kind) })), proposals: rows[0]?.proposals ?? 0 };
}

/** A row of JSON built by Postgres: drivers hand `json` back parsed, or as text. */
function fromJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/**
 * Polls and proposals closed in the window, in the order they closed, each with its options' votes (most voted first) and,
 * for proposals that are not anonymous, who blocked. Closed polls show their results, hidden-results ones included.
 */
async function decisionsOf(db: Db, allianceId: number, from: Date, to: Date): Promise<Listed<DigestDecision>> {
  const rows = await db
    .select({
      number: polls.number,
      kind: polls.kind,
      question: polls.question,
      closedAt: polls.closedAt,
      anonymous: polls.anonymous,
      voters: sql<number>`(select count(*) from ${ballots} where ballots.poll_id = polls.id and ${hasVoted})`.mapWith(Number),
      outcome: sql<unknown>`(
        select coalesce(json_agg(json_build_object('label', tally.label, 'code', tally.code, 'votes', tally.votes) order by tally.votes desc, tally.position), '[]'::json)
        from (
          select o.label, o.code, o.position, (select count(*)::int from ${ballots} b where b.poll_id = o.poll_id and o.position = any(b.choices)) as votes
          from ${pollOptions} o where o.poll_id = polls.id
        ) tally)`,
      // Anonymous ballots carry no member once closed; the rule is said here too, so no name can show even if one did.
      blockers: sql<unknown>`case when polls.kind = 'proposal' and not polls.anonymous then (
        select coalesce(json_agg(json_build_object('displayName', m.display_name, 'platformUserId', m.platform_user_id) order by m.display_name, m.id), '[]'::json)
        from ${ballots} b
        join ${members} m on m.id = b.member_id
        join ${pollOptions} o on o.poll_id = b.poll_id and o.code = 'block'
        where b.poll_id = polls.id and o.position = any(b.choices)
      ) else '[]'::json end`,
      total,
    })
    .from(polls)
    .where(and(eq(polls.allianceId, allianceId), eq(polls.status, 'closed'), gte(polls.closedAt, from), lt(polls.closedAt, to)))
    .orderBy(polls.closedAt, polls.number)
    .limit(DIGEST_LIST_MAX);
  return listed(rows, (row) => ({
    number: row.number,
    kind: pollKind(row.kind),
    question: row.question,
    closedAt: row.closedAt!,
    anonymous: row.anonymous,
    voters: row.voters,
    outcome: fromJson<{ label: string; code: string | null; votes: number }[]>(row.outcome),
    blockedBy: row.anonymous ? [] : fromJson<{ displayName: string | null; platformUserId: string }[]>(row.blockers).map(memberName),
  }));
}

/** Tasks finished in the window, by organization (a member's own tasks last), with who marked them done. */
async function finishedOf(db: Db, allianceId: number, from: Date, to: Date): Promise<Listed<DigestFinished>> {
  const rows = await db
    .select({
      number: tasks.number,
      title: tasks.title,
      byName: finisher.displayName,
      byUserId: finisher.platformUserId,
      organization: organizations.name,
      total,
    })
    .from(tasks)
    .leftJoin(finisher, eq(finisher.id, tasks.completedBy))
    .leftJoin(organizations, eq(organizations.id, tasks.assigneeOrganizationId))
    .where(and(eq(tasks.allianceId, allianceId), eq(tasks.status, 'done'), gte(tasks.completedAt, from), lt(tasks.completedAt, to)))
    .orderBy(sql`${organizations.name} asc nulls last`, tasks.completedAt, tasks.number)
    .limit(DIGEST_LIST_MAX);
  return listed(rows, (row) => ({
    number: row.number,
    title: row.title,
    by: row.byUserId !== null ? memberName({ displayName: row.byName, platformUserId: row.byUserId }) : null,
    organization: row.organization,
  }));
}

/** Active reminders for channels and organizations next due in the window, soonest first; a member's own stay private. */
async function remindersOf(db: Db, allianceId: number, from: Date, to: Date): Promise<Listed<DigestReminder>> {
  const rows = await db
    .select({
      number: reminders.number,
      text: reminders.text,
      nextAt: reminders.nextAt,
      targetKind: reminders.targetKind,
      conversation: reminders.targetConversation,
      organization: organizations.name,
      total,
    })
    .from(reminders)
    .leftJoin(organizations, eq(organizations.id, reminders.targetOrganizationId))
    .where(
      and(
        eq(reminders.allianceId, allianceId),
        eq(reminders.status, 'active'),
        inArray(reminders.targetKind, ['organization', 'channel']),
        gte(reminders.nextAt, from),
        lt(reminders.nextAt, to),
      ),
    )
    .orderBy(reminders.nextAt, reminders.number)
    .limit(DIGEST_LIST_MAX);
  return listed(rows, (row) => ({
    number: row.number,
    text: row.text,
    at: row.nextAt!,
    target:
      row.targetKind === 'organization'
        ? { kind: 'organization', name: row.organization ?? '?' }
        : { kind: 'channel', conversation: row.conversation ?? '?' },
  }));
}

function pollKind(kind: string): 'choice' | 'proposal' {
  return kind === 'proposal' ? 'proposal' : 'choice';
}
