// The alliance's history: every change of shared state, recorded by the command that made it, in its transaction.
import type { Db } from '../db/connection.js';
import { historyEvents } from '../db/schema.js';
import type { Actor } from './identity.js';
import type { MessageKey } from './i18n/index.js';

/** What changed: `task:12`, `poll:3`, `org:acme`, `resource:4`, `reminder:7`, `digest:<conversation>`, `member:<id>` or `alliance`. */
export type HistorySubject = `${'task' | 'poll' | 'org' | 'resource' | 'reminder' | 'digest' | 'member'}:${string}` | 'alliance';

export interface Change {
  subject: HistorySubject;
  /** A message key that says what happened, in the reader's language, with `details` as its parameters. */
  action: MessageKey;
  /** Plain values only (names, numbers, titles): shown as they were then. */
  details?: Record<string, string | number>;
  /**
   * Keep the actor's name, workspace and platform but no reference to their member row: the reference's foreign-key check
   * locks that row, stamping it with this transaction's id, which ballots written in the same transaction also carry (the
   * close of an anonymous poll rewrites them all). See the note in identity.ts's upsertMember.
   */
  unlinked?: boolean;
}

/** Records a change made by `actor`, with who, from which workspace and platform; call inside the command's transaction. */
export async function recordChange(tx: Db, actor: Actor, change: Change): Promise<void> {
  await tx.insert(historyEvents).values({
    allianceId: actor.alliance.id,
    memberId: change.unlinked ? null : actor.member.id,
    actorName: actor.member.displayName ?? actor.member.platformUserId,
    workspaceId: actor.workspace.id,
    platform: actor.workspace.platform,
    subject: change.subject,
    action: change.action,
    details: change.details ?? {},
  });
}
