// Renders the answers of the link commands: the one-time code, joined, left, the home channel. Pure.
import { t, type Locale } from '../i18n/index.js';
import type { Platform } from '../identity.js';
import type { Reply } from '../reply.js';

/** `alliance link`: the code and the exact command to type in the other workspace, for the coordinator's eyes only. */
export function renderLinkCode(code: string, alliance: string, minutes: number, locale: Locale): Reply {
  return {
    visibility: 'ephemeral',
    locale,
    lines: [{ text: t(locale, 'link.code', { code, alliance, minutes }) }, { text: t(locale, 'link.code.how', { code }) }],
  };
}

export function renderJoined(alliance: string, organizations: string[], locale: Locale): Reply {
  const lines = [{ text: t(locale, 'link.joined', { alliance }) }];
  if (organizations.length) lines.push({ text: t(locale, 'link.joined.orgs', { slugs: organizations.map((slug) => `org:${slug}`).join(', ') }) });
  return { visibility: 'public', locale, lines };
}

/** A code that is wrong, used or expired (one answer for all three: it tells a guesser nothing), and how many tries are left. */
export function renderWrongCode(attemptsLeft: number, minutes: number, locale: Locale): Reply {
  return { visibility: 'ephemeral', locale, error: true, lines: [{ text: t(locale, 'error.linkCodeInvalid', { minutes, left: attemptsLeft }) }] };
}

export function renderUnlinked(alliance: string, locale: Locale): Reply {
  return { visibility: 'public', locale, lines: [{ text: t(locale, 'link.unlinked', { alliance }) }] };
}

/**
 * `alliance channel`: in public, the home channel set; once the platform said whether Minga can post there, only to the
 * coordinator with that answer (and how to invite Minga when it cannot).
 */
export function renderHomeChannel(channel: string, locale: Locale, checked?: { platform: Platform; allowed: boolean }): Reply {
  const done = { text: t(locale, 'link.channel.set', { channel }) };
  if (!checked) return { visibility: 'public', locale, lines: [done] };
  if (checked.allowed) return { visibility: 'public', locale, lines: [done, { text: t(locale, 'link.channel.canPost') }] };
  const invite = t(locale, checked.platform === 'discord' ? 'link.channel.cannotPost.discord' : 'link.channel.cannotPost.slack');
  return { visibility: 'ephemeral', locale, lines: [done, { text: invite }] };
}
