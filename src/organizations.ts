// The alliance's member organizations: add, list, join; tasks can be assigned to them.
import { and, asc, count, eq } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { organizationMembers, organizations } from '../db/schema.js';
import type { MemberMention } from './commands/command.js';
import { UserError } from './errors.js';
import { displayMember, memberForMention, type Actor } from './identity.js';
import { authorize } from './permissions.js';

export type OrganizationRow = typeof organizations.$inferSelect;


export async function addOrganization(tx: Db, actor: Actor, slug: string, name: string): Promise<OrganizationRow> {
  authorize(actor, 'org.add');
  const [row] = await tx
    .insert(organizations)
    .values({ allianceId: actor.alliance.id, slug, name })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new UserError('error.orgExists', { slug });
  return row;
}

/** An organization of the actor's alliance by its slug; `update` locks it for a change that must see no new assignment. */
export async function findOrganization(tx: Db, actor: Actor, slug: string, lock?: 'update'): Promise<OrganizationRow> {
  const query = tx
    .select()
    .from(organizations)
    .where(and(eq(organizations.allianceId, actor.alliance.id), eq(organizations.slug, slug)));
  const [row] = lock ? await query.for(lock) : await query;
  if (!row) throw new UserError('error.orgNotFound', { slug });
  return row;
}

export async function listOrganizations(tx: Db, actor: Actor) {
  return tx
    .select({ slug: organizations.slug, name: organizations.name, people: count(organizationMembers.memberId) })
    .from(organizations)
    .leftJoin(organizationMembers, eq(organizationMembers.organizationId, organizations.id))
    .where(eq(organizations.allianceId, actor.alliance.id))
    .groupBy(organizations.id)
    .orderBy(asc(organizations.name));
}

/** Adds the actor, or (for coordinators) someone else, to an organization. Joining twice is harmless. */
export async function joinOrganization(tx: Db, actor: Actor, slug: string, who?: MemberMention) {
  const organization = await findOrganization(tx, actor, slug);
  const member = who ? await memberForMention(tx, actor, who) : actor.member;
  authorize(actor, 'org.join', { memberId: member.id });
  await tx
    .insert(organizationMembers)
    .values({ allianceId: actor.alliance.id, organizationId: organization.id, memberId: member.id })
    .onConflictDoNothing();
  // With their platform when the alliance spans several ("@Ana (Discord)"), as everywhere a person is named.
  return { organization, memberName: await displayMember(tx, member), memberId: member.id };
}
