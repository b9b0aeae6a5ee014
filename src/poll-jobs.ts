// Scheduled work for polls, run by the scheduler on whichever instance claims it: post, refresh (coalesced), close at the deadline, announce, and nudge non-voters.
import { and, asc, eq, sql } from 'drizzle-orm';
import { alliances, ballots, polls, postedMessages } from '../db/schema.js';
import { deliveredKeys, recordDelivery, type DeliveryDeps } from './delivery.js';
import { allianceLocale, memberLocale, t, type Locale } from './i18n/index.js';
import { memberTimeZone } from './identity.js';
import { inWorkspaces, linkedWorkspaces, outcomeKey, outcomePlaces } from './everywhere.js';
import { closePoll, nonVoters, pollView, REFRESH_SPACING_MS, type PollRow } from './polls.js';
import { renderPoll } from './render/polls.js';
import { textReply } from './reply.js';
import type { JobRow } from './scheduler/jobs.js';
import type { JobHandlers } from './scheduler/scheduler.js';
import { formatMoment } from './time/zones.js';

interface Deps extends DeliveryDeps {
  /** The deployment secret, to find who has not voted on an anonymous poll. */
  secret?: string;
}

export function pollJobHandlers(deps: Deps): JobHandlers {
  const { db, delivery } = deps;

  /** The poll with what is needed to show it to everyone: the alliance's language and zone. Undefined once deleted. */
  async function load(job: { payload: { pollId: number } }) {
    const { pollId } = job.payload;
    const [row] = await db.select({ poll: polls, alliance: alliances }).from(polls).innerJoin(alliances, eq(alliances.id, polls.allianceId)).where(eq(polls.id, pollId));
    if (!row) return undefined;
    return { poll: row.poll, alliance: row.alliance, locale: allianceLocale(row.alliance, deps.defaults.locale), timeZone: row.alliance.timeZone };
  }

  const postedFor = (poll: PollRow) =>
    db
      .select()
      .from(postedMessages)
      .where(and(eq(postedMessages.allianceId, poll.allianceId), eq(postedMessages.subject, `poll:${poll.id}`)))
      .orderBy(asc(postedMessages.id));

  /**
   * The poll's messages in workspaces still linked to its alliance: one that left (`alliance unlink`) keeps its copy as it
   * was, and hears nothing more of the alliance's votes or outcome.
   */
  const stillLinked = async (poll: PollRow) => {
    const [messages, linked] = await Promise.all([postedFor(poll), linkedWorkspaces(db, poll.allianceId)]);
    return { messages: messages.filter((message) => inWorkspaces(message.conversation, linked)), linked };
  };

  /**
   * The poll's status and a digest of every ballot, to tell whether anything changed while a refresh was rendering. The
   * status counts too: jobs run side by side, so a close (and its announcement) may land while a refresh still edits the
   * open poll; the refresh then runs again and leaves the message frozen.
   */
  async function fingerprint(pollId: number): Promise<string> {
    const [row] = await db
      .select({
        digest: sql<string>`(select ${polls.status} from ${polls} where ${polls.id} = ${pollId}) || ':' || coalesce(md5(string_agg(${ballots.voterKey} || ${ballots.choices}::text, ',' order by ${ballots.voterKey})), '')`,
      })
      .from(ballots)
      .where(eq(ballots.pollId, pollId));
    return row?.digest ?? '';
  }

  async function nudge(job: JobRow<'poll.closingSoon' | 'poll.remind'>, note: 'poll.closingSoonNote' | 'poll.remindNote'): Promise<void> {
    const loaded = await load(job);
    if (!loaded || loaded.poll.status !== 'open') return;
    // Who has not voted on an anonymous poll is known only with the secret; without it, retrying would not help.
    if (loaded.poll.anonymous && !deps.secret) {
      deps.log.warn({ poll: loaded.poll.id }, 'no nudges for an anonymous poll: MINGA_SECRET is not set');
      return;
    }
    for (const { member, platform, workspaceId } of await nonVoters(db, loaded.poll, deps.secret)) {
      // Never a member and an anonymous poll on one line: together they would say who had not voted on it yet.
      const about = loaded.poll.anonymous ? { member: member.id } : { poll: loaded.poll.id, member: member.id };
      const locale: Locale = memberLocale(member, loaded.alliance, deps.defaults.locale);
      const zone = memberTimeZone(member, loaded.alliance);
      const text = t(locale, note, {
        number: loaded.poll.number,
        question: loaded.poll.question,
        when: loaded.poll.closesAt ? formatMoment(loaded.poll.closesAt, locale, zone) : '',
      });
      // One unreachable member must not make the job retry and nudge everyone twice.
      await delivery
        .sendDirect(platform as 'console' | 'slack' | 'discord', workspaceId, member.platformUserId, textReply(locale, text))
        .catch((err) => deps.log.warn({ err, ...about }, 'could not nudge a member'));
    }
  }

  return {
    'poll.post': async (job) => {
      const loaded = await load(job);
      // The poll's own channel, or a copy's (`--everywhere`): each is a job of its own, posted and recorded once.
      const conversation = job.payload.conversation ?? loaded?.poll.conversation;
      if (!loaded || !conversation) return;
      // Posted by a run that died before finishing its job: posting again would show the poll twice.
      if ((await postedFor(loaded.poll)).some((message) => message.conversation === conversation)) return;
      const reply = renderPoll(await pollView(db, loaded.poll), loaded.locale, loaded.timeZone);
      const ref = await delivery.post(conversation, reply);
      // Right after the platform accepted it: a process killed between the two is the one way to post it twice.
      await db
        .insert(postedMessages)
        .values({ allianceId: loaded.poll.allianceId, conversation, messageRef: ref, subject: `poll:${loaded.poll.id}` })
        .onConflictDoNothing();
    },

    'poll.refresh': async (job) => {
      const loaded = await load(job);
      if (!loaded) return;
      const before = await fingerprint(loaded.poll.id);
      const reply = renderPoll(await pollView(db, loaded.poll), loaded.locale, loaded.timeZone);
      // Every copy (`--everywhere`) shows the same results. One that cannot be edited (deleted, Minga removed there) must not
      // hold back the others, nor, by failing the job, delay the next refresh of all: it is logged. Only when no copy could
      // be edited does the job fail and retry.
      const { messages } = await stillLinked(loaded.poll);
      const failures: unknown[] = [];
      for (const message of messages) {
        await delivery.edit(message.conversation, message.messageRef, reply).catch((err: unknown) => failures.push(err));
      }
      if (failures.length > 0 && failures.length === messages.length) throw failures[0];
      for (const err of failures) deps.log.warn({ err, poll: loaded.poll.id }, 'could not refresh a copy of a poll');
      // A ballot that committed while we rendered would otherwise wait for the next click to show.
      if ((await fingerprint(loaded.poll.id)) !== before) return { again: new Date(deps.now().getTime() + REFRESH_SPACING_MS) };
    },

    'poll.close': async (job) => {
      const { pollId } = job.payload;
      // Closed when the deadline was, even if this runs later (Minga was down): that is when voting ended.
      const now = deps.now();
      await db.transaction((tx) => closePoll(tx, pollId, job.runAt < now ? job.runAt : now));
    },

    'poll.announce': async (job) => {
      const loaded = await load(job);
      if (!loaded?.poll.conversation) return;
      // Where it was started, and every channel a copy reached (`--everywhere`): one outcome each, each recorded on its own.
      const { messages, linked } = await stillLinked(loaded.poll);
      const places = outcomePlaces(loaded.poll, messages).filter((place) => inWorkspaces(place, linked));
      // Announced by a run that died before finishing its job (freezing the message again would be harmless, posting not).
      const announced = await deliveredKeys(db, places.map((place) => outcomeKey(loaded.poll, place)));
      const waiting = places.filter((place) => !announced.has(outcomeKey(loaded.poll, place)));
      if (waiting.length === 0) return;
      const view = await pollView(db, loaded.poll);
      // A closed poll renders as its outcome: results, no buttons. It replaces the message and is posted as the announcement.
      const final = renderPoll(view, loaded.locale, loaded.timeZone);
      for (const message of messages) {
        await delivery.edit(message.conversation, message.messageRef, final).catch((err) => deps.log.warn({ err, poll: loaded.poll.id }, 'could not freeze a poll message'));
      }
      const failures: unknown[] = [];
      for (const place of waiting) {
        try {
          const ref = await delivery.post(place, final);
          // Right after the platform accepted it: a process killed between the two is the one way to announce it twice.
          await recordDelivery(db, loaded.poll.allianceId, outcomeKey(loaded.poll, place), ref);
        } catch (err) {
          // One channel's failure must not hold back the others; the retry skips those recorded.
          failures.push(err);
        }
      }
      if (failures.length > 0) throw failures[0];
    },

    'poll.closingSoon': (job) => nudge(job, 'poll.closingSoonNote'),
    'poll.remind': (job) => nudge(job, 'poll.remindNote'),
  };
}
