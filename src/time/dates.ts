// Calendar dates as ISO strings (YYYY-MM-DD): today in a time zone, day arithmetic, weekday names in both languages, and display.
import type { Locale } from '../i18n/index.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Building an Intl.DateTimeFormat is costly (it showed in profiles of busy commands); the few we need are kept. */
export function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, format);
  }
  return format;
}

/** Today's date in a time zone, as YYYY-MM-DD. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  // Every command asks, and formatting costs more than the rest of a short command's rendering. Zones differ from UTC by
  // whole minutes, so a day starts on a minute of UTC: within one minute, the answer for a zone stays the same.
  const minute = Math.floor(now.getTime() / 60_000);
  const known = todays.get(timeZone);
  if (known?.minute === minute) return known.date;
  // en-CA formats dates as YYYY-MM-DD.
  const date = formatter('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  todays.set(timeZone, { minute, date });
  return date;
}

const todays = new Map<string, { minute: number; date: string }>();

export function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(isoDate: string): number {
  return new Date(`${isoDate}T00:00:00Z`).getUTCDay();
}

/** Strips accents and case so `Mañana`, `mañana` and `manana` are one word. */
export function fold(word: string): string {
  return word.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

/** Weekday names and their short forms in both languages, folded; 0 = Sunday. */
export const weekdays: Record<string, number> = {
  sunday: 0, sun: 0, domingo: 0, dom: 0,
  monday: 1, mon: 1, lunes: 1, lun: 1,
  tuesday: 2, tue: 2, martes: 2, mar: 2,
  wednesday: 3, wed: 3, miercoles: 3, mie: 3,
  thursday: 4, thu: 4, jueves: 4, jue: 4,
  friday: 5, fri: 5, viernes: 5, vie: 5,
  saturday: 6, sat: 6, sabado: 6, sab: 6,
};

/** A date as a person reads it: "Tue, Dec 15" / "mar, 15 dic", with the year when it is not this year's. */
export function formatDate(isoDate: string, locale: Locale, today?: string): string {
  const sameYear = today !== undefined && today.slice(0, 4) === isoDate.slice(0, 4);
  // A list shows the same few days again and again, on every command: each formatted once (a pure function of these three).
  const key = `${isoDate}|${locale}|${sameYear}`;
  let shown = formattedDates.get(key);
  if (shown === undefined) {
    if (formattedDates.size >= FORMATTED_DATES_MAX) formattedDates.clear();
    shown = formatter(locale, {
      timeZone: 'UTC',
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      ...(sameYear ? {} : { year: 'numeric' }),
    }).format(new Date(`${isoDate}T00:00:00Z`));
    formattedDates.set(key, shown);
  }
  return shown;
}

const formattedDates = new Map<string, string>();
const FORMATTED_DATES_MAX = 5_000;
