// Moments in time from what people write, in English or Spanish, in their own time zone: "tomorrow 18:00", "el viernes a las 6 de la tarde", "in 2 hours".
import * as chrono from 'chrono-node';
import { addDays, fold, formatter, parseDateWord, todayIn } from './dates.js';

export interface WhenContext {
  now: Date;
  timeZone: string;
  /** The time of day for a date said without one, e.g. "23:59" so "friday" means until the end of Friday. */
  defaultTime: string;
}

const units: [RegExp, number][] = [
  [/^(m|min|mins|minute|minutes|minuto|minutos)$/, 60_000],
  [/^(h|hr|hrs|hour|hours|hora|horas)$/, 3_600_000],
  [/^(d|day|days|dia|dias)$/, 86_400_000],
  [/^(w|week|weeks|semana|semanas)$/, 604_800_000],
];

const months: Record<string, number> = {
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

/** A moment from text, or undefined when we cannot tell. Dates without a time take `defaultTime`. */
export function parseWhen(input: string, context: WhenContext): Date | undefined {
  const text = fold(input).replace(/[,.]+$/, '').replace(/\s+/g, ' ').trim();
  if (!text) return undefined;
  return duration(text, context.now) ?? dateAndTime(text, context) ?? withChrono(input, context);
}

/** "in 2 hours", "en 3 días", "dentro de 1 semana", "24h". */
function duration(text: string, now: Date): Date | undefined {
  const match = /^(?:in |en |dentro de )?(\d{1,4}) ?([a-z]+)$/.exec(text);
  if (!match) return undefined;
  const unit = units.find(([pattern]) => pattern.test(match[2]!));
  return unit ? new Date(now.getTime() + Number(match[1]) * unit[1]) : undefined;
}

/** "<date> [at <time>]" with our own date words, because chrono's Spanish has gaps ("pasado mañana", "6 de la tarde"). */
function dateAndTime(text: string, context: WhenContext): Date | undefined {
  const timeMatch = /(?:^| )(?:(?:at|a las|a la|@) )?(\d{1,2})(?::(\d{2}))? ?(am|pm|h|hs|de la manana|de la tarde|de la noche)?$/.exec(text);
  let datePart = text;
  let time: { hour: number; minute: number } | undefined;
  if (timeMatch && (timeMatch[2] !== undefined || timeMatch[3] !== undefined || /(at|a las|a la|@) \d/.test(timeMatch[0]))) {
    time = clockTime(Number(timeMatch[1]), Number(timeMatch[2] ?? 0), timeMatch[3]);
    if (!time) return undefined;
    datePart = text.slice(0, timeMatch.index).trim();
  }
  const today = todayIn(context.timeZone, context.now);
  const day = datePart ? dateWords(datePart, today) : today;
  if (!day) return undefined;
  const { hour, minute } = time ?? parseClock(context.defaultTime);
  let moment = zonedTime(day, hour, minute, context.timeZone);
  // A bare time already past today means tomorrow ("at 9" said at 10).
  if (!datePart && moment <= context.now) moment = zonedTime(addDays(day, 1), hour, minute, context.timeZone);
  return moment;
}

function dateWords(text: string, today: string): string | undefined {
  const words = text.replace(/^(on|the|el|la|next|el proximo|el próximo|proximo) /, '');
  if (words === 'pasado manana' || words === 'day after tomorrow') return addDays(today, 2);
  const single = parseDateWord(words, today);
  if (single) return single;
  const dayMonth = /^(\d{1,2}) (?:de )?([a-z]+)(?: (?:de )?(\d{4}))?$/.exec(words);
  const monthDay = /^([a-z]+) (\d{1,2})(?:,? (\d{4}))?$/.exec(words);
  const [dayText, monthText, yearText] = dayMonth
    ? [dayMonth[1], dayMonth[2], dayMonth[3]]
    : monthDay
      ? [monthDay[2], monthDay[1], monthDay[3]]
      : [];
  const month = monthText ? months[monthText] : undefined;
  if (!month || !dayText) return undefined;
  const thisYear = Number(today.slice(0, 4));
  for (const year of yearText ? [Number(yearText)] : [thisYear, thisYear + 1]) {
    const iso = `${year}-${String(month).padStart(2, '0')}-${dayText.padStart(2, '0')}`;
    const date = parseDateWord(iso, today);
    if (date && (yearText || date >= today)) return date;
  }
  return undefined;
}

function clockTime(hour: number, minute: number, suffix: string | undefined): { hour: number; minute: number } | undefined {
  let h = hour;
  if (suffix === 'pm' || suffix === 'de la tarde' || suffix === 'de la noche') h = hour === 12 ? 12 : hour + 12;
  if (suffix === 'am' || suffix === 'de la manana') h = hour === 12 ? 0 : hour;
  if (h > 23 || minute > 59) return undefined;
  return { hour: h, minute };
}

function parseClock(text: string): { hour: number; minute: number } {
  const [hour = 0, minute = 0] = text.split(':').map(Number);
  return { hour, minute };
}

/** Whatever chrono understands beyond our own forms, read as wall-clock time in the member's zone. */
function withChrono(input: string, context: WhenContext): Date | undefined {
  const reference = { instant: context.now, timezone: offsetMinutes(context.timeZone, context.now) };
  for (const parser of [chrono.en, chrono.es]) {
    const [result] = parser.parse(input, reference, { forwardDate: true });
    // Only a reading of the whole text counts: a half-understood date is worse than a clear error.
    if (!result || result.text.trim().length < input.trim().length) continue;
    const start = result.start;
    const day = `${start.get('year')}-${String(start.get('month')).padStart(2, '0')}-${String(start.get('day')).padStart(2, '0')}`;
    const { hour, minute } = start.isCertain('hour')
      ? { hour: start.get('hour') ?? 0, minute: start.get('minute') ?? 0 }
      : parseClock(context.defaultTime);
    return zonedTime(day, hour, minute, context.timeZone);
  }
  return undefined;
}

/** The instant when the wall clock in `timeZone` shows `isoDate hour:minute`. */
export function zonedTime(isoDate: string, hour: number, minute: number, timeZone: string): Date {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  let instant = asUtc - offsetMinutes(timeZone, new Date(asUtc)) * 60_000;
  // Near a daylight-saving change the offset at the result may differ from the first guess.
  instant = asUtc - offsetMinutes(timeZone, new Date(instant)) * 60_000;
  return new Date(instant);
}

/** Minutes the zone is ahead of UTC at that instant (Lima: -300). */
export function offsetMinutes(timeZone: string, at: Date): number {
  const parts = Object.fromEntries(
    formatter('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    })
      .formatToParts(at)
      .map((part) => [part.type, Number(part.value)]),
  );
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!);
  return Math.round((wall - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/** A moment as a person reads it in their zone and language: "Fri, Nov 27, 18:00". */
export function formatMoment(at: Date, locale: 'en' | 'es', timeZone: string): string {
  return formatter(locale, {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}
