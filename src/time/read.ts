// The one reader of time for every command (task due dates, poll deadlines, reminders, digest schedules), in English and Spanish.
/**
 * `readWhen(text, context)` understands a moment, a day or a recurring time and says which, or says it did not
 * understand. It never throws for any text and never guesses: text it does not read entirely is not understood.
 * Text over 200 characters is not read at all; one pair (or more) of surrounding quotes, straight or curly, is
 * taken off first, so `"mañana a las 18"` reads as `mañana a las 18`.
 *
 * How it reads: our own grammar first, for the forms we promise and whose meaning we fix below (chrono's Spanish
 * has gaps: "pasado mañana", "a fin de mes", "el primer lunes", "6 de la tarde", "Agosto 23" (chrono: 2023),
 * "a la una", "mañana por la tarde", "el lunes que viene"); then chrono-node, in the member's language first, for
 * what it reads entirely and plainly: one reading of the whole text, a certain day, no range, no zone name, no
 * slash date, every number explained (see `numbersExplained`). Recurring times are ours alone.
 *
 * Conventions, all on the wall clock of `context.timeZone`:
 * - A day said without a time is kind 'date'; its `at` is that day at `defaultTime` (09:00 unless the caller says).
 * - A weekday name is the first such day still ahead, today included: "friday" said on Friday morning is today.
 *   With a time ("friday 15:00"), it is the first Friday whose 15:00 is still ahead. "next", "this", "coming",
 *   "próximo", "este" and "que viene" mean the same: the first one ahead.
 * - A date without a year ("Dec 5", "el 5 de diciembre") is this year's if it is today or later, else next year's.
 *   "the 5th" / "el día 5" is the next 5th of a month, today included. "the first monday" / "el primer lunes"
 *   alone is the first Monday of this month if it is today or later, else of next month.
 * - A time alone ("at 9", "15:00", "in the morning") is today if still ahead, else tomorrow.
 * - An hour alone after "at" / "a las" is read on the 24-hour clock ("at 8" is 08:00, "a la una" 01:00), unless the
 *   part of the day says otherwise ("tonight at 9", "mañana por la tarde a las 5" are 21:00 and 17:00). An hour in
 *   words needs "a la(s)" ("a las nueve y media"); digits alone need a sign they are a time (":", am/pm, h).
 * - Parts of the day: morning / por la mañana 09:00, noon / mediodía 12:00, afternoon / tarde 15:00,
 *   evening, night, tonight / noche, esta noche 20:00. Midnight / medianoche is 00:00 at the end of the day named
 *   ("friday midnight" is Saturday 00:00; "midnight" alone is the coming one). "tonight" and "esta noche" are
 *   today's, even once 20:00 has passed (the caller refuses the past).
 * - "end of month" / "a fin de mes" is the last day of this month, a day.
 * - Durations in minutes and hours are elapsed time ("in 2 hours" is 7,200 s from now, across a clock change);
 *   days, weeks and months move the calendar and keep the time of day ("in 1 day" is tomorrow at this time).
 *   "24h" alone is a duration; "a las 18h" and "mañana 18h" are times.
 * - Not understood, as they would be guesses: slash dates ("5/12": day and month order differ between members),
 *   "next week", "this weekend", "soon", a weekday that does not match its date, a part of the day that clashes
 *   with its time ("tonight at 3"), two readings of the same words.
 * - Around a daylight-saving change, a time that does not exist moves forward by the gap, and a time that happens
 *   twice is its first occurrence.
 * - Recurring: "every weekday" / "días hábiles" is Monday to Friday; "every month on the 31st" uses the last day
 *   of shorter months; a rule without a time uses `defaultTime`; midnight is refused in a rule (it would move the
 *   rule's days). `at` is the first occurrence after `now`.
 * - Days in the past are read as said ("2026-11-20", "yesterday", "last friday"); the caller refuses them. A time
 *   that has passed on a named day stays on that day ("today at 9" said at 10): nothing is moved to make it fit.
 */
// Our two languages only: the package's root loads all seventeen of its locales, each a set of large regexes kept in memory.
import * as chronoEn from 'chrono-node/en';
import * as chronoEs from 'chrono-node/es';
import { phrase, UserError } from '../errors.js';
import type { Locale } from '../i18n/index.js';
import { addDays, fold, weekdayOf, weekdays } from './dates.js';
import { daysInMonth, nextOccurrence, WORKDAYS, type Clock, type Recurrence, type Weekday } from './recurrence.js';
import { wallClock, zonedTime } from './zones.js';

export interface ReadContext {
  now: Date;
  /** IANA zone of the person (or channel) the time is for, e.g. "America/Bogota". */
  timeZone: string;
  /** "HH:MM", the time of a day said without one. Defaults to "09:00". */
  defaultTime?: string;
  /** The member's language: chrono-node tries it first. Our grammar reads both languages alike. */
  locale?: Locale;
}

export type When =
  /** A day without a time said: `date` is the day, `at` that day at `defaultTime`. */
  | { ok: true; kind: 'date'; date: string; at: Date }
  /** A moment: `date` is its day on the zone's wall clock. */
  | { ok: true; kind: 'instant'; at: Date; date: string }
  /** A recurring time: `at` is its first occurrence after `now`; `next(after)` the first one strictly after `after`. */
  | { ok: true; kind: 'recurring'; rule: Recurrence; at: Date; next: (after: Date) => Date }
  | { ok: false };

/** Longer text is refused before any reading, so no input can make the reader slow. */
export const MAX_WHEN_LENGTH = 200;

