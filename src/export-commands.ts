// `export tasks|polls|resources|members` (coordinators): the alliance's data as a CSV file, handed to the adapter to deliver.
import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { members, organizationMembers, organizations, polls, tasks, workspaces } from '../db/schema.js';
import type { Command, CommandContext, ExportKind } from './commands/command.js';
import { t, type Locale, type MessageKey } from './i18n/index.js';
import { memberName } from './identity.js';
import { authorize } from './permissions.js';
import { pollView } from './polls.js';
import { exportFileName, membersCsv, pollsCsv, resourcesCsv, tasksCsv, type MemberExport, type PollExport, type TaskExport } from './render/csv.js';
import { optionLabel } from './render/polls.js';
import type { Reply } from './reply.js';
import { allResources } from './resources.js';
import { selectViews } from './tasks.js';

type ExportCommand = Extract<Command, { kind: 'export' }>;

const names: Record<ExportKind, MessageKey> = {
  tasks: 'export.what.tasks',
  polls: 'export.what.polls',
  resources: 'export.what.resources',
  members: 'export.what.members',
};

export async function executeExport(context: CommandContext, command: ExportCommand): Promise<Reply> {
  const { tx, actor, today } = context;
  const { locale } = actor;
  authorize(actor, 'export');
  const allianceId = actor.alliance.id;
  const { content, count } = await gather(tx, allianceId, command.what, locale);
  const what = t(locale, names[command.what]);
  return {
    visibility: 'ephemeral',
    locale,
    heading: t(locale, 'export.heading', { what }),
    lines: [{ text: t(locale, count === 1 ? 'export.rows.one' : 'export.rows.other', { count }) }],
    file: { name: exportFileName(actor.alliance.name, what, today), mimeType: 'text/csv', content },
  };
}

async function gather(tx: Db, allianceId: number, what: ExportKind, locale: Locale): Promise<{ content: string; count: number }> {
  switch (what) {
    case 'tasks': {
      const rows = await taskRows(tx, allianceId);
      return { content: tasksCsv(rows, locale), count: rows.length };
    }
    case 'polls': {
      const rows = await pollRows(tx, allianceId, locale);
      return { content: pollsCsv(rows, locale), count: rows.length };
    }
    case 'resources': {
      const rows = await allResources(tx, allianceId);
      return { content: resourcesCsv(rows, locale), count: rows.length };
    }
    case 'members': {
      const rows = await memberRows(tx, allianceId);
      return { content: membersCsv(rows, locale), count: rows.length };
    }
  }
}

async function taskRows(tx: Db, allianceId: number): Promise<TaskExport[]> {
  const rows = await selectViews(tx, { createdAt: tasks.createdAt, completedAt: tasks.completedAt })
    .where(eq(tasks.allianceId, allianceId))
    .orderBy(asc(tasks.number));
  return rows.map(({ task, memberName: name, memberUserId, organizationName, createdAt, completedAt }) => ({
    number: task.number,
    title: task.title,
    status: task.status === 'done' ? 'done' : 'open',
    assignee: memberUserId !== null ? memberName({ displayName: name, platformUserId: memberUserId }) : organizationName,
    dueOn: task.dueOn,
    createdAt,
    completedAt,
  }));
}

/**
 * Every poll with its options' votes, counted as `poll results` counts them (pollView): null while a poll hides its results,
 * so a hidden count is never even read. One view per poll: an export is rare and an alliance holds few hundred polls at most.
 */
async function pollRows(tx: Db, allianceId: number, locale: Locale): Promise<PollExport[]> {
  const rows = await tx.select().from(polls).where(eq(polls.allianceId, allianceId)).orderBy(asc(polls.number));
  const views = [];
  for (const poll of rows) views.push(await pollView(tx, poll));
  return views.map((view) => ({
    number: view.poll.number,
    kind: view.poll.kind === 'proposal' ? 'proposal' : 'choice',
    question: view.poll.question,
    status: view.poll.status === 'closed' ? 'closed' : 'open',
    anonymous: view.poll.anonymous,
    closesAt: view.poll.closesAt,
    closedAt: view.poll.closedAt,
    voters: view.voters,
    options: view.options.map((option, index) => ({
      position: option.position,
      label: optionLabel(option, locale),
      votes: view.counts ? (view.counts[index] ?? 0) : null,
    })),
  }));
}

async function memberRows(tx: Db, allianceId: number): Promise<MemberExport[]> {
  const rows = await tx
    .select({
      member: members,
      platform: workspaces.platform,
      workspace: sql<string>`coalesce(${workspaces.name}, ${workspaces.externalId})`,
      organizations: sql<unknown>`(
        select coalesce(json_agg(o.name order by o.name), '[]'::json) from ${organizationMembers} om
        join ${organizations} o on o.id = om.organization_id
        where om.member_id = ${members.id})`,
    })
    .from(members)
    .innerJoin(workspaces, eq(workspaces.id, members.workspaceId))
    .where(eq(members.allianceId, allianceId))
    .orderBy(asc(members.displayName), asc(members.id));
  return rows.map((row) => ({
    name: memberName(row.member),
    platform: row.platform,
    workspace: row.workspace,
    role: row.member.role === 'coordinator' ? 'coordinator' : 'member',
    organizations: parseArray(row.organizations),
    joinedAt: row.member.createdAt,
  }));
}

/** JSON built by Postgres: drivers hand `json` back parsed, or as text. */
function parseArray(value: unknown): string[] {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return Array.isArray(parsed) ? parsed.map(String) : [];
}
