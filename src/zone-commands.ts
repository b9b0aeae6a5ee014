// Runs the time zone commands: show the member's and the alliance's zone, choose one's own (or go back to the platform's), set the alliance's.
import { eq } from 'drizzle-orm';
import { alliances, members } from '../db/schema.js';
import type { Command, CommandContext } from './commands/command.js';
import { isTimeZone } from './config.js';
import { followAllianceZone } from './digests.js';
import { UserError } from './errors.js';
import { t, type MessageKey } from './i18n/index.js';
import { memberTimeZone, type MemberRow } from './identity.js';
import { syncAllianceTaskReminders, syncMemberTaskReminders } from './task-reminders.js';
import { authorize } from './permissions.js';
import { recordAlliance } from './record.js';
import { textReply, type Reply } from './reply.js';
import { formatMoment } from './time/zones.js';

type ZoneCommand = Extract<Command, { kind: `timezone.${string}` }>;

export async function executeTimeZone(context: CommandContext, command: ZoneCommand): Promise<Reply> {
  const { tx, actor, now } = context;
  const { locale, alliance, member } = actor;
  switch (command.kind) {
    case 'timezone.show':
      return textReply(
        locale,
        t(locale, 'zone.current', { zone: actor.timeZone, source: t(locale, zoneSource(member)), allianceZone: alliance.timeZone }),
      );
    case 'timezone.set': {
      if (command.scope === 'alliance') {
        authorize(actor, 'alliance.timezone');
        const zone = checkTimeZone(command.zone ?? '');
        await tx.update(alliances).set({ timeZone: zone }).where(eq(alliances.id, alliance.id));
        await recordAlliance(tx, actor, 'history.alliance.timezone', { zone });
        // Task reminders come at 09:00 in each member's zone, the alliance's for those with none of their own.
        await syncAllianceTaskReminders(tx, alliance.id, now);
        // Digests come at their time on the alliance's clock: they move with it.
        await followAllianceZone(tx, alliance.id, zone, now);
        return textReply(locale, t(locale, 'zone.setAlliance', { zone, now: formatMoment(now, locale, zone) }), 'public');
      }
      if (command.zone === null) {
        await tx.update(members).set({ chosenTimeZone: null }).where(eq(members.id, member.id));
        await syncMemberTaskReminders(tx, member.id, now);
        const zone = memberTimeZone({ ...member, chosenTimeZone: null }, alliance);
        const source = zoneSource({ ...member, chosenTimeZone: null });
        return textReply(locale, t(locale, 'zone.setAuto', { zone, source: t(locale, source), now: formatMoment(now, locale, zone) }));
      }
      const zone = checkTimeZone(command.zone);
      await tx.update(members).set({ chosenTimeZone: zone }).where(eq(members.id, member.id));
      await syncMemberTaskReminders(tx, member.id, now);
      return textReply(locale, t(locale, 'zone.setMember', { zone, now: formatMoment(now, locale, zone) }));
    }
  }
}

/** Where a member's zone comes from, as `memberTimeZone` decides. */
function zoneSource(member: Pick<MemberRow, 'chosenTimeZone' | 'timeZone'>): MessageKey {
  if (member.chosenTimeZone) return 'zone.source.chosen';
  return member.timeZone ? 'zone.source.platform' : 'zone.source.alliance';
}

/**
 * An IANA zone as typed (`America/Lima`, `america/lima`, `UTC`), spelled as the zone database does; anything else is the
 * user's error. Names only: the reply shows the zone and its time now, so an alias understood as another name is visible.
 */
export function checkTimeZone(input: string): string {
  const name = input.trim();
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{1,63}$/.test(name) || !isTimeZone(name)) throw new UserError('error.timeZoneInvalid', { input: name });
  return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
}
