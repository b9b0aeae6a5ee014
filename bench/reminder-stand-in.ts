// A stand-in 'reminder.send' handler for the reminders benchmark, with the real one's deps and the same work per job: load the reminder, check and write `deliveries`, call the platform, finish the reminder.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { deliveries, members, reminders, workspaces } from '../db/schema.js';
import type { Delivery } from '../src/delivery.js';
import type { Defaults, Platform } from '../src/identity.js';
import type { Logger } from '../src/log.js';
import { deliveryKey } from '../src/reminders.js';
import { textReply } from '../src/reply.js';
import type { JobHandlers } from '../src/scheduler/scheduler.js';

/** What src/reminder-jobs.ts `reminderJobHandlers` takes, so swapping it in is one line in bench/reminders-worker.ts. */
interface Deps {
  db: Db;
  delivery: Delivery;
  defaults: Defaults;
  log: Logger;
  now: () => Date;
}

/** One-off reminders to one member only: what the benchmark creates. */
export function standInReminderJobHandlers(deps: Deps): JobHandlers {
  const { db } = deps;
  return {
    'reminder.send': async (job) => {
      const due = new Date(job.payload.due);
      const [row] = await db
        .select({ reminder: reminders, member: members, workspace: workspaces })
        .from(reminders)
        .innerJoin(members, eq(members.id, reminders.targetMemberId))
        .innerJoin(workspaces, eq(workspaces.id, members.workspaceId))
        .where(eq(reminders.id, job.payload.reminderId));
      if (!row || row.reminder.status !== 'active' || row.reminder.nextAt?.getTime() !== due.getTime()) return;
      const { reminder, member, workspace } = row;
      const key = deliveryKey(reminder.id, due, `${workspace.platform}:${workspace.externalId}:${member.platformUserId}`);
      // Read before any send: a job taken over after the platform accepted it does not send again.
      const [sent] = await db.select({ key: deliveries.key }).from(deliveries).where(eq(deliveries.key, key));
      if (!sent) {
        const reply = textReply(deps.defaults.locale, reminder.text);
        const ref = await deps.delivery.sendDirect(workspace.platform as Platform, workspace.externalId, member.platformUserId, reply);
        await db.insert(deliveries).values({ key, allianceId: reminder.allianceId, messageRef: ref }).onConflictDoNothing();
      }
      await db
        .update(reminders)
        .set({ status: 'done', nextAt: null })
        .where(and(eq(reminders.id, reminder.id), eq(reminders.status, 'active')));
    },
  };
}
