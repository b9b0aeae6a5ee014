// Renders a channel's digest subscription into replies: its schedule in words, its state, the answers to `digest on|off|now`. Pure.
import type { DigestRow } from '../digests.js';
import type { Platform } from '../identity.js';
import { t, type Locale } from '../i18n/index.js';
import type { Reply } from '../reply.js';
import type { Recurrence } from '../time/recurrence.js';
import { formatMoment } from '../time/zones.js';
import { describeRecurrence } from './reminders.js';

/** A subscription as a reader is shown it: its row, and the language its digest is in (its own, else the alliance's). */
export interface SubscriptionView {
  subscription: DigestRow;
  digestLocale: Locale;
}

function params(view: SubscriptionView, locale: Locale) {
  const { subscription } = view;
  return {
    rule: describeRecurrence(subscription.schedule as Recurrence, locale),
    zone: subscription.timeZone,
    language: t(locale, `language.${view.digestLocale}`),
    next: subscription.nextAt ? formatMoment(subscription.nextAt, locale, subscription.timeZone) : '',
  };
}

/** `digest`: "This channel gets the weekly digest every Monday at 09:00 (America/Lima), in Spanish. Next one: …"; paused; or none. */
export function renderSubscription(view: SubscriptionView | undefined, locale: Locale): Reply {
  const status = view?.subscription.status;
  const text =
    view && status === 'active'
      ? t(locale, 'digest.show.active', params(view, locale))
      : view && status === 'paused'
        ? t(locale, 'digest.show.paused', params(view, locale))
        : t(locale, 'digest.show.none');
  return { visibility: 'ephemeral', locale, lines: [{ text }] };
}

/** `digest on`: what was understood, in public; with how to let Minga in when the platform says it cannot post there. */
export function renderSubscribed(view: SubscriptionView, locale: Locale, cannotPostOn?: Platform): Reply {
  const confirmation = { text: t(locale, 'digest.on.done', params(view, locale)) };
  if (!cannotPostOn) return { visibility: 'public', locale, lines: [confirmation] };
  // Not worth telling the channel: the one who can fix it (or ask whoever can) is the coordinator who asked.
  return { visibility: 'ephemeral', locale, lines: [confirmation, { text: notInChannel(cannotPostOn, locale) }] };
}

/** How to let Minga post in a channel, as each platform has it. */
export function notInChannel(platform: Platform, locale: Locale): string {
  return t(locale, platform === 'discord' ? 'digest.notInChannel.discord' : 'digest.notInChannel.slack');
}

/** What became of `digest now` by the time the answer goes: posted, refused by the platform (and why), failed, or under way. */
export type PostOutcome = { kind: 'posted' } | { kind: 'refused'; reason: string | null } | { kind: 'failed' } | { kind: 'posting' };

export function renderPostOutcome(outcome: PostOutcome, platform: Platform, locale: Locale): Reply {
  const say = (...texts: string[]): Reply => ({ visibility: 'ephemeral', locale, lines: texts.map((text) => ({ text })) });
  switch (outcome.kind) {
    case 'posted':
      return say(t(locale, 'digest.now.posted'));
    case 'posting':
      return say(t(locale, 'digest.now.posting'));
    case 'failed':
      return say(t(locale, 'digest.now.failed'));
    case 'refused':
      return outcome.reason === 'notInChannel' && platform !== 'console'
        ? say(t(locale, 'digest.now.notPosted'), notInChannel(platform, locale))
        : say(t(locale, 'digest.now.cannotPost'));
  }
}
