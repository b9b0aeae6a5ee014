// Runs the newer organization commands inside the command's transaction: leave, show, rename, remove.
import { and, asc, count, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { ballots, members, organizationMembers, organizations, polls, tasks, workspaces } from '../db/schema.js';
import type { Command, CommandContext } from './commands/command.js';
import { checkOrgName, checkOrgSlug } from './commands/rules.js';
import { UserError } from './errors.js';
import { t } from './i18n/index.js';
import { memberForMention, memberName, type Actor, type MemberRow } from './identity.js';
import { findOrganization, type OrganizationRow } from './organizations.js';
import { authorize } from './permissions.js';
import { hasVoted } from './polls.js';
import { recordOrganization } from './record.js';
import { renderOrganization, type OrganizationView } from './render/alliance.js';
import { textReply, type Reply } from './reply.js';
import { syncOrganizationTaskReminders } from './task-reminders.js';

type OrgCommand = Extract<Command, { kind: 'org.leave' | 'org.show' | 'org.rename' | 'org.remove' }>;

export async function executeOrg(context: CommandContext, command: OrgCommand): Promise<Reply> {
  const { tx, actor, now, today } = context;
  const { locale } = actor;
  switch (command.kind) {
    case 'org.leave': {
      const member = command.member ? await memberForMention(tx, actor, command.member) : actor.member;
      authorize(actor, 'org.leave', { memberId: member.id });
      const organization = command.slug ? await findOrganization(tx, actor, checkOrgSlug(command.slug)) : await onlyOrganization(tx, actor, member);
      const left = await tx
        .delete(organizationMembers)
        .where(and(eq(organizationMembers.organizationId, organization.id), eq(organizationMembers.memberId, member.id)))
        .returning();
      if (left.length === 0) throw new UserError('error.orgNotMember', { member: memberName(member), name: organization.name });
      // A member who left no longer hears about the organization's due dates.
      await syncOrganizationTaskReminders(tx, organization.id, now);
      const self = member.id === actor.member.id;
      await recordOrganization(tx, actor, self ? 'history.org.leftSelf' : 'history.org.left', organization, self ? {} : { member: memberName(member) });
      return textReply(locale, t(locale, 'org.left', { member: memberName(member), name: organization.name }), 'public');
    }
    case 'org.show':
      return renderOrganization(await organizationView(tx, actor, await findOrganization(tx, actor, checkOrgSlug(command.slug))), locale, actor.timeZone, today);
    case 'org.rename': {
      authorize(actor, 'org.rename');
      const organization = await findOrganization(tx, actor, checkOrgSlug(command.slug));
      const name = checkOrgName(command.name);
      await tx.update(organizations).set({ name }).where(eq(organizations.id, organization.id));
      await recordOrganization(tx, actor, 'history.org.renamed', { slug: organization.slug, name }, { from: organization.name });
      return textReply(locale, t(locale, 'org.renamed', { slug: organization.slug, from: organization.name, name }), 'public');
    }
    case 'org.remove': {
      authorize(actor, 'org.remove');
      // Locked, so a task assigned to it meanwhile waits, then finds it gone (its assignment fails as "no such organization").
      const organization = await findOrganization(tx, actor, checkOrgSlug(command.slug), 'update');
      const open = await openTasksOf(tx, organization.id);
      if (open.length > 0) {
        throw new UserError('error.orgHasOpenTasks', { name: organization.name, tasks: open.map((task) => `#${task.number}`).join(', ') });
      }
      // Its memberships and the reminders sent to it go with it (on delete cascade); done tasks keep their history, unassigned.
      await tx.delete(organizations).where(eq(organizations.id, organization.id));
      await recordOrganization(tx, actor, 'history.org.removed', organization);
      return textReply(locale, t(locale, 'org.removed', { name: organization.name, slug: organization.slug }), 'public');
    }
  }
}

/** The open tasks assigned to an organization, by number. */
function openTasksOf(tx: Db, organizationId: number) {
  return tx
    .select({ number: tasks.number, title: tasks.title, dueOn: tasks.dueOn })
    .from(tasks)
    .where(and(eq(tasks.assigneeOrganizationId, organizationId), eq(tasks.status, 'open')))
    .orderBy(asc(tasks.number));
}

/** The one organization a member belongs to, for `org leave` without a slug; none or several is the user's error. */
async function onlyOrganization(tx: Db, actor: Actor, member: MemberRow): Promise<OrganizationRow> {
  const mine = await tx
    .select({ organization: organizations })
    .from(organizationMembers)
    .innerJoin(organizations, eq(organizations.id, organizationMembers.organizationId))
    .where(and(eq(organizationMembers.memberId, member.id), eq(organizations.allianceId, actor.alliance.id)))
    .orderBy(asc(organizations.slug));
  if (mine.length === 0) throw new UserError('error.orgNoneToLeave', { member: memberName(member) });
  if (mine.length > 1) throw new UserError('error.orgWhichToLeave', { slugs: mine.map((row) => `org:${row.organization.slug}`).join(', ') });
  return mine[0]!.organization;
}

/**
 * An organization as `org show` tells it: its members (with their platform), its open tasks, and the polls it was asked
 * about. No poll targets an organization, so these are the alliance's open polls, each with how many of the
 * organization's members voted — except anonymous ones, whose turnout is never split by organization: in a small one it
 * would say who voted.
 */
async function organizationView(tx: Db, actor: Actor, organization: OrganizationRow): Promise<OrganizationView> {
  const people = await tx
    .select({ displayName: members.displayName, platformUserId: members.platformUserId, platform: workspaces.platform, id: members.id })
    .from(organizationMembers)
    .innerJoin(members, eq(members.id, organizationMembers.memberId))
    .innerJoin(workspaces, eq(workspaces.id, members.workspaceId))
    .where(and(eq(organizationMembers.organizationId, organization.id), isNull(workspaces.unlinkedAt)))
    .orderBy(asc(members.displayName), asc(members.platformUserId));
  const openTasks = await openTasksOf(tx, organization.id);
  const openPolls = await tx
    .select({ id: polls.id, number: polls.number, question: polls.question, anonymous: polls.anonymous, closesAt: polls.closesAt })
    .from(polls)
    .where(and(eq(polls.allianceId, actor.alliance.id), eq(polls.status, 'open')))
    .orderBy(asc(polls.number));
  const ids = people.map((person) => person.id);
  const named = openPolls.filter((poll) => !poll.anonymous).map((poll) => poll.id);
  const turnout = ids.length && named.length
    ? await tx
        .select({ pollId: ballots.pollId, voters: count() })
        .from(ballots)
        .where(and(inArray(ballots.pollId, named), inArray(ballots.memberId, ids), hasVoted))
        .groupBy(ballots.pollId)
    : [];
  return {
    organization,
    members: people,
    tasks: openTasks,
    polls: openPolls.map((poll) => ({
      number: poll.number,
      question: poll.question,
      closesAt: poll.closesAt,
      voters: poll.anonymous ? null : (turnout.find((row) => row.pollId === poll.id)?.voters ?? 0),
      members: ids.length,
    })),
  };
}
