// Runs the digest commands inside the command's transaction: subscribe this channel, stop, post now, preview, show.
import { inArray } from 'drizzle-orm';
import type { Db } from '../db/connection.js';
import { deliveries } from '../db/schema.js';
import type { Command, CommandContext } from './commands/command.js';
import { conversationIn } from './conversation.js';
import { gatherWeek } from './digest-week.js';
import { channelSubscription, digestLocale, readDigestSchedule, subscribeChannel, unsubscribeChannel, type DigestRow } from './digests.js';
import { UserError } from './errors.js';
import { allianceLocale, t } from './i18n/index.js';
import type { Actor } from './identity.js';
import { authorize } from './permissions.js';
import { recordChange } from './history.js';
import { channelLabel } from './conversation.js';
import { renderDigest } from './render/digest.js';
import { renderPostOutcome, renderSubscribed, renderSubscription, type PostOutcome, type SubscriptionView } from './render/digest-subscription.js';
import { textReply, type Reply } from './reply.js';
import { jobFailed, scheduleJob } from './scheduler/jobs.js';

type DigestCommand = Extract<Command, { kind: `digest.${string}` }>;

export async function executeDigest(context: CommandContext, command: DigestCommand): Promise<Reply> {
  const { tx, actor, now, defaults } = context;
  const { locale, alliance } = actor;
  const viewOf = (subscription: DigestRow): SubscriptionView => ({ subscription, digestLocale: digestLocale(subscription, actor.alliance, defaults.locale) });
  switch (command.kind) {
    case 'digest.show': {
      const subscription = await current(context);
      return renderSubscription(subscription && viewOf(subscription), locale);
    }
    case 'digest.on': {
      authorize(actor, 'digest.on');
      const conversation = here(actor);
      const schedule = readDigestSchedule(command.when, { now, timeZone: alliance.timeZone, locale });
      const view = viewOf(await subscribeChannel(tx, actor, { conversation, schedule, locale: command.locale ?? null }, now));
      await recordChange(tx, actor, { subject: `digest:${conversation}`, action: 'history.digest.on', details: { channel: channelLabel(conversation) } });
      // On a platform, ask it (after the commit: a platform call) whether Minga may post there, so the coordinator learns now
      // rather than on Monday. Cannot tell, or it failed to answer: the plain confirmation.
      const { platform } = actor.requester;
      const canPost = context.canPost;
      if (platform !== 'console' && canPost) {
        context.afterDelivery = async () => {
          const allowed = await canPost(conversation).catch(() => undefined);
          return allowed === false ? renderSubscribed(view, locale, platform) : undefined;
        };
      }
      return renderSubscribed(view, locale);
    }
    case 'digest.off': {
      authorize(actor, 'digest.off');
      const stopped = await unsubscribeChannel(tx, alliance.id, here(actor), now);
      if (stopped) await recordChange(tx, actor, { subject: `digest:${stopped.conversation}`, action: 'history.digest.off', details: { channel: channelLabel(stopped.conversation) } });
      return stopped ? textReply(locale, t(locale, 'digest.off.done'), 'public') : textReply(locale, t(locale, 'digest.off.none'));
    }
    case 'digest.preview': {
      // Everyone may look; a preview outside a channel is the alliance's digest as a new channel would get it.
      const subscription = await current(context);
      const week = await gatherWeek(tx, alliance.id, now, subscription?.timeZone ?? alliance.timeZone);
      const digest = renderDigest(week, subscription ? digestLocale(subscription, actor.alliance, defaults.locale) : allianceLocale(alliance, defaults.locale));
      return { ...digest, visibility: 'ephemeral' };
    }
    case 'digest.now': {
      // Everyone may ask: it posts only where they are, what they could preview.
      const conversation = here(actor);
      const subscription = await current(context);
      const key = `digest:now:${conversation}:${now.getTime()}`;
      await scheduleJob(tx, {
        allianceId: alliance.id,
        kind: 'digest.post',
        key,
        runAt: now,
        payload: {
          conversation,
          locale: subscription ? digestLocale(subscription, actor.alliance, defaults.locale) : allianceLocale(alliance, defaults.locale),
          requestedBy: actor.member.id,
        },
      });
      // Posted right after the commit, before the answer (bounded: see CoreDeps.kick). The job's handler records a post
      // under the job's key, and a platform's refusal for good under `<key>:refused` with its reason.
      context.deliverNow = [key];
      const { platform } = actor.requester;
      context.afterDelivery = async (db) => renderPostOutcome(await postOutcome(db, key), platform, locale);
      return renderPostOutcome({ kind: 'posting' }, platform, locale);
    }
  }
}

/** The conversation the command was typed in; a digest belongs to a channel. */
function here(actor: Actor): string {
  const conversation = conversationIn(actor.requester);
  if (!conversation) throw new UserError('error.digestNoChannel');
  return conversation;
}

/** This channel's subscription, unless stopped (a stopped one says nothing of the channel any more). */
async function current(context: CommandContext): Promise<DigestRow | undefined> {
  const { channelId } = context.actor.requester;
  if (!channelId) return undefined;
  const subscription = await channelSubscription(context.tx, context.actor.alliance.id, here(context.actor));
  return subscription?.status === 'off' ? undefined : subscription;
}


async function postOutcome(db: Db, key: string): Promise<PostOutcome> {
  const refusedKey = `${key}:refused`;
  const rows = await db.select({ key: deliveries.key, messageRef: deliveries.messageRef }).from(deliveries).where(inArray(deliveries.key, [key, refusedKey]));
  if (rows.some((row) => row.key === key)) return { kind: 'posted' };
  const refused = rows.find((row) => row.key === refusedKey);
  if (refused) return { kind: 'refused', reason: refused.messageRef };
  return (await jobFailed(db, key)) ? { kind: 'failed' } : { kind: 'posting' };
}
