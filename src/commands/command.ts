// The core's typed commands: what every adapter turns its platform's input into.
import type { Db } from '../../db/connection.js';
import type { Locale } from '../i18n/index.js';
import type { Actor, Defaults } from '../identity.js';
import type { Reply } from '../reply.js';

/** Someone named in a command: a platform user id (Slack `U123`, Discord snowflake, console name). */
export interface MemberMention {
  userId: string;
  name?: string;
}

export type Assignee = { kind: 'member'; member: MemberMention } | { kind: 'organization'; slug: string };

/** A task by its short number in the alliance, or by database id (what buttons carry; always checked against the alliance). */
export type TaskRef = { number: number } | { id: number };

export type TaskFilter = 'open' | 'mine' | 'overdue' | 'all';

/** A poll by its short number in the alliance, or by database id (what buttons carry; always checked against the alliance). */
export type PollRef = { number: number } | { id: number };

/** An option by its number on the poll (1, 2, …) or by its label as typed. */
export type ChoiceRef = { position: number } | { label: string };

export interface PollSpec {
  pollKind: 'choice' | 'proposal';
  question: string;
  /** Empty for proposals: their options are always agree, abstain, disagree and block. */
  options: string[];
  /** How many options one ballot may choose: 1 for single choice. */
  maxChoices: number;
  anonymous: boolean;
  hideResults: boolean;
  /** When voting ends, as typed ("tomorrow 18:00", "el viernes") or an ISO instant; resolved in the member's zone. */
  closes?: string;
  /** `--everywhere`: also posted in the home channel of every linked workspace (see src/everywhere.ts). */
  everywhere?: boolean;
}

/** A channel as a command names it: the platform's id (Slack `<#C123|name>`, Discord `<#123>`) and/or the name typed (`#general`). */
export interface ChannelMention {
  id?: string;
  name?: string;
}

/**
 * Who a reminder is for: the one who set it, a member (a direct message), each member of an organization (a direct
 * message each), a channel named in the command, or the channel the command was typed in.
 */
export type ReminderTarget =
  | { kind: 'me' }
  | { kind: 'member'; member: MemberMention }
  | { kind: 'organization'; slug: string }
  | { kind: 'channel'; channel: ChannelMention }
  | { kind: 'here' }
  /** The home channel of every linked workspace, as they are when each occurrence is sent (see src/everywhere.ts). */
  | { kind: 'everywhere' };

/** A reminder by its short number in the alliance. */
export interface ReminderRef {
  number: number;
}

