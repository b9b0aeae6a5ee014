// Runs the coordinator commands inside the command's transaction: list, add, remove; the alliance always keeps one.
import { eq } from 'drizzle-orm';
import { alliances, members } from '../db/schema.js';
import { allianceCoordinators } from './alliance-commands.js';
import type { Command, CommandContext } from './commands/command.js';
import { recordChange } from './history.js';
import { UserError } from './errors.js';
import { t } from './i18n/index.js';
import { memberForMention, memberName } from './identity.js';
import { authorize } from './permissions.js';
import { renderCoordinators } from './render/alliance.js';
import { textReply, type Reply } from './reply.js';

type CoordinatorCommand = Extract<Command, { kind: `coordinator.${string}` }>;

export async function executeCoordinator(context: CommandContext, command: CoordinatorCommand): Promise<Reply> {
  const { tx, actor } = context;
  const { locale, alliance } = actor;
  switch (command.kind) {
    case 'coordinator.list':
      return renderCoordinators(await allianceCoordinators(tx, alliance.id), locale);
    case 'coordinator.add': {
      authorize(actor, 'coordinator.add');
      const member = await memberForMention(tx, actor, command.member);
      const name = memberName(member);
      if (member.role === 'coordinator') return textReply(locale, t(locale, 'coordinator.already', { member: name }));
      await tx.update(members).set({ role: 'coordinator' }).where(eq(members.id, member.id));
      await recordChange(tx, actor, { subject: `member:${member.id}`, action: 'history.coordinator.added', details: { member: name } });
      return textReply(locale, t(locale, 'coordinator.added', { member: name }), 'public');
    }
    case 'coordinator.remove': {
      authorize(actor, 'coordinator.remove');
      // One removal at a time per alliance: two coordinators removing each other at once must not leave it with none.
      await tx.select({ id: alliances.id }).from(alliances).where(eq(alliances.id, alliance.id)).for('update');
      const member = await memberForMention(tx, actor, command.member);
      const name = memberName(member);
      // Read in this transaction, after the lock: the role as it is now.
      if (member.role !== 'coordinator') throw new UserError('error.notCoordinator', { member: name });
      const coordinators = (await allianceCoordinators(tx, alliance.id)).length;
      if (coordinators <= 1) throw new UserError(member.id === actor.member.id ? 'error.lastCoordinatorSelf' : 'error.lastCoordinator', { member: name });
      await tx.update(members).set({ role: 'member' }).where(eq(members.id, member.id));
      await recordChange(tx, actor, { subject: `member:${member.id}`, action: 'history.coordinator.removed', details: { member: name } });
      return textReply(locale, t(locale, 'coordinator.removed', { member: name }), 'public');
    }
  }
}
