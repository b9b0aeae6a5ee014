// Links workspaces into one alliance and sets their home channels straight in the database, for tests of what linked workspaces do (until `alliance join` and `alliance channel` drive them).
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { members, workspaces } from '../../db/schema.js';
import type { Platform } from '../../src/identity.js';

/** A workspace as its platform names it: Slack team id, Discord guild id, console name. */
export interface WorkspaceKey {
  platform: Platform;
  externalId: string;
}

async function workspaceOf(db: Db, key: WorkspaceKey) {
  const [row] = await db
    .select()
    .from(workspaces)
    .where(and(eq(workspaces.platform, key.platform), eq(workspaces.externalId, key.externalId), isNull(workspaces.unlinkedAt)));
  if (!row) throw new Error(`no workspace ${key.platform}:${key.externalId}: run a command there first`);
  return row;
}

/**
 * Moves `joining` (a workspace with members only, as `alliance join` requires: no tasks or polls of its own) and its members
 * into the alliance of `into`. Both must exist: a first command in each creates them.
 */
export async function linkWorkspaces(db: Db, into: WorkspaceKey, joining: WorkspaceKey): Promise<number> {
  const target = await workspaceOf(db, into);
  const joiner = await workspaceOf(db, joining);
  await db.transaction(async (tx) => {
    await tx.update(workspaces).set({ allianceId: target.allianceId }).where(eq(workspaces.id, joiner.id));
    await tx.update(members).set({ allianceId: target.allianceId }).where(eq(members.workspaceId, joiner.id));
  });
  return target.allianceId;
}

/** Sets (or, with null, clears) a workspace's home channel, an opaque conversation id such as `slack:T1:C2`. */
export async function setHomeChannel(db: Db, key: WorkspaceKey, conversation: string | null): Promise<void> {
  const workspace = await workspaceOf(db, key);
  await db.update(workspaces).set({ homeConversation: conversation }).where(eq(workspaces.id, workspace.id));
}
