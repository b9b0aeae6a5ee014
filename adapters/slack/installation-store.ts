// Bolt's installation store on our Postgres schema: each workspace's bot token from the OAuth install flow, sealed with a key from MINGA_SECRET, so one deployment serves many alliances.
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { and, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { slackInstallations } from '../../db/schema.js';
import { ConfigError } from '../../src/config.js';
import { open, seal, SealBrokenError } from '../../src/sealing.js';

/** An org-wide install serves every workspace of the enterprise; any other is one workspace's. */
function keyOf(query: { isEnterpriseInstall?: boolean; enterpriseId?: string | undefined; teamId?: string | undefined }): string {
  if (query.isEnterpriseInstall) {
    if (!query.enterpriseId) throw new Error('An org-wide Slack installation without an enterprise id');
    return `enterprise:${query.enterpriseId}`;
  }
  if (!query.teamId) throw new Error('A Slack installation without a team id');
  return `team:${query.teamId}`;
}

export const WRONG_SECRET_MESSAGE =
  'Invalid configuration. MINGA_SECRET does not match the one the Slack installations were encrypted with: set it back to that value ' +
  '(with the embedded database and MINGA_SECRET unset, it is read from the file minga-secret in MINGA_DATA_DIR). ' +
  'If it is lost, delete the rows of the table slack_installations and install Minga again in each workspace.';

type Row = typeof slackInstallations.$inferSelect;

export class PostgresInstallationStore implements InstallationStore {
  /** `key`: 32 bytes, deriveKey(secret, 'slack-installations'). */
  constructor(
    private readonly db: Db,
    private readonly key: Buffer,
  ) {}

  /** A reinstall (new scopes, a new token) replaces the previous record of the same workspace. */
  async storeInstallation(installation: Installation): Promise<void> {
    const key = keyOf({ isEnterpriseInstall: installation.isEnterpriseInstall, enterpriseId: installation.enterprise?.id, teamId: installation.team?.id });
    // The row key is the associated data: a sealed record copied into another workspace's row does not open there.
    const sealed = seal(this.key, JSON.stringify(installation), key);
    const ids = { teamId: installation.team?.id ?? null, enterpriseId: installation.enterprise?.id ?? null };
    await this.db
      .insert(slackInstallations)
      .values({ key, ...ids, installation: null, sealed })
      .onConflictDoUpdate({ target: slackInstallations.key, set: { ...ids, installation: null, sealed, updatedAt: sql`now()` } });
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const [row] = await this.db.select().from(slackInstallations).where(eq(slackInstallations.key, keyOf(query)));
    // A workspace of an enterprise that installed Minga org-wide has no row of its own.
    const found = row ?? (query.enterpriseId ? await this.enterpriseRow(query.enterpriseId) : undefined);
    if (!found) throw new Error(`Minga is not installed in Slack workspace ${query.teamId ?? query.enterpriseId}`);
    return this.unseal(found);
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    await this.db.delete(slackInstallations).where(eq(slackInstallations.key, keyOf(query)));
  }

  /**
   * At start-up, before anything is served: checks the key against a stored record (a wrong MINGA_SECRET is a ConfigError
   * naming it, not a failure per request), then seals the records stored in clear before tokens were encrypted.
   * Idempotent, and safe with several instances starting together: the clear rows are locked, so each is sealed once and
   * an instance that waited finds them sealed. Returns how many it sealed.
   */
  async sealStored(): Promise<number> {
    return this.db.transaction(async (tx) => {
      const clear = await tx
        .select()
        .from(slackInstallations)
        .where(and(isNull(slackInstallations.sealed), isNotNull(slackInstallations.installation)))
        .for('update');
      // Checked after the lock: an instance that waited sees what the first one sealed, with the first one's key.
      const [sample] = await tx.select().from(slackInstallations).where(isNotNull(slackInstallations.sealed)).orderBy(desc(slackInstallations.updatedAt)).limit(1);
      if (sample) {
        try {
          this.unseal(sample);
        } catch (err) {
          if (err instanceof SealBrokenError) throw new ConfigError(WRONG_SECRET_MESSAGE);
          throw err;
        }
      }
      for (const row of clear) {
        const sealed = seal(this.key, JSON.stringify(row.installation), row.key);
        await tx
          .update(slackInstallations)
          .set({ installation: null, sealed })
          .where(and(eq(slackInstallations.key, row.key), isNull(slackInstallations.sealed)));
      }
      return clear.length;
    });
  }

  private unseal(row: Row): Installation {
    if (row.sealed !== null) return JSON.parse(open(this.key, row.sealed, row.key)) as Installation;
    // Still in clear: written by an instance of an older version during a rolling upgrade; the next start-up seals it.
    return row.installation as Installation;
  }

  private async enterpriseRow(enterpriseId: string) {
    const [row] = await this.db.select().from(slackInstallations).where(eq(slackInstallations.key, `enterprise:${enterpriseId}`));
    return row;
  }
}

/** How many records are still in clear: a deployment without MINGA_SECRET cannot seal them, and says so. */
export async function countClearInstallations(db: Db): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(slackInstallations)
    .where(and(isNull(slackInstallations.sealed), isNotNull(slackInstallations.installation)));
  return row?.count ?? 0;
}
