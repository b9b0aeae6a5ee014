// Polls and consent proposals: create, cast and change ballots (one per member, anonymous when asked), tally, close, export.
import { and, asc, count, desc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { prepared } from '../db/prepared.js';
import { ballots, members, pollOptions, polls, postedMessages, workspaces } from '../db/schema.js';
import type { ChoiceRef, PollRef, PollSpec } from './commands/command.js';
import { UserError } from './errors.js';
import { fold } from './time/dates.js';
import { toCsv } from './render/csv.js';
import { linkedMembersOf, memberNameOn, shownPlatform, type Actor } from './identity.js';
import { authorize } from './permissions.js';
import { nextNumber } from './numbers.js';
import { dropWaitingJob, requestJob, requestJobSql, scheduleJob, type NewJob } from './scheduler/jobs.js';
import { newBallotSalt, unlinkedKey, voterIdentities } from './ballot-keys.js';

export type PollRow = typeof polls.$inferSelect;
export type OptionRow = typeof pollOptions.$inferSelect;

export const PROPOSAL_CODES = ['agree', 'abstain', 'disagree', 'block'] as const;
export type ProposalCode = (typeof PROPOSAL_CODES)[number];

/** Words that choose a proposal option in a text vote, in both languages. */
const PROPOSAL_WORDS: Record<ProposalCode, string[]> = {
  agree: ['agree', 'yes', 'si', 'de acuerdo', 'acuerdo', 'a favor'],
  abstain: ['abstain', 'abstengo', 'me abstengo', 'abstencion'],
  disagree: ['disagree', 'no', 'en desacuerdo', 'desacuerdo', 'en contra'],
  block: ['block', 'bloqueo', 'bloquear', 'bloqueo total', 'veto'],
};

/** Poll messages are edited at most this often: Slack allows about one message per second per channel. */
export const REFRESH_SPACING_MS = 1000;
/** Members who have not voted hear from us this long before a deadline. */
export const CLOSING_SOON_MS = 24 * 3_600_000;

/** The key of a poll's one job of a kind: queuing it again keeps one, and a command can ask for it to run at once. */
export function pollJobKey(kind: 'poll.post' | 'poll.refresh' | 'poll.close' | 'poll.closingSoon' | 'poll.announce', pollId: number): string {
  return `${kind}:${pollId}`;
}

/**
 * What anyone may see of a poll, whoever asks: its creator and coordinators see no more than any member. While a poll that
 * hides its results is open, that is the options and the turnout only; the counts are never even read.
 */
export interface PollView {
  poll: PollRow;
  options: OptionRow[];
  /** Votes per option, in option order; null while the results are hidden (see resultsHidden), so no renderer can show them. */
  counts: number[] | null;
  voters: number;
  members: number;
  /** Who blocked a proposal, by name; empty for anonymous polls, whose ballots carry no names, and while the results are hidden. */
  blockers: string[];
}

/** Whether nobody, its creator and coordinators included, may see a poll's counts or who chose what: it hides them until it closes. */
export function resultsHidden(poll: Pick<PollRow, 'hideResults' | 'status'>): boolean {
  return poll.hideResults && poll.status !== 'closed';
}

export async function createPoll(
  tx: Db,
  actor: Actor,
  spec: PollSpec,
  closesAt: Date | null,
  conversation: string | null,
  now: Date,
  secret: string | undefined,
): Promise<PollRow> {
  // Refused before anything is written: without the deployment secret an anonymous ballot could not be keyed.
  if (spec.anonymous && !secret) throw new UserError('error.anonymousNeedsSecret');
  const number = await nextNumber(tx, actor.alliance.id, 'poll');
  const [poll] = await tx
    .insert(polls)
    .values({
      allianceId: actor.alliance.id,
      number,
      kind: spec.pollKind,
      question: spec.question,
      maxChoices: spec.maxChoices,
      anonymous: spec.anonymous,
      hideResults: spec.hideResults,
      ballotSalt: spec.anonymous ? newBallotSalt() : null,
      closesAt,
      conversation,
      createdBy: actor.member.id,
    })
    .returning();
  const labels = spec.pollKind === 'proposal' ? [...PROPOSAL_CODES] : spec.options;
  await tx.insert(pollOptions).values(
    labels.map((label, index) => ({
      allianceId: actor.alliance.id,
      pollId: poll!.id,
      position: index + 1,
      label,
      code: spec.pollKind === 'proposal' ? label : null,
    })),
  );
  const job = (kind: 'poll.post' | 'poll.close' | 'poll.closingSoon', runAt: Date) => ({ allianceId: actor.alliance.id, kind, key: pollJobKey(kind, poll!.id), runAt, payload: { pollId: poll!.id } });
  if (conversation) await scheduleJob(tx, job('poll.post', now));
  if (closesAt) {
    await scheduleJob(tx, job('poll.close', closesAt));
    const soon = new Date(closesAt.getTime() - CLOSING_SOON_MS);
    if (soon > now) await scheduleJob(tx, job('poll.closingSoon', soon));
  }
  return poll!;
}

/** A poll of the actor's alliance; `share` lets ballots proceed together while a close (which takes `update`) waits for them. */
export async function findPoll(tx: Db, actor: Actor, ref: PollRef, lock?: 'share' | 'update'): Promise<PollRow> {
  const byRef = 'id' in ref ? eq(polls.id, ref.id) : eq(polls.number, ref.number);
  const query = tx.select().from(polls).where(and(eq(polls.allianceId, actor.alliance.id), byRef));
  const [poll] = lock ? await query.for(lock) : await query;
  if (!poll) throw new UserError('error.pollNotFound', { number: 'number' in ref ? ref.number : '?' });
  return poll;
}

/**
 * A poll of the actor's alliance with its options, in one statement: the start of every ballot, the hottest path there is.
 * Locked for share as findPoll does when `lock` (in a transaction); a ballot written in one statement locks it there.
 */
async function findPollWithOptions(tx: Db, actor: Actor, ref: PollRef, lock: boolean): Promise<{ poll: PollRow; options: OptionRow[] }> {
  const by = 'id' in ref ? 'id' : 'number';
  const name = `poll_with_options_by_${by}${lock ? '_locked' : ''}`;
  const query = prepared(tx, name, (db) => {
    const options = sql<OptionRow[]>`(select coalesce(json_agg(json_build_object(
        'id', o.id, 'allianceId', o.alliance_id, 'pollId', o.poll_id, 'position', o.position, 'label', o.label, 'code', o.code
      ) order by o.position), '[]'::json) from ${pollOptions} o where o.poll_id = ${polls}.id)`;
    const select = db
      .select({ poll: polls, options })
      .from(polls)
      .where(and(eq(polls.allianceId, sql.placeholder('alliance')), eq(by === 'id' ? polls.id : polls.number, sql.placeholder('ref'))));
    return (lock ? select.for('share', { of: polls }) : select).prepare(name);
  });
  const [row] = await query.execute({ alliance: actor.alliance.id, ref: 'id' in ref ? ref.id : ref.number });
  if (!row) throw new UserError('error.pollNotFound', { number: 'number' in ref ? ref.number : '?' });
  return row;
}

export async function optionsOf(tx: Db, pollId: number): Promise<OptionRow[]> {
  return tx.select().from(pollOptions).where(eq(pollOptions.pollId, pollId)).orderBy(pollOptions.position);
}

/**
 * Casts or changes the actor's ballot. A text vote replaces the ballot; a click on a multiple-choice poll (`toggle`) adds or
 * removes one option, atomically in SQL so concurrent clicks by one member still leave one consistent ballot.
 *
 * Clicks are acknowledged first and processed concurrently, so they may be handled out of the order they were made in. A
 * ballot therefore keeps when the member made the change it reflects (`acted`), and the statement that would write a
 * change skips it unless it was made later: the change made last counts, not the one handled last. A skipped change is
 * answered with the ballot as it stands. A tie is no newer, so an identical click delivered twice toggles once.
 *
 * One gap is left: withdrawing the last choice deletes the ballot, and its time with it (a ballot must hold a choice), so a
 * click made before the withdrawal but handled after it casts a ballot again.
 */
export async function castBallot(
  db: Db,
  actor: Actor,
  ref: PollRef,
  choices: ChoiceRef[],
  toggle: boolean,
  now: Date,
  secret: string | undefined,
  /** When the member acted, in microseconds since the epoch. */
  acted: number,
  /** Whether `db` is the command's transaction; if not, the ballot is written in one statement, or in a transaction of its own. */
  inTransaction: boolean,
): Promise<{ poll: PollRow; options: OptionRow[]; chosen: number[] }> {
  const { poll, options } = await findPollWithOptions(db, actor, ref, inTransaction);
  // A deadline closes voting at once, even before the scheduler (or a restarted instance) gets to mark the poll closed.
  if (poll.status !== 'open' || (poll.closesAt && poll.closesAt <= now)) throw new UserError('error.pollClosed', { number: poll.number });
  const positions = [...new Set(choices.map((choice) => resolveChoice(poll, options, choice)))].sort((a, b) => a - b);
  if (positions.length > poll.maxChoices) throw new UserError('error.voteTooMany', { number: poll.number, max: poll.maxChoices });
  const { key, memberId, orderOffset } = voterIdentities(poll, secret)(actor.member.id);
  const values = { allianceId: poll.allianceId, pollId: poll.id, voterKey: key, memberId, choices: positions, acted: acted + orderOffset };
  const mine = and(eq(ballots.pollId, poll.id), eq(ballots.voterKey, key));
  let changed: number[] | undefined;
  if (toggle && poll.maxChoices > 1 && positions.length === 1) {
    // A toggle reads and writes the ballot in more than one statement: in a transaction, with the poll locked for share.
    if (!inTransaction) return db.transaction((tx) => castBallot(tx, actor, ref, choices, toggle, now, secret, acted, true));
    // Compared under the row's lock, which the conflicting insert takes whether or not it updates.
    const newer = sql`${ballots.acted} < excluded.acted`;
    const position = positions[0]!;
    const toggled = sql`(case when ${position}::int = any(${ballots.choices}) then array_remove(${ballots.choices}, ${position}::int) else array_append(${ballots.choices}, ${position}::int) end)`;
    const [row] = await db
      .insert(ballots)
      .values(values)
      .onConflictDoUpdate({
        target: [ballots.pollId, ballots.voterKey],
        set: { choices: sql`(select array_agg(c order by c) from unnest(${toggled}) c)`, acted: values.acted },
        setWhere: sql`${newer} and cardinality(${toggled}) between 1 and ${poll.maxChoices}`,
      })
      .returning({ choices: ballots.choices });
    if (row) changed = row.choices;
    else {
      // Not updated: the click withdraws the last choice (only if newer, as above), is outdated, or would exceed the maximum.
      // A withdrawal keeps the row, empty, with its time: an older click arriving later must not bring the vote back.
      const [withdrawn] = await db
        .update(ballots)
        .set({ choices: [], acted: values.acted })
        .where(and(mine, sql`${ballots.acted} < ${values.acted}`, sql`${ballots.choices} = array[${position}::int]`))
        .returning({ key: ballots.voterKey });
      if (withdrawn) changed = [];
    }
    if (changed) {
      await requestRefresh(db, poll, now);
      return { poll, options, chosen: changed };
    }
  } else {
    // Every text vote and single-choice click: one statement (castSql), atomic by itself, in a transaction or not.
    const refresh = refreshJob(poll, now);
    const [row] = await prepared(db, 'ballot_cast', castSql).execute({
      ...values,
      memberId: values.memberId ?? null,
      now: now.toISOString(),
      refreshKey: refresh.key,
      refreshPayload: JSON.stringify(refresh.payload),
    });
    // Read before without a lock, the poll may have been deleted or closed since: the statement found it so under its lock.
    if (!row) throw new UserError('error.pollNotFound', { number: poll.number });
    if (!row.open) throw new UserError('error.pollClosed', { number: poll.number });
    if (row.choices) return { poll, options, chosen: row.choices };
  }
  // Unchanged, and the row still locked: either a later change already counted, or this toggle would choose too many.
  const [current] = await db.select({ choices: ballots.choices, acted: ballots.acted }).from(ballots).where(mine);
  if (current && current.acted < values.acted) throw new UserError('error.voteTooMany', { number: poll.number, max: poll.maxChoices });
  return { poll, options, chosen: current?.choices ?? [] };
}

/**
 * A ballot in one statement: the poll locked for share (a close, which locks it for update, waits for the ballot, and a
 * ballot after the close finds it closed), the ballot inserted or replaced unless a newer change of the member's already
 * counted (see `acted` above), and a refresh of the poll's messages requested when it changed. Outside a transaction this
 * is one round trip where BEGIN, the ballot, the refresh and COMMIT were four. Answers whether the poll was open and, if
 * the ballot changed, its choices; no row when the poll is gone.
 */
function castSql(db: Db) {
  const value = sql.placeholder;
  const poll = db.$with('poll', { open: sql<boolean>`open`.as('open') }).as(
    sql`select ${polls.status} = 'open' and (${polls.closesAt} is null or ${polls.closesAt} > ${value('now')}::timestamptz) as open
      from ${polls} where ${polls.id} = ${value('pollId')} for share`,
  );
  const ballot = db.$with('ballot', { choices: sql<number[]>`choices`.as('choices') }).as(
    sql`insert into ${ballots} (alliance_id, poll_id, voter_key, member_id, choices, acted)
      select ${value('allianceId')}, ${value('pollId')}, ${value('voterKey')}, ${value('memberId')}, ${value('choices')}::int[], ${value('acted')}
      from poll where poll.open
      on conflict (poll_id, voter_key) do update set choices = excluded.choices, acted = excluded.acted
      where ${ballots.acted} < excluded.acted
      returning ${ballots.choices}`,
  );
  // Runs whether or not the query below reads it, as every data-modifying part of a WITH does.
  const refresh = db.$with('refresh', { requested: sql<number>`1`.as('requested') }).as(
    requestJobSql(
      { allianceId: value('allianceId'), kind: 'poll.refresh', key: value('refreshKey'), runAt: value('now'), payload: value('refreshPayload') },
      REFRESH_SPACING_MS,
      sql`exists (select 1 from ballot)`,
    ),
  );
  return db
    .with(poll, ballot, refresh)
    .select({ open: poll.open, choices: sql<number[] | null>`(select choices from ballot)`.mapWith(ballots.choices) })
    .from(poll)
    .prepare('ballot_cast');
}

function resolveChoice(poll: PollRow, options: OptionRow[], choice: ChoiceRef): number {
  if ('position' in choice) {
    if (options.some((option) => option.position === choice.position)) return choice.position;
    throw new UserError('error.voteChoiceUnknown', { number: poll.number, input: String(choice.position) });
  }
  const wanted = fold(choice.label).trim();
  const option = options.find(
    (candidate) =>
      fold(candidate.label) === wanted ||
      (candidate.code !== null && PROPOSAL_WORDS[candidate.code as ProposalCode]?.includes(wanted)),
  );
  if (!option) throw new UserError('error.voteChoiceUnknown', { number: poll.number, input: choice.label });
  return option.position;
}

/** Asks for the poll's messages to be refreshed, coalesced to one edit per poll per REFRESH_SPACING_MS. */
export async function requestRefresh(tx: Db, poll: PollRow, now: Date): Promise<void> {
  await requestJob(tx, refreshJob(poll, now), REFRESH_SPACING_MS);
}

/** The job that refreshes a poll's messages with its current tally (coalesced: see requestJob). */
function refreshJob(poll: PollRow, now: Date): NewJob<'poll.refresh'> {
  return { allianceId: poll.allianceId, kind: 'poll.refresh', key: pollJobKey('poll.refresh', poll.id), runAt: now, payload: { pollId: poll.id } };
}

/** Closes a poll by command: only its creator or a coordinator. */
export async function closePollBy(tx: Db, actor: Actor, ref: PollRef, now: Date): Promise<PollRow> {
  const poll = await findPoll(tx, actor, ref, 'update');
  authorize(actor, 'poll.close', { createdBy: poll.createdBy });
  if (poll.status !== 'open') throw new UserError('error.pollAlreadyClosed', { number: poll.number });
  return (await closePoll(tx, poll.id, now))!;
}

/**
 * Closes an open poll once (by command or at its deadline) and queues the announcement, in the same transaction, so the
 * outcome is posted exactly once even if this instance stops right after.
 */
export async function closePoll(tx: Db, pollId: number, now: Date): Promise<PollRow | undefined> {
  const [closed] = await tx
    .update(polls)
    // The salt goes with the close: from here on no key can be recomputed, by anyone.
    .set({ status: 'closed', closedAt: now, ballotSalt: null })
    .where(and(eq(polls.id, pollId), eq(polls.status, 'open')))
    .returning();
  if (!closed) return undefined;
  // Withdrawn votes only mattered for ordering later clicks; none will come.
  await tx.delete(ballots).where(and(eq(ballots.pollId, closed.id), sql`cardinality(${ballots.choices}) = 0`));
  if (closed.anonymous) await unlinkBallots(tx, closed.id);
  if (closed.conversation) {
    await scheduleJob(tx, { allianceId: closed.allianceId, kind: 'poll.announce', key: pollJobKey('poll.announce', closed.id), runAt: now, payload: { pollId: closed.id } });
    // The announcement freezes the message with every ballot, so a refresh still waiting would only edit it again. One
    // running now may have rendered the open poll: it sees the close and runs once more (see poll-jobs.ts).
    await dropWaitingJob(tx, pollJobKey('poll.refresh', closed.id), now);
  }
  return closed;
}

/**
 * Cuts what is left between a closed anonymous poll's ballots and its members, in the close's transaction. Each ballot gets
 * a fresh random key, so not even a backup made while the poll was open (which holds the salt) can be matched, with
 * MINGA_SECRET, to the final ballots; `acted` becomes 0, as no vote will be ordered against it any more and it would
 * otherwise keep a trace of when each member acted. They are written back in the order of their new keys, which is random:
 * the table no longer keeps the order in which members voted, nor the transaction ids of their votes (members' rows written
 * in the same transaction carry those). Postgres keeps the old row versions in its files until it reuses the space.
 */
export async function unlinkBallots(tx: Db, pollId: number): Promise<void> {
  const old = await tx.delete(ballots).where(eq(ballots.pollId, pollId)).returning({ allianceId: ballots.allianceId, choices: ballots.choices });
  await writeBallots(
    tx,
    old.map((ballot) => ({ allianceId: ballot.allianceId, pollId, voterKey: unlinkedKey(), memberId: null, choices: ballot.choices, acted: 0 })),
  );
}

/** Ballots written per statement, well under Postgres's limit of 65,535 bound parameters. */
const BALLOTS_PER_INSERT = 1000;

/** Inserts anonymous ballots in the order of their keys, so the order they are stored in says nothing of who cast them. */
export async function writeBallots(tx: Db, rows: (typeof ballots.$inferInsert)[]): Promise<void> {
  const sorted = [...rows].sort((a, b) => (a.voterKey < b.voterKey ? -1 : a.voterKey > b.voterKey ? 1 : 0));
  for (let start = 0; start < sorted.length; start += BALLOTS_PER_INSERT) await tx.insert(ballots).values(sorted.slice(start, start + BALLOTS_PER_INSERT));
}

export async function deletePoll(tx: Db, actor: Actor, ref: PollRef): Promise<PollRow> {
  const poll = await findPoll(tx, actor, ref, 'update');
  authorize(actor, 'poll.delete', { createdBy: poll.createdBy });
  await tx.delete(polls).where(eq(polls.id, poll.id));
  return poll;
}

/** A ballot that still chooses something: a withdrawn vote (kept only for its time) is no vote. */
export const hasVoted = sql`cardinality(${ballots.choices}) > 0`;

export async function pollView(tx: Db, poll: PollRow): Promise<PollView> {
  const options = await optionsOf(tx, poll.id);
  const [{ voters } = { voters: 0 }] = await tx.select({ voters: count() }).from(ballots).where(and(eq(ballots.pollId, poll.id), hasVoted));
  const [{ everyone } = { everyone: 0 }] = await tx
    .select({ everyone: count() })
    .from(members)
    .innerJoin(workspaces, eq(workspaces.id, members.workspaceId))
    .where(linkedMembersOf(poll.allianceId));
  // Turnout may show; what was chosen may not, so it is not read at all.
  if (resultsHidden(poll)) return { poll, options, counts: null, voters, members: everyone, blockers: [] };
  const tallies = await tx
    .select({ position: sql<number>`c`, votes: sql<number>`count(*)::int` })
    .from(sql`${ballots}, unnest(${ballots.choices}) as c`)
    .where(eq(ballots.pollId, poll.id))
    .groupBy(sql`c`);
  const blockers =
    poll.kind === 'proposal' && !poll.anonymous
      ? (
          await tx
            .select({ displayName: members.displayName, platformUserId: members.platformUserId, platform: shownPlatform(members.workspaceId) })
            .from(ballots)
            .innerJoin(members, eq(members.id, ballots.memberId))
            .where(and(eq(ballots.pollId, poll.id), sql`${PROPOSAL_CODES.indexOf('block') + 1}::int = any(${ballots.choices})`))
            .orderBy(members.displayName)
        ).map((member) => memberNameOn(member, member.platform))
      : [];
  const votesAt = new Map(tallies.map((row) => [Number(row.position), Number(row.votes)]));
  return { poll, options, counts: options.map((option) => votesAt.get(option.position) ?? 0), voters, members: everyone, blockers };
}

/** Whether the poll's message made it to its channel. */
export async function isPosted(tx: Db, poll: PollRow): Promise<boolean> {
  const [row] = await tx
    .select({ id: postedMessages.id })
    .from(postedMessages)
    .where(and(eq(postedMessages.allianceId, poll.allianceId), eq(postedMessages.subject, `poll:${poll.id}`)))
    .limit(1);
  return row !== undefined;
}

export async function listPolls(tx: Db, actor: Actor): Promise<PollRow[]> {
  return tx.select().from(polls).where(eq(polls.allianceId, actor.alliance.id)).orderBy(desc(polls.number)).limit(25);
}

export interface PollSuggestion {
  number: number;
  question: string;
  /** Its options in order, labelled for the person asking, so a vote can be picked as well. */
  options: { position: number; label: string }[];
}

/**
 * Up to 25 open polls (Discord's autocomplete limit) whose number starts with, or question contains, what was typed: the poll
 * with exactly that number first (so it is never cut off), then the newest.
 */
export async function suggestPolls(tx: Db, actor: Actor, typed: string, label: (option: OptionRow) => string): Promise<PollSuggestion[]> {
  const query = typed.trim().replace(/^#/, '');
  const matches = query
    ? or(sql`${polls.number}::text like ${`${query.replace(/[\\%_]/g, '')}%`}`, sql`strpos(lower(${polls.question}), lower(${query})) > 0`)
    : undefined;
  const found = await tx
    .select({ id: polls.id, number: polls.number, question: polls.question })
    .from(polls)
    .where(and(eq(polls.allianceId, actor.alliance.id), eq(polls.status, 'open'), matches))
    .orderBy(sql`${polls.number}::text = ${query} desc`, desc(polls.number))
    .limit(25);
  if (found.length === 0) return [];
  const options = await tx
    .select()
    .from(pollOptions)
    .where(inArray(pollOptions.pollId, found.map((poll) => poll.id)))
    .orderBy(asc(pollOptions.pollId), asc(pollOptions.position));
  return found.map((poll) => ({
    number: poll.number,
    question: poll.question,
    options: options.filter((option) => option.pollId === poll.id).map((option) => ({ position: option.position, label: label(option) })),
  }));
}

/** Members of the alliance who have not voted, on every platform; for anonymous polls found by recomputing keys, never stored. */
export async function nonVoters(tx: Db, poll: PollRow, secret: string | undefined) {
  const everyone = await tx
    .select({ member: members, platform: workspaces.platform, workspaceId: workspaces.externalId })
    .from(members)
    .innerJoin(workspaces, eq(workspaces.id, members.workspaceId))
    // Members of a workspace that left the alliance are no longer asked: they stay only as names in its history.
    .where(linkedMembersOf(poll.allianceId));
  const keys = new Set((await tx.select({ key: ballots.voterKey }).from(ballots).where(and(eq(ballots.pollId, poll.id), hasVoted))).map((row) => row.key));
  const identify = voterIdentities(poll, secret);
  return everyone.filter((row) => !keys.has(identify(row.member.id).key));
}

/**
 * CSV for the minutes: the count per option and, on polls that are not anonymous, one row per voter and choice. Refused
 * while the results are hidden: a file of options and no counts would read as a result, and the turnout is in `poll results`.
 */
export async function exportCsv(tx: Db, poll: PollRow, header: { voter: string; position: string; option: string; votes: string }, label: (option: OptionRow) => string): Promise<string> {
  if (resultsHidden(poll)) throw new UserError('error.pollResultsHidden', { number: poll.number });
  const view = await pollView(tx, poll);
  const counts = view.counts ?? [];
  const rows: string[][] = [[header.position, header.option, header.votes]];
  view.options.forEach((option, index) => rows.push([String(option.position), label(option), String(counts[index] ?? 0)]));
  if (!poll.anonymous) {
    const votes = await tx
      .select({ displayName: members.displayName, platformUserId: members.platformUserId, choices: ballots.choices })
      .from(ballots)
      .innerJoin(members, eq(members.id, ballots.memberId))
      .where(eq(ballots.pollId, poll.id))
      .orderBy(members.displayName);
    rows.push([], [header.voter, header.position, header.option]);
    for (const vote of votes) {
      for (const position of vote.choices) {
        const option = view.options.find((candidate) => candidate.position === position);
        rows.push([vote.displayName ?? vote.platformUserId, String(position), option ? label(option) : '']);
      }
    }
  }
  return toCsv(rows);
}
