// Runs `alliance` (show) and `alliance rename` inside the command's transaction; linking workspaces lives elsewhere.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { alliances, members, workspaces } from '../db/schema.js';
import type { Command, CommandContext } from './commands/command.js';
import { checkAllianceName } from './commands/parse-roles.js';
import { allianceLocale, t } from './i18n/index.js';
import { listOrganizations } from './organizations.js';
import { authorize } from './permissions.js';
import { recordAlliance } from './record.js';
import { renderAlliance, type PersonView } from './render/alliance.js';
import { textReply, type Reply } from './reply.js';
import { linkedWorkspaces } from './everywhere.js';
import { linkedMembersOf } from './identity.js';

type AllianceCommand = Extract<Command, { kind: 'alliance.show' | 'alliance.rename' }>;

export async function executeAlliance(context: CommandContext, command: AllianceCommand): Promise<Reply> {
  const { tx, actor, defaults } = context;
  const { locale, alliance } = actor;
  switch (command.kind) {
    case 'alliance.show': {
      const linked = await linkedWorkspaces(tx, alliance.id);
      return renderAlliance(
        {
          name: alliance.name,
          organizations: await listOrganizations(tx, actor),
          coordinators: await allianceCoordinators(tx, alliance.id),
          workspaces: linked,
          locale: allianceLocale(alliance, defaults.locale),
          timeZone: alliance.timeZone,
        },
        locale,
      );
    }
    case 'alliance.rename': {
      authorize(actor, 'alliance.rename');
      const name = checkAllianceName(command.name);
      await tx.update(alliances).set({ name }).where(eq(alliances.id, alliance.id));
      await recordAlliance(tx, actor, 'history.alliance.renamed', { from: alliance.name, name });
      return textReply(locale, t(locale, 'alliance.renamed', { name }), 'public');
    }
  }
}

/** The alliance's coordinators on every workspace still linked to it, with their platform. */
export function allianceCoordinators(tx: Db, allianceId: number): Promise<PersonView[]> {
  return tx
    .select({ displayName: members.displayName, platformUserId: members.platformUserId, platform: workspaces.platform })
    .from(members)
    .innerJoin(workspaces, eq(workspaces.id, members.workspaceId))
    .where(and(linkedMembersOf(allianceId), eq(members.role, 'coordinator')))
    .orderBy(asc(members.displayName), asc(members.platformUserId));
}
