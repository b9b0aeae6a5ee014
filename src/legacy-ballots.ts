// Once, at start-up after the migrations: moves anonymous ballots keyed the old way (under a secret kept in the database) to MINGA_SECRET and per-poll salts, then deletes that secret.
import { createHmac } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { ballots, instanceSecrets, members, polls } from '../db/schema.js';
import { newBallotSalt, unlinkedKey, voterIdentities } from './ballot-keys.js';
import type { Logger } from './log.js';
import { unlinkBallots, writeBallots, type PollRow } from './polls.js';

/** The row of instance_secrets that keyed anonymous ballots before MINGA_SECRET. */
export const LEGACY_BALLOT_SECRET = 'ballot-key';

/** Any fixed number, the same for every instance (like the migrations' lock in db/connection.ts). */
const UPGRADE_LOCK = 730_712_025;

/** How an anonymous ballot was keyed before: an HMAC of poll and member under the secret stored in the database. */
export function legacyBallotKey(storedSecret: string, pollId: number, memberId: number): string {
  return `a:${createHmac('sha256', storedSecret).update(`${pollId}:${memberId}`).digest('hex')}`;
}

/**
 * Anonymous polls still open from before get a salt, and their ballots the keys MINGA_SECRET gives, found by recomputing the
 * old key of every member of the alliance; closed ones (whose keys migration 0003 already randomized) are rewritten as a
 * close does now. Then the stored secret is deleted, and with it any way to recompute an old key. One transaction, behind
 * an advisory lock, gated on that secret's row: instances starting together do it once, and a restart finds nothing to do.
 * Without MINGA_SECRET, open polls cannot be re-keyed: nothing changes until it is set.
 */
export async function upgradeLegacyBallots(db: Db, secret: string | undefined, log: Logger): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${UPGRADE_LOCK})`);
    const [stored] = await tx.select().from(instanceSecrets).where(eq(instanceSecrets.name, LEGACY_BALLOT_SECRET));
    if (!stored) return;
    // Locked so a ballot cast meanwhile by an instance already running waits for the new keys.
    const open = await tx
      .select()
      .from(polls)
      .where(and(eq(polls.anonymous, true), eq(polls.status, 'open'), isNull(polls.ballotSalt)))
      .for('update');
    if (open.length > 0 && !secret) {
      log.warn({ polls: open.length }, 'anonymous polls opened before MINGA_SECRET keep their old keys and take no votes until MINGA_SECRET is set');
      return;
    }
    for (const poll of open) await rekey(tx, poll, stored.value, secret!);
    const closed = await tx.select({ id: polls.id }).from(polls).where(and(eq(polls.anonymous, true), eq(polls.status, 'closed')));
    for (const poll of closed) await unlinkBallots(tx, poll.id);
    await tx.delete(instanceSecrets).where(eq(instanceSecrets.name, LEGACY_BALLOT_SECRET));
    log.info({ rekeyed: open.length, unlinked: closed.length }, 'anonymous ballots no longer depend on a secret in the database');
  });
}

/**
 * One open poll: each ballot whose old key is some member's gets that member's new key, and as `acted` only the member's
 * secret offset (a time of zero), so it dates nothing yet any later click of theirs still wins. A ballot that matches no
 * member (they left the alliance) keeps counting under a key that matches nobody.
 */
async function rekey(tx: Db, poll: PollRow, storedSecret: string, secret: string): Promise<void> {
  const salted = { ...poll, ballotSalt: newBallotSalt() };
  const identify = voterIdentities(salted, secret);
  const everyone = await tx.select({ id: members.id }).from(members).where(eq(members.allianceId, poll.allianceId));
  const byOldKey = new Map(everyone.map(({ id }) => [legacyBallotKey(storedSecret, poll.id, id), identify(id)]));
  const old = await tx.delete(ballots).where(eq(ballots.pollId, poll.id)).returning({ voterKey: ballots.voterKey, choices: ballots.choices });
  await writeBallots(
    tx,
    old.map((ballot) => {
      const voter = byOldKey.get(ballot.voterKey);
      return {
        allianceId: poll.allianceId,
        pollId: poll.id,
        voterKey: voter?.key ?? unlinkedKey(),
        memberId: null,
        choices: ballot.choices,
        acted: voter?.orderOffset ?? 0,
      };
    }),
  );
  await tx.update(polls).set({ ballotSalt: salted.ballotSalt }).where(eq(polls.id, poll.id));
}
