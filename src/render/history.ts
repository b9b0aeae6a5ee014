// Renders a page of the alliance's history: when (in the reader's zone), who (with their platform), what (the recorded action in the reader's language). Pure.
import type { HistoryAbout } from '../commands/command.js';
import type { historyEvents } from '../../db/schema.js';
import { en } from '../i18n/en.js';
import { t, type Locale, type MessageKey, type MessageParams } from '../i18n/index.js';
import type { Reply } from '../reply.js';
import { formatMoment } from '../time/zones.js';
import { personLabel } from './alliance.js';

/** Entries per page. */
export const HISTORY_PAGE = 20;

type EventRow = typeof historyEvents.$inferSelect;

export interface HistoryPage {
  about?: HistoryAbout;
  page: number;
  /** Newest first, at most HISTORY_PAGE. */
  events: EventRow[];
  /** Whether there are older entries than these. */
  older: boolean;
}

export function renderHistory(view: HistoryPage, locale: Locale, timeZone: string): Reply {
  const heading = view.about ? headingOf(view.about, locale) : t(locale, 'history.heading');
  const next = view.page + 1;
  return {
    visibility: 'ephemeral',
    locale,
    heading: view.page > 1 ? `${heading} · ${t(locale, 'history.page', { page: view.page })}` : heading,
    lines: view.events.length ? view.events.map((event) => ({ text: historyLine(event, locale, timeZone) })) : [{ text: t(locale, view.page > 1 ? 'history.noOlder' : 'history.empty') }],
    ...(view.older && { more: t(locale, 'history.older', { command: olderCommand(view.about, next, locale) }) }),
  };
}

/** `Fri, Nov 27, 12:00 · ana (Slack) · added task #1: Buy banners`. */
export function historyLine(event: Pick<EventRow, 'at' | 'actorName' | 'platform' | 'action' | 'details'>, locale: Locale, timeZone: string): string {
  const who = event.actorName === null ? t(locale, 'history.someone') : personLabel({ displayName: event.actorName, platformUserId: event.actorName, platform: event.platform ?? '' }, locale);
  return `${formatMoment(event.at, locale, timeZone)} · ${who} · ${actionText(event.action, event.details, locale)}`;
}

/** The action's message with its details; an action this version does not know (a newer one's) is shown as recorded. */
function actionText(action: string, details: unknown, locale: Locale): string {
  const params: MessageParams = {};
  if (details && typeof details === 'object') {
    for (const [name, value] of Object.entries(details)) {
      if (typeof value === 'string' || typeof value === 'number') params[name] = value;
    }
  }
  // Details named `…Key` are message keys (a language's name): shown in the reader's language, under the name without `Key`.
  for (const [name, value] of Object.entries(params)) {
    if (name.endsWith('Key') && typeof value === 'string' && Object.hasOwn(en, value)) params[name.slice(0, -3)] = t(locale, value as MessageKey);
  }
  return Object.hasOwn(en, action) ? t(locale, action as MessageKey, params) : action;
}

function headingOf(about: HistoryAbout, locale: Locale): string {
  switch (about.kind) {
    case 'task':
      return t(locale, 'history.heading.task', { number: about.number });
    case 'poll':
      return t(locale, 'history.heading.poll', { number: about.number });
    case 'org':
      return t(locale, 'history.heading.org', { slug: about.slug });
  }
}

/** The command that shows the next page, in the reader's words. */
function olderCommand(about: HistoryAbout | undefined, page: number, locale: Locale): string {
  if (!about) return t(locale, 'history.command', { page });
  switch (about.kind) {
    case 'task':
      return t(locale, 'history.command.task', { number: about.number, page });
    case 'poll':
      return t(locale, 'history.command.poll', { number: about.number, page });
    case 'org':
      return t(locale, 'history.command.org', { slug: about.slug, page });
  }
}
