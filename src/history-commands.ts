// Runs `history [task N | poll N | org <slug>] [page N]`: the alliance's recorded changes, newest first, a page at a time. Read only: nothing changes history.
import { and, desc, eq, type SQL } from 'drizzle-orm';
import { historyEvents } from '../db/schema.js';
import type { Command, CommandContext, HistoryAbout } from './commands/command.js';
import { checkOrgSlug } from './commands/rules.js';
import { HISTORY_PAGE, renderHistory } from './render/history.js';
import type { Reply } from './reply.js';

type HistoryCommand = Extract<Command, { kind: 'history' }>;

export async function executeHistory(context: CommandContext, command: HistoryCommand): Promise<Reply> {
  const { tx, actor } = context;
  const page = Math.max(1, Math.floor(command.page));
  const where: SQL | undefined = and(eq(historyEvents.allianceId, actor.alliance.id), command.about && eq(historyEvents.subject, subjectOf(command.about)));
  // One more than a page: whether there are older ones, without counting them all.
  const rows = await tx
    .select()
    .from(historyEvents)
    .where(where)
    .orderBy(desc(historyEvents.id))
    .limit(HISTORY_PAGE + 1)
    .offset((page - 1) * HISTORY_PAGE);
  return renderHistory(
    {
      ...(command.about && { about: command.about }),
      page,
      events: rows.slice(0, HISTORY_PAGE),
      older: rows.length > HISTORY_PAGE,
    },
    actor.locale,
    actor.timeZone,
  );
}

/** The subject the history keeps a thing's changes under (see HistorySubject). */
function subjectOf(about: HistoryAbout): string {
  switch (about.kind) {
    case 'task':
      return `task:${about.number}`;
    case 'poll':
      return `poll:${about.number}`;
    case 'org':
      return `org:${checkOrgSlug(about.slug)}`;
  }
}