/** No expression of our grammar is longer ("el primer lunes de cada mes a las 9 y media de la mañana" is 13). */
const MAX_GRAMMAR_WORDS = 16;

const NOT_UNDERSTOOD: When = { ok: false };

export function readWhen(input: string, context: ReadContext): When {
  if (input.length > MAX_WHEN_LENGTH) return NOT_UNDERSTOOD;
  const raw = unquote(input);
  const text = normalize(raw);
  if (!text) return NOT_UNDERSTOOD;
  const setting = settle(context);
  const ours = text.split(' ').length <= MAX_GRAMMAR_WORDS;
  const read = ours ? (recurring(text, setting) ?? isoMoment(text, setting) ?? duration(text, setting) ?? moment(text, setting)) : undefined;
  return read ?? withChrono(raw, setting) ?? NOT_UNDERSTOOD;
}

// ---------------------------------------------------------------------------------------------------------------
// Text

const QUOTES = `"'“”‘’«»„‚`;

/** Trimmed, spaces collapsed, and surrounding quotes (straight or curly) taken off. */
function unquote(input: string): string {
  let text = input.replace(/\s+/g, ' ').trim();
  while (text.length >= 2 && QUOTES.includes(text[0]!) && QUOTES.includes(text[text.length - 1]!)) text = text.slice(1, -1).trim();
  return text;
}