export type Command =
  | { kind: 'help' }
  | { kind: 'lang.show' }
  | { kind: 'lang.set'; scope: 'member' | 'alliance'; locale: Locale }
  | { kind: 'task.form' }
  /** `dueOn`: an ISO date, or a day in words from a form ("next friday", "el viernes"), read in the member's zone by the handler. */
  | { kind: 'task.add'; title: string; assignee?: Assignee; dueOn?: string }
  | { kind: 'task.list'; filter: TaskFilter }
  | { kind: 'task.done'; task: TaskRef }
  | { kind: 'task.assign'; task: TaskRef; assignee: Assignee }
  | { kind: 'task.reopen'; task: TaskRef }
  | { kind: 'task.delete'; task: TaskRef }
  /** Shows (no `enabled`) or switches the alliance's reminders of due dates to assignees. */
  | { kind: 'task.reminders'; enabled?: boolean }
  | { kind: 'org.add'; slug: string; name: string }
  | { kind: 'org.list' }
  | { kind: 'org.join'; slug: string; member?: MemberMention }
  | { kind: 'poll.form' }
  | ({ kind: 'poll.create' } & PollSpec)
  /** `toggle`: a button click on a multiple-choice poll adds or removes that one option. */
  | { kind: 'poll.vote'; poll: PollRef; choices: ChoiceRef[]; toggle?: boolean }
  | { kind: 'poll.close'; poll: PollRef }
  | { kind: 'poll.results'; poll: PollRef }
  | { kind: 'poll.list' }
  | { kind: 'poll.export'; poll: PollRef }
  | { kind: 'poll.remind'; poll: PollRef }
  | { kind: 'poll.delete'; poll: PollRef }
  /**
   * `when`: the time as typed ("tomorrow 9am", "cada lunes a las 9"), read again in the target's zone when the reminder
   * is created; `text`: what to remind of.
   */
  | { kind: 'reminder.create'; target: ReminderTarget; when: string; text: string }
  | { kind: 'reminder.list' }
  | { kind: 'reminder.cancel'; reminder: ReminderRef }
  | { kind: 'timezone.show' }
  /** `zone`: an IANA name as typed (checked and spelled canonically by the handler); null goes back to the platform's zone. */
  | { kind: 'timezone.set'; scope: 'member' | 'alliance'; zone: string | null }
  /** This channel's digest: its subscription and next send time. */
  | { kind: 'digest.show' }
  /**
   * Subscribes this channel (coordinators). `when`: the schedule as typed ("friday 17:00", "cada viernes a las 17"),
   * Monday 09:00 in the alliance's zone when absent; `locale`: the digest's language (`--lang`), the alliance's when absent.
   */
  | { kind: 'digest.on'; when?: string; locale?: Locale }
  | { kind: 'digest.off' }
  /** Posts this week's digest in this channel now. */
  | { kind: 'digest.now' }
  /** Shows this channel's digest to the one who asked only. */
  | { kind: 'digest.preview' }
  /** A one-time code another workspace joins this alliance with (coordinators); shown only to whoever asked. */
  | { kind: 'alliance.link' }
  /** Links this workspace to the alliance the code is from (a platform admin of this workspace). `code`: as typed. */
  | { kind: 'alliance.join'; code: string }
  /** This workspace leaves its alliance (coordinators), which keeps its data and history. */
  | { kind: 'alliance.unlink' }
  /** Sets this workspace's home channel (coordinators): the channel named, else the one the command was typed in. */
  | { kind: 'alliance.channel'; channel?: ChannelMention }
  // roles
  /** The alliance: name, organizations, coordinators, linked workspaces, defaults. */
  | { kind: 'alliance.show' }
  | { kind: 'alliance.rename'; name: string }
  /** Leaves an organization (`slug` may be left out by a member of only one), or takes someone else out (coordinators). */
  | { kind: 'org.leave'; slug?: string; member?: MemberMention }
  | { kind: 'org.show'; slug: string }
  | { kind: 'org.rename'; slug: string; name: string }
  | { kind: 'org.remove'; slug: string }
  | { kind: 'coordinator.list' }
  | { kind: 'coordinator.add'; member: MemberMention }
  | { kind: 'coordinator.remove'; member: MemberMention }
  /** The alliance's history, or one thing's, newest first; `page` 1 is the newest 20. */
  | { kind: 'history'; about?: HistoryAbout; page: number }
  // resources
  /** `tags`: already lower case and without accents. */
  | { kind: 'resource.share'; url: string; title: string; tags: string[] }
  /** `words`: searched in title, tags and url, in Spanish and English; `tags`: every one must be on a resource. Both empty: the newest. */
  | { kind: 'resource.search'; words: string; tags: string[] }
  | { kind: 'resource.remove'; resource: { number: number } }
  /** A CSV file of the alliance's tasks, polls, resources or members (coordinators). */
  | { kind: 'export'; what: ExportKind };

export type ExportKind = 'tasks' | 'polls' | 'resources' | 'members';

/** What `history` is about: one task, one poll or one organization. */
export type HistoryAbout = { kind: 'task'; number: number } | { kind: 'poll'; number: number } | { kind: 'org'; slug: string };

export type CommandKind = Command['kind'];

/** What a command runs with: its transaction, who asked, and the time as they see it. */
export interface CommandContext {
  /** The command's transaction; the database itself for a command that runs without one (see the handler's NO_TRANSACTION). */
  tx: Db;
  /** Whether `tx` is a transaction. */
  inTransaction: boolean;
  actor: Actor;
  /** Today in the actor's zone, YYYY-MM-DD. */
  today: string;
  now: Date;
  /** When the member acted, in microseconds since the epoch (see `Requester.actedAt`). */
  actedAt: number;
  defaults: Defaults;
  /** The deployment secret, for keying anonymous ballots; unset when the operator gave none. */
  secret?: string;
  /** Keys of scheduled jobs this command queued that should run right after the commit, before the reply (see CoreDeps.kick). */
  deliverNow?: string[];
  /** Set by a command whose answer depends on what the delivery right after the commit achieved (a poll really posted?). */
  afterDelivery?: (db: Db) => Promise<Reply | undefined>;
  /**
   * Whether Minga can post in a conversation, as its platform says (Slack: a member of the channel); undefined when the
   * platform cannot tell or no adapter runs for it. A platform call: use it after the commit (in `afterDelivery`).
   */
  canPost?: (conversation: string) => Promise<boolean | undefined>;
}
