// How a ballot is keyed: the member in clear on open polls; on anonymous ones an HMAC under MINGA_SECRET and the poll's own salt, which is destroyed at close.
import { createHmac, randomBytes } from 'node:crypto';
import type { polls } from '../db/schema.js';
import { UserError } from './errors.js';
import { deriveKey } from './secrets.js';

type PollKeying = Pick<typeof polls.$inferSelect, 'id' | 'number' | 'anonymous' | 'ballotSalt' | 'status'>;

export interface VoterIdentity {
  /** The ballot's key: one ballot per key per poll. */
  key: string;
  /** The member's id on open polls; never stored on anonymous ones. */
  memberId: number | null;
  /**
   * Added to the time the member acted before it is stored: 0 on open polls; on anonymous ones a secret per-voter shift of
   * up to about nine years, so one voter's changes still order correctly while the stored value dates nothing.
   */
  orderOffset: number;
}

/** 2^48 microseconds, about 8.9 years: the range of the anonymous shift, within a bigint and a JS number's exact range. */
const SHIFT_BYTES = 6;

/**
 * Keys ballots of one poll. Anonymous polls need the deployment secret (refused, naming MINGA_SECRET, without it) and the
 * poll's salt (gone once closed: then nobody, the operator included, can recompute a key).
 */
export function voterIdentities(poll: PollKeying, secret: string | undefined): (memberId: number) => VoterIdentity {
  if (!poll.anonymous) return (memberId) => ({ key: `m:${memberId}`, memberId, orderOffset: 0 });
  if (!secret) throw new UserError('error.anonymousNeedsSecret');
  if (!poll.ballotSalt) throw new UserError('error.pollClosed', { number: poll.number });
  const key = deriveKey(secret, 'ballots');
  const mac = (purpose: string, memberId: number) =>
    createHmac('sha256', key).update(`${purpose}:${poll.ballotSalt}:${poll.id}:${memberId}`).digest();
  return (memberId) => ({
    key: `a:${mac('key', memberId).toString('hex')}`,
    memberId: null,
    orderOffset: mac('order', memberId).readUIntBE(0, SHIFT_BYTES),
  });
}

/** A new anonymous poll's salt: 32 random bytes, kept on the poll only while it is open. */
export function newBallotSalt(): string {
  return randomBytes(32).toString('base64');
}

/** A key that matches no member, for an anonymous ballot that must keep counting once cut from whoever cast it. */
export function unlinkedKey(): string {
  return `a:${randomBytes(32).toString('hex')}`;
}

/** Microseconds since the epoch of an instant, as ballots store when a member acted. */
export function micros(at: Date): number {
  return at.getTime() * 1000;
}