/** Lowercase without accents, "p.m." as "pm", commas and final stops as spaces: the form our grammar reads. */
function normalize(text: string): string {
  return fold(text)
    .replace(/\b([ap])\. ?m\.?(?=\s|$)/g, '$1m')
    .replace(/(\d)[ºª°]/g, '$1')
    .replace(/,/g, ' ')
    .replace(/[.!]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A table's own entry: text such as "constructor" must not find Object's. */
const lookup = <T>(table: Record<string, T>, key: string): T | undefined => (Object.hasOwn(table, key) ? table[key] : undefined);

const alternatives = (words: Iterable<string>) =>
  [...words].sort((a, b) => b.length - a.length).map((word) => word.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')).join('|');

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, ene: 1, enero: 1,
  feb: 2, february: 2, febrero: 2,
  mar: 3, march: 3, marzo: 3,
  apr: 4, april: 4, abr: 4, abril: 4,
  may: 5, mayo: 5,
  jun: 6, june: 6, junio: 6,
  jul: 7, july: 7, julio: 7,
  aug: 8, august: 8, ago: 8, agosto: 8,
  sep: 9, sept: 9, september: 9, septiembre: 9, setiembre: 9,
  oct: 10, october: 10, octubre: 10,
  nov: 11, november: 11, noviembre: 11,
  dec: 12, december: 12, dic: 12, diciembre: 12,
};

/** Weekday names as one says them for "every …": "on mondays", "los lunes", "los sábados". */
const PLURALS_EN: Record<string, number> = { sundays: 0, mondays: 1, tuesdays: 2, wednesdays: 3, thursdays: 4, fridays: 5, saturdays: 6 };
const PLURALS_ES: Record<string, number> = { domingos: 0, lunes: 1, martes: 2, miercoles: 3, jueves: 4, viernes: 5, sabados: 6 };

/** Hours in words, after "a la(s)": "a la una", "a las nueve y media". */
const HOUR_WORDS: Record<string, number> = {
  una: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5, seis: 6, siete: 7, ocho: 8, nueve: 9, diez: 10, once: 11, doce: 12,
};

/** Amounts in words, for durations: "in an hour", "en dos días". */
const NUMBERS: Record<string, number> = {
  a: 1, an: 1, one: 1, un: 1, una: 1, uno: 1,
  two: 2, dos: 2, three: 3, tres: 3, four: 4, cuatro: 4, five: 5, cinco: 5, six: 6, seis: 6,
  seven: 7, siete: 7, eight: 8, ocho: 8, nine: 9, nueve: 9, ten: 10, diez: 10, eleven: 11, once: 11,
  twelve: 12, doce: 12, fifteen: 15, quince: 15, twenty: 20, veinte: 20, thirty: 30, treinta: 30,
};

const ORDINALS: Record<string, 1 | 2 | 3 | 4 | 'last'> = {
  first: 1, '1st': 1, primer: 1, primero: 1,
  second: 2, '2nd': 2, segundo: 2,
  third: 3, '3rd': 3, tercer: 3, tercero: 3,
  fourth: 4, '4th': 4, cuarto: 4,
  last: 'last', ultimo: 'last',
};

const WD = alternatives(Object.keys(weekdays));
const WD_PLURAL_EN = alternatives(Object.keys(PLURALS_EN));
const WD_PLURAL_ES = alternatives(Object.keys(PLURALS_ES));
const MONTH = alternatives(Object.keys(MONTHS));
const ORDINAL = alternatives(Object.keys(ORDINALS));
const NUMBER = alternatives(Object.keys(NUMBERS));
const HOUR_WORD = alternatives(Object.keys(HOUR_WORDS));

// ---------------------------------------------------------------------------------------------------------------
// The setting every reading needs

interface Setting {
  now: Date;
  zone: string;
  today: string;
  defaultTime: Clock;
  locale: Locale | undefined;
}

function settle(context: ReadContext): Setting {
  const defaultTime = clockOf(context.defaultTime ?? '09:00') ?? { hour: 9, minute: 0 };
  return { now: context.now, zone: context.timeZone, today: wallClock(context.now, context.timeZone).date, defaultTime, locale: context.locale };
}

function clockOf(text: string): Clock | undefined {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  return match ? checkedClock(Number(match[1]), Number(match[2])) : undefined;
}

function checkedClock(hour: number, minute: number): Clock | undefined {
  return hour <= 23 && minute <= 59 ? { hour, minute } : undefined;
}

function instant(at: Date, setting: Setting): When {
  return { ok: true, kind: 'instant', at, date: wallClock(at, setting.zone).date };
}

// ---------------------------------------------------------------------------------------------------------------
// Times of day: "9am", "18:30", "a las 6 de la tarde", "a la una y media", "noon", "por la noche"

type Part = 'morning' | 'afternoon' | 'evening';

const PART_TIMES: Record<Part, Clock> = {
  morning: { hour: 9, minute: 0 },
  afternoon: { hour: 15, minute: 0 },
  evening: { hour: 20, minute: 0 },
};

/** Phrases naming a part of the day, after a day or alone. */
const PARTS: Record<string, Part> = {
  morning: 'morning', 'in the morning': 'morning', 'por la manana': 'morning', 'en la manana': 'morning', 'a la manana': 'morning',
  afternoon: 'afternoon', 'in the afternoon': 'afternoon', 'por la tarde': 'afternoon', 'en la tarde': 'afternoon', 'a la tarde': 'afternoon',
  evening: 'evening', night: 'evening', 'in the evening': 'evening', 'at night': 'evening',
  'por la noche': 'evening', 'en la noche': 'evening', 'a la noche': 'evening',
};

/** A time of day; `nextDay` for midnight (the end of the day named); `loose` for an hour that could be p.m. */
interface TimeOfDay extends Clock {
  nextDay: boolean;
  loose: boolean;
}

const CLOCK = new RegExp(
  `^(at |@ ?|a las |a la |las )?(\\d{1,2}|${HOUR_WORD})(?:[:h](\\d{2}))?` +
    `(?: (y media|y cuarto|menos cuarto|en punto))?` +
    ` ?(am|pm|h|hs|hrs|horas|de la manana|de la tarde|de la noche|de la madrugada)?$`,
);

/** "H[:MM] [am|pm|h|de la tarde]", an hour in words after "a la(s)", noon, midnight. */
function clockTime(text: string): TimeOfDay | undefined {
  if (/^(?:(?:at|a|al) )?(?:noon|12 noon|midday|mediodia|medio dia)$/.test(text)) return { hour: 12, minute: 0, nextDay: false, loose: false };
  if (/^(?:(?:at|a|a la) )?(?:midnight|12 midnight|medianoche)$/.test(text)) return { hour: 0, minute: 0, nextDay: true, loose: false };
  const match = CLOCK.exec(text);
  if (!match) return undefined;
  const [, prefix, hourText, minuteText, fraction, suffix] = match;
  const digits = /^\d/.test(hourText!);
  // A number in words is an hour only after "a la(s)" ("a las nueve"); digits alone need a sign they are a time.
  if (!digits && !/^(a las|a la|las) $/.test(prefix ?? '')) return undefined;
  if (digits && !prefix && minuteText === undefined && !suffix && !fraction) return undefined;
  let hour = digits ? Number(hourText) : HOUR_WORDS[hourText!]!;
  let minute = minuteText === undefined ? 0 : Number(minuteText);
  if (fraction && minuteText !== undefined) return undefined;
  if (fraction === 'y media') minute = 30;
  if (fraction === 'y cuarto') minute = 15;
  if (fraction === 'menos cuarto') {
    hour = (hour + 23) % 24;
    minute = 45;
  }
  const meridiem = meridiemHour(hour, suffix);
  if (meridiem === undefined) return undefined;
  if (meridiem === 'midnight') return { hour: 0, minute, nextDay: true, loose: false };
  const clock = checkedClock(meridiem, minute);
  if (!clock) return undefined;
  // "at 9" could be 21:00 in the evening; "9pm", "09:00", "9 de la mañana" and "18h" say which.
  const loose = !suffix && !hourText!.startsWith('0') && clock.hour >= 1 && clock.hour <= 11;
  return { ...clock, nextDay: false, loose };
}

/** The 24-hour hour for "6 pm", "6 de la tarde", "12 de la noche" (midnight); undefined when it makes no sense. */
function meridiemHour(hour: number, suffix: string | undefined): number | 'midnight' | undefined {
  switch (suffix) {
    case 'am':
      return hour >= 1 && hour <= 12 ? hour % 12 : undefined;
    case 'pm':
      return hour >= 1 && hour <= 12 ? (hour % 12) + 12 : undefined;
    case 'de la madrugada':
      return hour >= 1 && hour <= 6 ? hour : undefined;
    case 'de la manana':
      return hour >= 1 && hour <= 11 ? hour : undefined;
    case 'de la tarde':
      return hour >= 1 && hour <= 11 ? hour + 12 : hour === 12 ? 12 : undefined;
    case 'de la noche':
      return hour >= 6 && hour <= 11 ? hour + 12 : hour === 12 ? 'midnight' : undefined;
    default:
      return hour;
  }
}

/** A clock time moved into a part of the day: "5" in the afternoon is 17:00; a clash ("morning at 6pm") is no time. */
function inPart(time: TimeOfDay, part: Part): TimeOfDay | undefined {
  if (time.nextDay) return part === 'evening' ? time : undefined;
  const hour = part !== 'morning' && time.loose ? time.hour + 12 : time.hour;
  const fits = part === 'morning' ? hour < 12 : part === 'afternoon' ? hour >= 12 && hour < 21 : hour >= 17;
  return fits ? { ...time, hour, loose: false } : undefined;
}

/** A time of day with an optional part: "9am", "por la tarde", "a las 5 de la tarde", "in the evening at 8". */
function timeOfDay(text: string, dayPart?: Part): TimeOfDay | undefined {
  const part = lookup(PARTS, text);
  if (part) return dayPart ? undefined : { ...PART_TIMES[part], nextDay: false, loose: false };
  for (const [phrase, named] of Object.entries(PARTS)) {
    const rest = text.startsWith(`${phrase} `) ? text.slice(phrase.length + 1) : text.endsWith(` ${phrase}`) ? text.slice(0, -phrase.length - 1) : undefined;
    if (rest === undefined || dayPart) continue;
    const time = clockTime(rest);
    if (time) return inPart(time, named);
  }
  const time = clockTime(text);
  return time && dayPart ? inPart(time, dayPart) : time;
}

// ---------------------------------------------------------------------------------------------------------------
// Days: "tomorrow", "el viernes", "Dec 5", "el 5 de diciembre de 2027", "end of month", "el primer lunes", "tonight"

type Day =
  | { date: string; part?: Part; byDuration?: boolean }
  | { weekday: number; part?: Part };

const TODAY_PARTS: Record<string, Part> = {
  tonight: 'evening', 'this evening': 'evening', 'esta noche': 'evening',
  'this morning': 'morning', 'esta manana': 'morning',
  'this afternoon': 'afternoon', 'esta tarde': 'afternoon',
};

const WEEKDAY = new RegExp(`^(?:(?:next|this|this coming|coming|proximo|este) )?(${WD})(?: (?:que viene|proximo))?$`);
const NTH_WEEKDAY = new RegExp(`^(?:the )?(${ORDINAL}) (${WD})(?: (?:of|de|del|in|en) (.+))?$`);
const DAY_MONTH = new RegExp(`^(?:(${WD}) )?(?:the )?(\\d{1,2})(?:st|nd|rd|th)?(?: of| de)? (${MONTH})(?: (?:de |del )?(\\d{4}))?$`);
const MONTH_DAY = new RegExp(`^(?:(${WD}) )?(${MONTH}) (\\d{1,2})(?:st|nd|rd|th)?(?: (?:de |del )?(\\d{4}))?$`);
const MONTH_YEAR = new RegExp(`^(${MONTH})(?: (?:de |del )?(\\d{4}))?$`);

function day(input: string, setting: Setting): Day | undefined {
  const { today } = setting;
  const text = input.replace(/^(?:on|el|for|by|para el|para) /, '');
  if (/^(?:today|hoy)$/.test(text)) return { date: today };
  if (/^(?:tomorrow|manana)$/.test(text)) return { date: addDays(today, 1) };
  if (/^(?:(?:the )?day after tomorrow|pasado manana)$/.test(text)) return { date: addDays(today, 2) };
  const todayPart = lookup(TODAY_PARTS, text);
  if (todayPart) return { date: today, part: todayPart };

  const weekday = WEEKDAY.exec(text);
  if (weekday) return { weekday: weekdays[weekday[1]!]! };

  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return realDate(text) ? { date: text } : undefined;

  const calendar = calendarDate(text, today);
  if (calendar !== undefined) return calendar ? { date: calendar } : undefined;

  const endOfMonth = /^(?:(?:at|by) )?(?:the )?end of (?:the |this )?(next )?month$/.exec(text) ??
    /^(?:a |al |para )?(?:fin|final) (?:de|del) (?:este )?mes( que viene| proximo)?$/.exec(text) ??
    /^(?:a |al |para )?(?:fin|final) del (proximo) mes$/.exec(text);
  if (endOfMonth) return { date: lastDayOfMonth(endOfMonth[1] ? firstOfNextMonth(today) : today) };

  const nth = NTH_WEEKDAY.exec(text);
  // Without a month, "the first monday" needs its article, and "last friday" is the past one: not ours.
  if (nth && !nth[3] && (ORDINALS[nth[1]!] === 'last' || !/^(?:on |para )?(?:the|el) /.test(input))) return undefined;
  if (nth) {
    const date = nthWeekday(ORDINALS[nth[1]!]!, weekdays[nth[2]!]!, nth[3], today);
    return date ? { date } : undefined;
  }

  const dayOfMonth = /^(?:the (\d{1,2})(?:st|nd|rd|th)|(\d{1,2})(?:st|nd|rd|th)|dia (\d{1,2}))$/.exec(text) ??
    (input.startsWith('el ') ? /^(\d{1,2})$/.exec(text) : null);
  if (dayOfMonth) {
    const date = nextDayOfMonth(Number(dayOfMonth.slice(1).find(Boolean)), today);
    return date ? { date } : undefined;
  }

  const calendarDays = durationDays(text, setting);
  if (calendarDays) return { date: calendarDays, byDuration: true };
  return undefined;
}

/**
 * "5 dec", "5th of december", "5 de diciembre de 2027", "dec 5", "agosto 23", with an optional weekday that must
 * agree ("viernes 4 de diciembre"). Undefined when it is not such a date; '' when it is one that does not exist.
 */
function calendarDate(text: string, today: string): string | '' | undefined {
  const dayMonth = DAY_MONTH.exec(text);
  const monthDay = MONTH_DAY.exec(text);
  if (!dayMonth && !monthDay) return undefined;
  const [weekdayText, dayText, monthText, yearText] = dayMonth
    ? [dayMonth[1], dayMonth[2], dayMonth[3], dayMonth[4]]
    : [monthDay![1], monthDay![3], monthDay![2], monthDay![4]];
  const month = String(MONTHS[monthText!]!).padStart(2, '0');
  const dd = dayText!.padStart(2, '0');
  const thisYear = Number(today.slice(0, 4));
  // Without a year: the first such date from today on (up to four years ahead, for 29 February).
  const candidates = yearText ? [`${yearText}-${month}-${dd}`] : [0, 1, 2, 3, 4].map((ahead) => `${thisYear + ahead}-${month}-${dd}`);
  const date = candidates.find((candidate) => realDate(candidate) && (yearText || candidate >= today));
  if (!date) return '';
  if (weekdayText !== undefined && weekdays[weekdayText] !== weekdayOf(date)) return '';
  return date;
}

function realDate(iso: string): boolean {
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso;
}

function lastDayOfMonth(isoDate: string): string {
  return `${isoDate.slice(0, 8)}${String(daysInMonth(isoDate)).padStart(2, '0')}`;
}

function firstOfNextMonth(isoDate: string): string {
  return addDays(lastDayOfMonth(isoDate), 1);
}

/** The next day-of-month `day` from `today` on (today included), in the first month that has it. */
function nextDayOfMonth(day: number, today: string): string | undefined {
  if (day < 1 || day > 31) return undefined;
  let month = `${today.slice(0, 8)}01`;
  for (let i = 0; i < 13; i++) {
    const candidate = `${month.slice(0, 8)}${String(day).padStart(2, '0')}`;
    if (day <= daysInMonth(month) && candidate >= today) return candidate;
    month = firstOfNextMonth(month);
  }
  return undefined;
}

/** "the first monday [of december | of next month | del mes que viene]". */
function nthWeekday(nth: 1 | 2 | 3 | 4 | 'last', weekday: number, monthText: string | undefined, today: string): string | undefined {
  const thisMonth = `${today.slice(0, 8)}01`;
  const inMonth = (first: string) => {
    const offset = (weekday - weekdayOf(first) + 7) % 7;
    if (nth !== 'last') return addDays(first, offset + 7 * (nth - 1));
    const last = lastDayOfMonth(first);
    return addDays(last, -((weekdayOf(last) - weekday + 7) % 7));
  };
  if (monthText === undefined) {
    const candidate = inMonth(thisMonth);
    return candidate >= today ? candidate : inMonth(firstOfNextMonth(thisMonth));
  }
  if (/^(?:the month|this month|el mes|este mes|mes)$/.test(monthText)) return inMonth(thisMonth);
  if (/^(?:the )?next month$|^(?:el )?(?:mes (?:que viene|proximo)|proximo mes)$/.test(monthText)) return inMonth(firstOfNextMonth(thisMonth));
  const named = MONTH_YEAR.exec(monthText);
  if (!named) return undefined;
  const month = String(MONTHS[named[1]!]!).padStart(2, '0');
  const thisYear = Number(today.slice(0, 4));
  if (named[2]) return inMonth(`${named[2]}-${month}-01`);
  const candidate = inMonth(`${thisYear}-${month}-01`);
  return candidate >= today ? candidate : inMonth(`${thisYear + 1}-${month}-01`);
}

// ---------------------------------------------------------------------------------------------------------------
// Durations: "in 10 minutes", "dentro de 2 horas", "en una hora y media", "in 1 hour and 30 minutes", "24h"

type Unit = 'minute' | 'hour' | 'day' | 'week' | 'month';

const UNITS: Record<string, Unit> = {
  m: 'minute', min: 'minute', mins: 'minute', minute: 'minute', minutes: 'minute', minuto: 'minute', minutos: 'minute',
  h: 'hour', hr: 'hour', hrs: 'hour', hour: 'hour', hours: 'hour', hora: 'hour', horas: 'hour',
  d: 'day', day: 'day', days: 'day', dia: 'day', dias: 'day',
  w: 'week', week: 'week', weeks: 'week', semana: 'week', semanas: 'week',
  month: 'month', months: 'month', mes: 'month', meses: 'month',
};
const UNIT = alternatives(Object.keys(UNITS));

const HALF = / (?:and a half|y media|y medio)$/;
const HALVES: Record<string, string> = {
  'half an hour': '30 minutes', 'media hora': '30 minutos', 'hora y media': '90 minutos',
  'a quarter of an hour': '15 minutes', 'quarter of an hour': '15 minutes', 'un cuarto de hora': '15 minutos',
};
// Digits may touch their unit ("24h"); words may not ("ahora" is no "a hora").
const TERM = new RegExp(`^(?:(\\d{1,4}) ?|(${NUMBER}) )(${UNIT})$`);

interface Span {
  months: number;
  days: number;
  milliseconds: number;
}

/** The terms of a duration without its "in" / "en" / "dentro de", or undefined. */
function span(text: string): Span | undefined {
  const total: Span = { months: 0, days: 0, milliseconds: 0 };
  const whole = lookup(HALVES, text);
  const half = !whole && HALF.test(text);
  const terms = (whole ?? text.replace(HALF, '')).split(/ (?:and|y) | (?=\d)/);
  for (const [index, part] of terms.entries()) {
    const match = TERM.exec(lookup(HALVES, part) ?? part);
    if (!match) return undefined;
    // "an hour and a half": the half is of the last term's unit.
    const amount = (match[1] ? Number(match[1]) : NUMBERS[match[2]!]!) * (half && index === terms.length - 1 ? 1.5 : 1);
    const unit = UNITS[match[3]!]!;
    if (!Number.isInteger(amount) && (unit === 'day' || unit === 'week' || unit === 'month')) return undefined;
    if (unit === 'minute') total.milliseconds += amount * 60_000;
    if (unit === 'hour') total.milliseconds += amount * 3_600_000;
    if (unit === 'day') total.days += amount;
    if (unit === 'week') total.days += amount * 7;
    if (unit === 'month') total.months += amount;
  }
  return total;
}

const DURATION_PREFIX = /^(?:in|en|dentro de|within) /;

function duration(text: string, setting: Setting): When | undefined {
  const spanned = span(text.replace(DURATION_PREFIX, ''));
  if (!spanned) return undefined;
  let base = setting.now.getTime();
  if (spanned.days || spanned.months) {
    const wall = wallClock(setting.now, setting.zone);
    const date = addMonths(addDays(wall.date, spanned.days), spanned.months);
    if (!date) return undefined;
    // Zone offsets are whole minutes, so the seconds carry over unchanged.
    base = zonedTime(date, wall.hour, wall.minute, setting.zone).getTime() + (base % 60_000);
  }
  return instant(new Date(base + spanned.milliseconds), setting);
}

/** "in 3 days" / "en una semana" as a day, for "en 2 días a las 9": calendar units only. */
function durationDays(text: string, setting: Setting): string | undefined {
  if (!DURATION_PREFIX.test(text)) return undefined;
  const spanned = span(text.replace(DURATION_PREFIX, ''));
  if (!spanned || spanned.milliseconds || (!spanned.days && !spanned.months)) return undefined;
  return addMonths(addDays(setting.today, spanned.days), spanned.months);
}

/** Months ahead, on the same day or the month's last ("Jan 31 + 1 month" is Feb 28); undefined past year 9999. */
function addMonths(isoDate: string, months: number): string | undefined {
  if (!months) return isoDate;
  const index = Number(isoDate.slice(0, 4)) * 12 + Number(isoDate.slice(5, 7)) - 1 + months;
  const year = Math.floor(index / 12);
  if (year > 9999) return undefined;
  const first = `${String(year).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}-01`;
  const day = Math.min(Number(isoDate.slice(8, 10)), daysInMonth(first));
  return `${first.slice(0, 8)}${String(day).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Moments: a day, a time of day, or both in either order

/** "<day>", "<time>", "<day> <time>" or "<time> <day>": every way to cut the words is tried. */
function moment(text: string, setting: Setting): When | undefined {
  const readings = new Map<string, When>();
  const add = (when: When | undefined) => {
    if (when?.ok && when.kind !== 'recurring') readings.set(`${when.kind}|${when.at.toISOString()}`, when);
  };
  const words = text.split(' ');
  for (let cut = 0; cut <= words.length; cut++) {
    const head = words.slice(0, cut).join(' ');
    const tail = words.slice(cut).join(' ');
    if (!head) {
      const time = timeOfDay(tail);
      if (time) add(resolveWith(undefined, time, setting));
      continue;
    }
    const first = day(head, setting);
    if (first && !tail) add(resolveWith(first, undefined, setting));
    const after = first && tail ? timeOfDay(tail, first.part) : undefined;
    if (first && after) add(resolveWith(first, after, setting));
    const second = tail ? day(tail, setting) : undefined;
    const before = second ? timeOfDay(head, second.part) : undefined;
    if (second && before) add(resolveWith(second, before, setting));
  }
  // Two different readings of the same words would be a guess.
  return readings.size === 1 ? [...readings.values()][0] : undefined;
}

/** A day and a time of day, each optional, as a reading; see the conventions at the top. */
function resolveWith(named: Day | undefined, time: TimeOfDay | undefined, setting: Setting): When | undefined {
  const clock = time ?? (named?.part ? { ...PART_TIMES[named.part], nextDay: false, loose: false } : undefined);
  if (named && 'date' in named && named.byDuration && !clock) return undefined;
  const at = (date: string) => {
    const { hour, minute } = clock ?? setting.defaultTime;
    return zonedTime(clock?.nextDay ? addDays(date, 1) : date, hour, minute, setting.zone);
  };
  if (named && 'date' in named) {
    return clock ? instant(at(named.date), setting) : { ok: true, kind: 'date', date: named.date, at: at(named.date) };
  }
  // A weekday, or a time alone: the first day from today whose moment is still ahead.
  for (let offset = 0; offset <= 7; offset++) {
    const date = addDays(setting.today, offset);
    if (named && weekdayOf(date) !== named.weekday) continue;
    if (!named && offset > 1) break;
    const moment = at(date);
    if (moment <= setting.now) continue;
    return clock ? instant(moment, setting) : { ok: true, kind: 'date', date, at: moment };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// ISO moments as date pickers send them: 2026-12-01T18:00:00Z, 2026-12-01T18:00-05:00, or 2026-12-01T18:00 (local)

function isoMoment(text: string, setting: Setting): When | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})t(\d{2}):(\d{2})(?::\d{2}(?:\.\d{1,3})?)?(z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!match || !realDate(match[1]!)) return undefined;
  const clock = checkedClock(Number(match[2]), Number(match[3]));
  if (!clock) return undefined;
  if (!match[4]) return instant(zonedTime(match[1]!, clock.hour, clock.minute, setting.zone), setting);
  const at = new Date(text.toUpperCase());
  return Number.isNaN(at.getTime()) ? undefined : instant(at, setting);
}

// ---------------------------------------------------------------------------------------------------------------
// Recurring: "every monday 9:00", "every weekday at 8", "cada lunes a las 9", "el primer día de cada mes"

/** A rule before its time of day is known. */
type Untimed<R> = R extends Recurrence ? Omit<R, 'time'> : never;

interface RuleReading {
  rule: Untimed<Recurrence>;
  part?: Part;
}

const EVERY_PART: Record<string, Part> = {
  'every morning': 'morning', 'each morning': 'morning', 'cada manana': 'morning', 'todas las mananas': 'morning',
  'every afternoon': 'afternoon', 'each afternoon': 'afternoon', 'cada tarde': 'afternoon', 'todas las tardes': 'afternoon',
  'every evening': 'evening', 'every night': 'evening', 'each evening': 'evening', 'cada noche': 'evening', 'todas las noches': 'evening',
};

const DAY_NUMBER = '(\\d{1,2})(?:st|nd|rd|th)?';
const MONTHLY = '(?:every month|each month|monthly|cada mes|todos los meses|mensualmente)';

const whole = (source: string) => new RegExp(`^${source}$`);
const WEEKLY = [
  whole(`(?:every|each|cada|every week on|weekly on|cada semana el|semanalmente el) ((?:${WD})(?:(?: and| y| e)? (?:${WD}))*)`),
  whole(`(?:on )?((?:${WD_PLURAL_EN})(?:(?: and)? (?:${WD_PLURAL_EN}))*)`),
  whole(`(?:todos )?los ((?:${WD_PLURAL_ES})(?:(?: y| e)? (?:los )?(?:${WD_PLURAL_ES}))*)`),
];
const MONTH_DAYS = [
  whole(`${MONTHLY} (?:on )?(?:the |el )?(?:dia )?${DAY_NUMBER}`),
  whole(`(?:on )?(?:the )?${DAY_NUMBER} (?:day )?of (?:every|each) month`),
  whole(`every (\\d{1,2})(?:st|nd|rd|th)(?: of the month)?`),
  whole(`(?:el )?(?:dia )?${DAY_NUMBER} de cada mes`),
  whole(`cada ${DAY_NUMBER} de mes`),
];
const FIRST_OR_LAST_DAYS = [
  whole(`(?:on )?(?:the )?(first|last)(?: day)? of (?:every|each) month`),
  whole(`${MONTHLY} on the (first|last)(?: day)?`),
  whole(`(?:el )?(primer|primero|ultimo) dia de cada mes`),
  whole(`(?:el )?(primero|ultimo) de cada mes`),
  whole(`${MONTHLY} el (primer|primero|ultimo)(?: dia)?`),
];
const MONTH_WEEKDAYS = [
  whole(`(?:every|each) (${ORDINAL}) (${WD})(?: of (?:the|every|each) month)?`),
  whole(`(?:on )?(?:the )?(${ORDINAL}) (${WD}) of (?:every|each) month`),
  whole(`${MONTHLY} on the (${ORDINAL}) (${WD})`),
  whole(`(?:el )?(${ORDINAL}) (${WD}) de cada mes`),
  whole(`cada (${ORDINAL}) (${WD}) (?:de|del) mes`),
  whole(`${MONTHLY} el (${ORDINAL}) (${WD})`),
];

function first(patterns: RegExp[], text: string): RegExpExecArray | undefined {
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    if (match) return match;
  }
  return undefined;
}

function ruleOf(text: string): RuleReading | undefined {
  if (/^(?:every ?day|each day|daily|cada dia|todos los dias|diariamente|a diario)$/.test(text)) return { rule: { kind: 'daily' } };
  const everyPart = lookup(EVERY_PART, text);
  if (everyPart) return { rule: { kind: 'daily' }, part: everyPart };
  if (
    /^(?:every (?:weekday|week day|work ?day|working day|business day)|(?:on )?weekdays|(?:every )?(?:monday|mon) (?:to|through|thru|-) (?:friday|fri)|mon-fri)$/.test(text) ||
    /^(?:cada dia (?:habil|laborable)|(?:todos )?los dias (?:habiles|laborables)|(?:todos los dias )?de lunes a viernes|entre semana)$/.test(text)
  ) {
    return { rule: { kind: 'weekly', days: WORKDAYS } };
  }

  const weekly = first(WEEKLY, text);
  if (weekly) {
    const names = weekly[1]!.split(' ').filter((word) => !['and', 'y', 'e', 'los'].includes(word));
    const days = [...new Set(names.map((name) => (weekdays[name] ?? PLURALS_EN[name] ?? PLURALS_ES[name]!) as Weekday))];
    return { rule: { kind: 'weekly', days: days.sort((a, b) => a - b) } };
  }

  const monthDay = first(MONTH_DAYS, text);
  if (monthDay) {
    const dayNumber = Number(monthDay[1]);
    return dayNumber >= 1 && dayNumber <= 31 ? { rule: { kind: 'monthly', day: dayNumber } } : undefined;
  }
  const firstOrLast = first(FIRST_OR_LAST_DAYS, text);
  if (firstOrLast) return { rule: { kind: 'monthly', day: /^(?:last|ultimo)$/.test(firstOrLast[1]!) ? 'last' : 1 } };

  const monthWeekday = first(MONTH_WEEKDAYS, text);
  if (monthWeekday) {
    return { rule: { kind: 'monthlyWeekday', nth: ORDINALS[monthWeekday[1]!]!, weekday: weekdays[monthWeekday[2]!]! as Weekday } };
  }
  return undefined;
}

/** "<rule> [<time>]" or "<time> <rule>"; midnight is refused, as it would move the rule's days. */
function recurring(text: string, setting: Setting): When | undefined {
  const words = text.split(' ');
  const readings = new Map<string, Recurrence>();
  for (let cut = 1; cut <= words.length; cut++) {
    const head = words.slice(0, cut).join(' ');
    const tail = words.slice(cut).join(' ');
    const orders: [string, string][] = tail ? [[head, tail], [tail, head]] : [[head, '']];
    for (const [ruleText, timeText] of orders) {
      const found = ruleOf(ruleText);
      if (!found) continue;
      const time = timeText ? timeOfDay(timeText, found.part) : undefined;
      if (timeText && (!time || time.nextDay)) continue;
      const clock = time ?? (found.part ? PART_TIMES[found.part] : setting.defaultTime);
      const rule = { ...found.rule, time: { hour: clock.hour, minute: clock.minute } } as Recurrence;
      readings.set(JSON.stringify(rule), rule);
    }
  }
  const [rule] = [...readings.values()];
  if (!rule || readings.size > 1) return undefined;
  const next = (after: Date) => nextOccurrence(rule, after, setting.zone);
  return { ok: true, kind: 'recurring', rule, at: next(setting.now), next };
}

// ---------------------------------------------------------------------------------------------------------------
// chrono-node, for what our grammar does not cover but chrono reads entirely

/** chrono's own parts of the day differ from ours (its "tonight" is 22:00): we read those, chrono does not. */
const CHRONO_PART_TAGS = ['morning', 'afternoon', 'evening', 'tonight', 'noon', 'midnight'].map((part) => `casualReference/${part}`);

/**
 * chrono takes any number for something ("10 friday" is Friday 10:00, "1 diciembre 13" is 2013): in its readings,
 * every number must say what it is: an ISO date, a clock (18:30, 5pm, 5 o'clock), a four-digit year, or one day of
 * the month beside a month name.
 */
function numbersExplained(text: string): boolean {
  const words = text.split(' ');
  const isMonth = (word: string | undefined) => word !== undefined && Object.hasOwn(MONTHS, word);
  let days = 0;
  for (const [index, word] of words.entries()) {
    if (!/\d/.test(word)) continue;
    if (/^\d{4}-\d{2}-\d{2}$|^\d{1,2}:\d{2}(?::\d{2})?(?:am|pm)?$|^(?:[1-9]|1[0-2])(?:am|pm)$|^\d{4}$/.test(word)) continue;
    const next = words[index + 1];
    if (/^(?:[1-9]|1[0-2])$/.test(word) && next !== undefined && /^(?:am|pm)$/.test(next)) continue;
    if (/^\d{1,2}$/.test(word) && next !== undefined && /^o['’]clock$/.test(next)) continue;
    const beside = [words[index - 1], next, ['de', 'of'].includes(next ?? '') ? words[index + 2] : undefined];
    if (/^\d{1,2}(?:st|nd|rd|th)?$/.test(word) && beside.some(isMonth) && ++days === 1) continue;
    return false;
  }
  return true;
}

function withChrono(raw: string, setting: Setting): When | undefined {
  // Weeks are ours ("every weekday", "in 2 weeks"); chrono reads "this weekend" as Saturday, "weekday" as tomorrow.
  if (/week|semana/i.test(raw) || !numbersExplained(normalize(raw))) return undefined;
  const parsers = setting.locale === 'es' ? [chronoEs.casual, chronoEn.casual] : [chronoEn.casual, chronoEs.casual];
  const wall = wallClock(setting.now, setting.zone);
  const [year, month, dayOfMonth] = wall.date.split('-').map(Number) as [number, number, number];
  // chrono reads in the process's zone: give it a reference whose local clock is the member's wall clock.
  const reference = new Date(year, month - 1, dayOfMonth, wall.hour, wall.minute, wall.second);
  for (const parser of parsers) {
    const results = parser.parse(raw, reference);
    const [result] = results;
    // Only one reading of the whole text counts: a half-understood date is worse than a clear error.
    if (results.length !== 1 || !result || result.index !== 0 || result.text.length !== raw.length || result.end) continue;
    const start = result.start;
    const tags = [...result.tags()];
    // Relative periods ("next week") are vague, and durations are ours; a zone named in the text is not supported;
    // "5/12" is the 5th of December to some members and May 12th to others.
    if (tags.includes('result/relativeDate') || tags.includes('parser/SlashDateFormatParser') || start.isCertain('timezoneOffset')) continue;
    if (!start.isCertain('day') && !start.isCertain('weekday')) continue;
    const date = `${String(start.get('year')).padStart(4, '0')}-${String(start.get('month')).padStart(2, '0')}-${String(start.get('day')).padStart(2, '0')}`;
    if (!realDate(date)) continue;
    if (start.isCertain('weekday') && start.isCertain('day') && start.get('weekday') !== weekdayOf(date)) continue;
    // Coming weekdays are ours ("next friday" is the coming one; chrono's is a week later, its "pasado lunes" the
    // coming one): chrono reads only past ones said as past ("last friday"), which callers refuse as past.
    if (start.isCertain('weekday') && !start.isCertain('day') && (date >= setting.today || !/\b(?:last|past|pasado|anterior)\b/i.test(raw))) continue;
    if (tags.some((tag) => CHRONO_PART_TAGS.includes(tag))) continue;
    if (start.isCertain('hour')) {
      const clock = checkedClock(start.get('hour') ?? 0, start.get('minute') ?? 0);
      if (clock) return instant(zonedTime(date, clock.hour, clock.minute, setting.zone), setting);
      continue;
    }
    const { hour, minute } = setting.defaultTime;
    return { ok: true, kind: 'date', date, at: zonedTime(date, hour, minute, setting.zone) };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Refusing what is not understood

/** What a command expects: a day (task due dates), a moment (deadlines, reminders) or a recurring time (digests). */
export type TimeUse = 'day' | 'moment' | 'recurring';

/** The member's error for time text we do not read, with examples of what we do, in their language. */
export function timeNotUnderstood(input: string, use: TimeUse): UserError {
  return new UserError('error.timeNotUnderstood', { input: unquote(input), examples: phrase(`time.examples.${use}`) });
}
