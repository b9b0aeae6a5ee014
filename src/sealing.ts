// Sealing secrets at rest: AES-256-GCM with a fresh IV per record, bound to where the record is stored (its row key, as associated data).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** The format's version, first in every sealed text, so a later format can still open older records. */
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A sealed text that does not open: a different key, another row's record, or altered bytes. GCM cannot tell these apart. */
export class SealBrokenError extends Error {
  constructor(message = 'The sealed record does not open: a different key, another record\'s place, or altered bytes') {
    super(message);
    this.name = 'SealBrokenError';
  }
}

/**
 * Encrypts `plaintext` under a 32-byte key into `v1:<iv>:<tag>:<ciphertext>` (base64). `aad` names where the record is kept
 * (e.g. its row key): it is authenticated but not stored, so a record copied into another row does not open there.
 */
export function seal(key: Buffer, plaintext: string, aad: string): string {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join(':');
}

/** The plaintext of a text made by `seal` with the same key and `aad`; anything else throws SealBrokenError. */
export function open(key: Buffer, sealed: string, aad: string): string {
  checkKey(key);
  const parts = sealed.split(':');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SealBrokenError(`Not a sealed record of version ${VERSION}`);
  const [iv, tag, ciphertext] = parts.slice(1).map((part) => Buffer.from(part, 'base64')) as [Buffer, Buffer, Buffer];
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SealBrokenError('A sealed record with a malformed IV or tag');
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new SealBrokenError();
  }
}

function checkKey(key: Buffer): void {
  // A programming mistake, not bad data: say so plainly rather than let node:crypto's "Invalid key length" through.
  if (key.length !== 32) throw new Error(`A sealing key must be 32 bytes, not ${key.length}`);
}
