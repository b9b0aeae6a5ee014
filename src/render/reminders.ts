// Renders reminders into platform-neutral replies: the confirmation that repeats the understood time, lists, rules in words, time zones.
import { t, type Locale, type MessageKey } from '../i18n/index.js';
import type { CreatedReminder, ReminderView, TargetLabel } from '../reminders.js';
import type { Reply } from '../reply.js';
import type { Recurrence } from '../time/recurrence.js';
import { formatMoment } from '../time/zones.js';

/** How long a reminder's text may be in a list line; the whole text is in the reminder itself. */
const LIST_TEXT_MAX = 120;

/**
 * "I'll remind #general on Fri, Dec 5, 10:00 (America/Bogota): …", in the target's zone, so a misunderstood time shows at
 * once; a recurring one says its rule in words and its first occurrence.
 */
export function renderReminderCreated(created: CreatedReminder, locale: Locale): Reply {
  const { reminder, target, first, recurrence } = created;
  const you = target.kind === 'you';
  const params = {
    target: targetName(target, locale),
    when: formatMoment(first, locale, reminder.timeZone),
    zone: reminder.timeZone,
    text: reminder.text,
    ...(recurrence && { rule: describeRecurrence(recurrence, locale) }),
  };
  const key: MessageKey = recurrence
    ? you ? 'reminder.createdRecurring.you' : 'reminder.createdRecurring.other'
    : you ? 'reminder.created.you' : 'reminder.created.other';
  return {
    visibility: 'ephemeral',
    locale,
    lines: [{ text: t(locale, key, params) }, { text: t(locale, 'reminder.number', { number: reminder.number }) }],
  };
}

export function renderReminderList(views: ReminderView[], total: number, locale: Locale): Reply {
  const lines = views.map(({ reminder, target, setter }) => {
    const recurrence = reminder.recurrence as Recurrence | null;
    const params = {
      number: reminder.number,
      when: reminder.nextAt ? formatMoment(reminder.nextAt, locale, reminder.timeZone) : '',
      zone: reminder.timeZone,
      target: targetName(target, locale),
      text: shorten(reminder.text),
      ...(recurrence && { rule: describeRecurrence(recurrence, locale) }),
    };
    const line = t(locale, recurrence ? 'reminder.list.lineRecurring' : 'reminder.list.line', params);
    return { text: setter ? `${line} · ${t(locale, 'reminder.list.setBy', { name: setter })}` : line };
  });
  if (total > views.length) lines.push({ text: t(locale, 'list.more', { count: total - views.length }) });
  return {
    visibility: 'ephemeral',
    locale,
    heading: t(locale, 'reminder.list.heading'),
    lines: lines.length ? lines : [{ text: t(locale, 'reminder.list.empty') }],
  };
}

export function renderReminderCancelled(view: ReminderView, locale: Locale): Reply {
  return {
    visibility: 'ephemeral',
    locale,
    lines: [{ text: t(locale, 'reminder.cancelled', { number: view.reminder.number, text: shorten(view.reminder.text) }) }],
  };
}

/** Whom a reminder is for, as words the reader's sentences take: "you", "@ana", "each member of …", "#general", "this channel". */
export function targetName(target: TargetLabel, locale: Locale): string {
  switch (target.kind) {
    case 'you':
      return t(locale, 'reminder.target.you');
    case 'member':
      return target.name;
    case 'organization':
      return t(locale, 'reminder.target.organization', { name: target.name, slug: target.slug });
    case 'channel':
      return `#${target.name}`;
    case 'here':
      return t(locale, 'reminder.target.here');
    case 'everywhere':
      return t(locale, 'everywhere.target');
  }
}

/** A recurring time in words: "every Monday and Thursday at 09:00", "el primer lunes de cada mes a las 09:00". */
export function describeRecurrence(rule: Recurrence, locale: Locale): string {
  const time = `${String(rule.time.hour).padStart(2, '0')}:${String(rule.time.minute).padStart(2, '0')}`;
  switch (rule.kind) {
    case 'daily':
      return t(locale, 'reminder.rule.daily', { time });
    case 'weekly': {
      if (rule.days.join() === '1,2,3,4,5') return t(locale, 'reminder.rule.weekdays', { time });
      // Monday first, as a week is said; Sunday last.
      const names = [...rule.days].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7)).map((day) => t(locale, `weekday.${day}`));
      return t(locale, 'reminder.rule.weekly', { days: joinWords(names, locale), time });
    }
    case 'monthly':
      return rule.day === 'last'
        ? t(locale, 'reminder.rule.monthlyLast', { time })
        : t(locale, 'reminder.rule.monthly', { day: rule.day, time });
    case 'monthlyWeekday':
      return t(locale, 'reminder.rule.monthlyWeekday', { nth: t(locale, `ordinal.${rule.nth}`), weekday: t(locale, `weekday.${rule.weekday}`), time });
  }
}

/** "Monday", "Monday and Friday", "Monday, Wednesday and Friday". */
function joinWords(names: string[], locale: Locale): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} ${t(locale, 'reminder.rule.and')} ${names[names.length - 1]}`;
}

function shorten(text: string): string {
  const chars = [...text];
  return chars.length > LIST_TEXT_MAX ? `${chars.slice(0, LIST_TEXT_MAX - 1).join('')}…` : text;
}
