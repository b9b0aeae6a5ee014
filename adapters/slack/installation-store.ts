// Bolt's installation store on our Postgres schema: each workspace's bot token from the OAuth install flow, so one deployment serves many alliances.
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { slackInstallations } from '../../db/schema.js';

/** An org-wide install serves every workspace of the enterprise; any other is one workspace's. */
function keyOf(query: { isEnterpriseInstall?: boolean; enterpriseId?: string | undefined; teamId?: string | undefined }): string {
  if (query.isEnterpriseInstall) {
    if (!query.enterpriseId) throw new Error('An org-wide Slack installation without an enterprise id');
    return `enterprise:${query.enterpriseId}`;
  }
  if (!query.teamId) throw new Error('A Slack installation without a team id');
  return `team:${query.teamId}`;
}

export class PostgresInstallationStore implements InstallationStore {
  constructor(private readonly db: Db) {}

  /** A reinstall (new scopes, a new token) replaces the previous record of the same workspace. */
  async storeInstallation(installation: Installation): Promise<void> {
    const key = keyOf({ isEnterpriseInstall: installation.isEnterpriseInstall, enterpriseId: installation.enterprise?.id, teamId: installation.team?.id });
    await this.db
      .insert(slackInstallations)
      .values({ key, teamId: installation.team?.id ?? null, enterpriseId: installation.enterprise?.id ?? null, installation })
      .onConflictDoUpdate({
        target: slackInstallations.key,
        set: { installation, teamId: installation.team?.id ?? null, enterpriseId: installation.enterprise?.id ?? null, updatedAt: sql`now()` },
      });
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const [row] = await this.db.select().from(slackInstallations).where(eq(slackInstallations.key, keyOf(query)));
    // A workspace of an enterprise that installed Minga org-wide has no row of its own.
    const found = row ?? (query.enterpriseId ? await this.enterpriseRow(query.enterpriseId) : undefined);
    if (!found) throw new Error(`Minga is not installed in Slack workspace ${query.teamId ?? query.enterpriseId}`);
    return found.installation as Installation;
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    await this.db.delete(slackInstallations).where(eq(slackInstallations.key, keyOf(query)));
  }

  private async enterpriseRow(enterpriseId: string) {
    const [row] = await this.db.select().from(slackInstallations).where(eq(slackInstallations.key, `enterprise:${enterpriseId}`));
    return row;
  }
}
