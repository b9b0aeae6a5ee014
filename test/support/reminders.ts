// Reminders as the remind command leaves them (a row and its queued occurrence), for delivery tests, and the members they name.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/connection.js';
import { members, organizations, reminders, workspaces } from '../../db/schema.js';
import { nextNumber } from '../../src/numbers.js';
import { scheduleNextOccurrence, type ReminderRow } from '../../src/reminders.js';
import type { Recurrence } from '../../src/time/recurrence.js';

export interface ReminderSpec {
  allianceId: number;
  /** Who set it (a member id); none for Minga's own. */
  createdBy?: number | null;
  target: { member: number } | { organization: number } | { conversation: string };
  text: string;
  nextAt: Date;
  recurrence?: Recurrence;
  timeZone?: string;
}

/** Inserts an active reminder and queues its first occurrence, in one transaction, as creating one does. */
export function insertReminder(db: Db, spec: ReminderSpec): Promise<ReminderRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(reminders)
      .values({
        allianceId: spec.allianceId,
        number: await nextNumber(tx, spec.allianceId, 'reminder'),
        createdBy: spec.createdBy ?? null,
        targetKind: 'member' in spec.target ? 'member' : 'organization' in spec.target ? 'organization' : 'channel',
        targetMemberId: 'member' in spec.target ? spec.target.member : null,
        targetOrganizationId: 'organization' in spec.target ? spec.target.organization : null,
        targetConversation: 'conversation' in spec.target ? spec.target.conversation : null,
        text: spec.text,
        nextAt: spec.nextAt,
        recurrence: spec.recurrence ?? null,
        timeZone: spec.timeZone ?? 'UTC',
      })
      .returning();
    await scheduleNextOccurrence(tx, row!);
    return row!;
  });
}

/** A member known to Minga, by platform, workspace and user id. */
export async function memberRow(db: Db, platform: string, workspaceId: string, userId: string) {
  const [row] = await db
    .select({ member: members })
    .from(members)
    .innerJoin(workspaces, eq(workspaces.id, members.workspaceId))
    .where(and(eq(workspaces.platform, platform), eq(workspaces.externalId, workspaceId), eq(members.platformUserId, userId)));
  if (!row) throw new Error(`no member ${userId} in ${platform}:${workspaceId}`);
  return row.member;
}

/** An organization of an alliance by its slug. */
export async function organizationRow(db: Db, allianceId: number, slug: string) {
  const [row] = await db.select().from(organizations).where(and(eq(organizations.allianceId, allianceId), eq(organizations.slug, slug)));
  if (!row) throw new Error(`no organization ${slug}`);
  return row;
}
