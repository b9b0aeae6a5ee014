// The deployment secret (MINGA_SECRET, or a file beside the embedded database) and the keys derived from it for each purpose.
import { hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './config.js';

/** What a key is for: each purpose gets its own key, so one leaked derived key reveals nothing of the others. */
export type KeyPurpose = 'ballots' | 'slack-installations';

/** The name of the file that holds the generated secret inside the embedded database's data directory. */
export const SECRET_FILE = 'minga-secret';

/**
 * The secret this deployment runs with: MINGA_SECRET when set; with the embedded database and no MINGA_SECRET, one
 * generated once into a file in the data directory (outside the database files, so a copy of the database alone does not
 * carry it); with DATABASE_URL and no MINGA_SECRET, none: what needs it is refused, naming the variable.
 */
export function loadSecret(options: { secret?: string; databaseUrl?: string; dataDir: string }): string | undefined {
  if (options.secret) return options.secret;
  if (options.databaseUrl) return undefined;
  // An in-memory database lives only as long as the process, and so may its secret.
  if (options.dataDir.startsWith('memory://')) return randomBytes(32).toString('hex');
  const path = join(options.dataDir, SECRET_FILE);
  if (existsSync(path)) {
    const secret = readFileSync(path, 'utf8').trim();
    // Never replaced silently: open anonymous polls and stored Slack tokens depend on it.
    if (secret.length < 32) throw new ConfigError(`${path} does not hold a secret of 32 characters or more. Restore it from a backup, or set MINGA_SECRET.`);
    return secret;
  }
  mkdirSync(options.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  // Written aside and renamed, so a crash never leaves an empty file behind; the data directory is locked to this process.
  const draft = `${path}.new`;
  writeFileSync(draft, `${secret}\n`, { mode: 0o600 });
  chmodSync(draft, 0o600);
  renameSync(draft, path);
  return secret;
}

/** A 32-byte key for one purpose, derived from the deployment secret with HKDF-SHA256. */
export function deriveKey(secret: string, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'minga', `minga:${purpose}`, 32));
}
