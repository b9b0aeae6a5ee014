// Runs the poll commands inside the command's transaction: create, vote, close, results, list, export, remind, delete.
import type { Command, CommandContext } from './commands/command.js';
import { checkPollSpec, CLOSES_MAX } from './commands/parse-poll.js';
import { conversationIn } from './conversation.js';
import { createPollEverywhere } from './everywhere-commands.js';
import { UserError } from './errors.js';
import { t, type Locale } from './i18n/index.js';
import {
  castBallot,
  closePollBy,
  createPoll,
  deletePoll,
  exportCsv,
  findPoll,
  isPosted,
  listPolls,
  nonVoters,
  pollJobKey,
  pollView,
} from './polls.js';
import { authorize } from './permissions.js';
import { optionLabel, renderPoll, renderPollList, renderVoteReceipt } from './render/polls.js';
import { textReply, type Reply } from './reply.js';
import { jobFailed, scheduleJob } from './scheduler/jobs.js';
import { readWhen, timeNotUnderstood } from './time/read.js';
import { formatMoment } from './time/zones.js';
import { recordPoll } from './record.js';

type PollCommand = Extract<Command, { kind: `poll.${string}` }>;

export async function executePoll(context: CommandContext, command: PollCommand): Promise<Reply> {
  const { tx, actor, now, actedAt, secret } = context;
  const { locale, timeZone } = actor;
  const say = (key: Parameters<typeof t>[1], params: Parameters<typeof t>[2] = {}, visibility: Reply['visibility'] = 'ephemeral') =>
    textReply(locale, t(locale, key, params), visibility);
  switch (command.kind) {
    case 'poll.form':
      return renderPollForm(locale);
    case 'poll.create': {
      const spec = checkPollSpec(command);
      const closesAt = spec.closes ? deadline(spec.closes, now, timeZone, locale) : null;
      // `--everywhere`: also in every linked workspace's home channel, each its own post (see everywhere-commands.ts).
      if (spec.everywhere) return createPollEverywhere(context, spec, closesAt);
      const conversation = conversationIn(actor.requester) ?? null;
      const poll = await createPoll(tx, actor, spec, closesAt, conversation, now, secret);
      await recordPoll(tx, actor, 'history.poll.created', poll);
      // Without a channel to post in (and so no message to keep up to date), the poll itself is the answer.
      if (!conversation) return renderPoll(await pollView(tx, poll), locale, timeZone);
      // Posting happens right after the commit, before the reply (bounded: see CoreDeps.kick). Posted: say so. Refused by the
      // platform (Minga not in the channel): say that. Still under way (a slow platform, or another instance took the job):
      // say it is coming, never "posted" nor "could not".
      const post = pollJobKey('poll.post', poll.id);
      context.deliverNow = [post];
      context.afterDelivery = async (db) => {
        if (await isPosted(db, poll)) return undefined;
        return say((await jobFailed(db, post)) ? 'poll.notPosted' : 'poll.posting', { number: poll.number });
      };
      return say('poll.created', { number: poll.number });
    }
    case 'poll.vote': {
      const { poll, options, chosen } = await castBallot(tx, actor, command.poll, command.choices, command.toggle === true, now, secret, actedAt, context.inTransaction);
      return renderVoteReceipt(poll, options, chosen, locale);
    }
    case 'poll.close': {
      const poll = await closePollBy(tx, actor, command.poll, now);
      await recordPoll(tx, actor, 'history.poll.closed', poll);
      if (!poll.conversation) return renderPoll(await pollView(tx, poll), locale, timeZone);
      context.deliverNow = [pollJobKey('poll.announce', poll.id)];
      return say('poll.closed', { number: poll.number });
    }
    case 'poll.results': {
      const poll = await findPoll(tx, actor, command.poll);
      return { ...renderPoll(await pollView(tx, poll), locale, timeZone), visibility: 'ephemeral' };
    }
    case 'poll.list':
      return renderPollList(await listPolls(tx, actor), locale, timeZone);
    case 'poll.export': {
      const poll = await findPoll(tx, actor, command.poll);
      const header = {
        voter: t(locale, 'poll.csv.voter'),
        position: t(locale, 'poll.csv.position'),
        option: t(locale, 'poll.csv.option'),
        votes: t(locale, 'poll.csv.votes'),
      };
      const content = await exportCsv(tx, poll, header, (option) => optionLabel(option, locale));
      return {
        visibility: 'ephemeral',
        locale,
        heading: t(locale, poll.kind === 'proposal' ? 'proposal.heading' : 'poll.heading', { number: poll.number, question: poll.question }),
        lines: [],
        file: { name: `poll-${poll.number}.csv`, mimeType: 'text/csv', content },
      };
    }
    case 'poll.remind': {
      const poll = await findPoll(tx, actor, command.poll);
      authorize(actor, 'poll.remind', { createdBy: poll.createdBy });
      if (poll.status !== 'open') throw new UserError('error.pollClosed', { number: poll.number });
      const waiting = await nonVoters(tx, poll, secret);
      const key = `poll.remind:${poll.id}:${now.getTime()}`;
      await scheduleJob(tx, { allianceId: poll.allianceId, kind: 'poll.remind', key, runAt: now, payload: { pollId: poll.id } });
      context.deliverNow = [key];
      return say('poll.reminded', { count: waiting.length, number: poll.number });
    }
    case 'poll.delete': {
      const poll = await deletePoll(tx, actor, command.poll);
      await recordPoll(tx, actor, 'history.poll.deleted', poll);
      return say('poll.deleted', { number: poll.number, question: poll.question }, 'public');
    }
  }
}

/**
 * A deadline in words or an ISO instant (what date pickers send), read by the one time reader in the member's zone; a
 * day without a time closes at its end (23:59). Text that names no moment, and a moment already past, are refused.
 */
function deadline(text: string, now: Date, timeZone: string, locale: Locale): Date {
  const when = readWhen(text, { now, timeZone, defaultTime: '23:59', locale });
  if (!when.ok || when.kind === 'recurring') throw timeNotUnderstood(text, 'moment');
  if (when.at <= now) throw new UserError('error.pollClosesPast', { when: formatMoment(when.at, locale, timeZone) });
  return when.at;
}

export function renderPollForm(locale: Locale): Reply {
  return {
    visibility: 'ephemeral',
    locale,
    lines: [{ text: t(locale, 'error.pollQuestionMissing') }],
    form: {
      id: 'poll.create',
      title: t(locale, 'poll.form.title'),
      submitLabel: t(locale, 'poll.form.submit'),
      cancelLabel: t(locale, 'task.form.cancel'),
      inputs: [
        { id: 'question', label: t(locale, 'poll.form.question'), kind: 'text', maxLength: 300 },
        { id: 'options', label: t(locale, 'poll.form.options'), kind: 'lines', maxLength: 25 * 76 },
        { id: 'multi', label: t(locale, 'poll.form.multi'), kind: 'checkbox', optional: true },
        { id: 'anonymous', label: t(locale, 'poll.form.anonymous'), kind: 'checkbox', optional: true },
        { id: 'hideResults', label: t(locale, 'poll.form.hideResults'), kind: 'checkbox', optional: true },
        { id: 'everywhere', label: t(locale, 'poll.form.everywhere'), kind: 'checkbox', optional: true },
        { id: 'closes', label: t(locale, 'poll.form.closes'), kind: 'text', optional: true, maxLength: CLOSES_MAX },
      ],
    },
  };
}
