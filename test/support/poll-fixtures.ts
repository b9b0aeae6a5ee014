// A poll as renderers receive it, built in memory, for the pure rendering tests of every platform.
import { resultsHidden, type OptionRow, type PollRow, type PollView } from '../../src/polls.js';

/** A poll as the core shows it: open, 3 of 4 members voted, unless told otherwise; no counts while its results are hidden. */
export function samplePollView(
  conversation: string,
  options: { labels?: string[]; counts?: number[]; poll?: Partial<PollRow>; codes?: boolean } = {},
): PollView {
  const labels = options.labels ?? ['Lima', 'Cusco', 'Arequipa'];
  const poll: PollRow = {
    id: 7,
    allianceId: 1,
    number: 3,
    kind: options.codes ? 'proposal' : 'choice',
    question: 'Where do we meet?',
    maxChoices: 1,
    anonymous: false,
    hideResults: false,
    status: 'open',
    closesAt: null,
    conversation,
    ballotSalt: null,
    createdBy: 1,
    createdAt: new Date('2026-11-27T12:00:00Z'),
    closedAt: null,
    ...options.poll,
  };
  const rows: OptionRow[] = labels.map((label, i) => ({ id: 100 + i, allianceId: 1, pollId: 7, position: i + 1, label, code: options.codes ? label : null }));
  const counts = resultsHidden(poll) ? null : (options.counts ?? labels.map((_, i) => (i === 0 ? 2 : i === 1 ? 1 : 0)));
  return { poll, options: rows, counts, voters: 3, members: 4, blockers: [] };
}
