// Renders polls and proposals: the live poll message with buttons and bars, its outcome once closed, lists, and vote receipts.
import { t, type Locale } from '../i18n/index.js';
import type { OptionRow, PollRow, PollView } from '../polls.js';
import { textReply, type Button, type Reply } from '../reply.js';
import { formatMoment } from '../time/zones.js';

const BAR_WIDTH = 10;

export function optionLabel(option: Pick<OptionRow, 'label' | 'code'>, locale: Locale): string {
  return option.code ? t(locale, `proposal.option.${option.code}` as 'proposal.option.agree') : option.label;
}

/** A text bar for a share from 0 to 1: ███░░░░░░░. */
export function bar(share: number): string {
  const filled = Math.round(Math.max(0, Math.min(1, share)) * BAR_WIDTH);
  return '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
}

const percent = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 100) : 0);

/**
 * The poll as posted in the channel: what to vote on, live results unless hidden, and one button per option while open.
 * Whether results show is the view's to say (its counts are null while hidden), never the reader's.
 */
export function renderPoll(view: PollView, locale: Locale, timeZone: string): Reply {
  const { poll, options, counts, voters } = view;
  const open = poll.status === 'open';
  const marks = [
    ...(poll.anonymous ? [t(locale, 'poll.mark.anonymous')] : []),
    ...(open ? [poll.maxChoices > 1 ? t(locale, 'poll.mark.multi', { max: poll.maxChoices }) : t(locale, 'poll.mark.single')] : []),
    ...(open && poll.closesAt ? [t(locale, 'poll.mark.closes', { when: formatMoment(poll.closesAt, locale, timeZone) })] : []),
    ...(open && poll.hideResults ? [t(locale, 'poll.mark.hidden')] : []),
    ...(!open && poll.closedAt ? [t(locale, 'poll.mark.closed', { when: formatMoment(poll.closedAt, locale, timeZone) })] : []),
  ];
  const optionLines = options.map((option, index) => {
    const label = optionLabel(option, locale);
    if (!counts) return { role: 'option' as const, text: t(locale, 'poll.option.line', { position: option.position, label }) };
    const count = counts[index] ?? 0;
    return {
      role: 'option' as const,
      text: t(locale, 'poll.result.line', { position: option.position, label, bar: bar(voters ? count / voters : 0), count, percent: percent(count, voters) }),
    };
  });
  const turnout = t(locale, 'poll.turnout', { voters, members: view.members, percent: percent(voters, view.members) });
  const closing = open ? [{ text: t(locale, 'poll.howToVote', { number: poll.number }) }] : outcomeLines(view, locale).map((text) => ({ text }));
  return {
    visibility: 'public',
    locale,
    heading: t(locale, poll.kind === 'proposal' ? 'proposal.heading' : 'poll.heading', { number: poll.number, question: poll.question }),
    lines: [...marks.map((text) => ({ text, role: 'note' as const })), ...optionLines, { text: turnout }, ...closing],
    ...(open && { buttons: options.map((option) => voteButton(poll, option, locale)) }),
  };
}

function voteButton(poll: PollRow, option: OptionRow, locale: Locale): Button {
  const style = option.code === 'agree' ? 'primary' : option.code === 'block' ? 'danger' : undefined;
  // The value carries only ids; the click is checked against the database like any command.
  return { label: optionLabel(option, locale), action: 'poll.vote', value: `${poll.id}-${option.position}`, ...(style && { style }) };
}

/** The outcome of a closed poll: the winner or a tie, or for a proposal agreed, not agreed or blocked (naming who blocked). None while hidden. */
export function outcomeLines(view: PollView, locale: Locale): string[] {
  const { poll, options, counts, voters } = view;
  if (!counts) return [];
  if (poll.kind === 'proposal') {
    const byCode = Object.fromEntries(options.map((option, index) => [option.code, counts[index] ?? 0]));
    const tallies = { agree: byCode.agree ?? 0, abstain: byCode.abstain ?? 0, disagree: byCode.disagree ?? 0 };
    const blocks = byCode.block ?? 0;
    if (blocks > 0) {
      return [
        t(locale, 'proposal.outcome.blocked', { count: blocks }),
        ...(view.blockers.length ? [t(locale, 'proposal.blockedBy', { names: view.blockers.join(', ') })] : []),
      ];
    }
    return [t(locale, tallies.agree > tallies.disagree ? 'proposal.outcome.agreed' : 'proposal.outcome.notAgreed', tallies)];
  }
  if (voters === 0) return [t(locale, 'poll.outcome.none')];
  const top = Math.max(...counts);
  const winners = options.filter((_, index) => counts[index] === top).map((option) => optionLabel(option, locale));
  return winners.length > 1
    ? [t(locale, 'poll.outcome.tie', { labels: winners.join(' / '), count: top })]
    : [t(locale, 'poll.outcome.winner', { label: winners[0]!, count: top, voters })];
}

export function renderPollList(list: PollRow[], locale: Locale, timeZone: string): Reply {
  const heading = t(locale, 'poll.list.heading');
  if (list.length === 0) return { visibility: 'ephemeral', locale, heading, lines: [{ text: t(locale, 'poll.list.empty') }] };
  return {
    visibility: 'ephemeral',
    locale,
    heading,
    lines: list.map((poll) => ({
      text: t(locale, 'poll.list.line', {
        number: poll.number,
        question: poll.question,
        status:
          poll.status === 'closed'
            ? t(locale, 'poll.status.closed')
            : poll.closesAt
              ? t(locale, 'poll.status.openUntil', { when: formatMoment(poll.closesAt, locale, timeZone) })
              : t(locale, 'poll.status.open'),
      }),
    })),
  };
}

export function renderVoteReceipt(poll: PollRow, options: OptionRow[], chosen: number[], locale: Locale): Reply {
  if (chosen.length === 0) return textReply(locale, t(locale, 'poll.voteCleared', { number: poll.number }));
  const labels = chosen.map((position) => optionLabel(options.find((option) => option.position === position)!, locale));
  return textReply(locale, t(locale, 'poll.voted', { number: poll.number, choices: labels.join(', ') }));
}
