// Translation: picks a message from the catalogs, fills its {placeholders}, and decides which language a person gets.
import { en, type MessageKey } from './en.js';
import { es } from './es.js';

export type { MessageKey };
export type Locale = 'en' | 'es';
export type MessageParams = Record<string, string | number>;

export const locales: readonly Locale[] = ['en', 'es'];
const catalogs: Record<Locale, Record<MessageKey, string>> = { en, es };

export function t(locale: Locale, key: MessageKey, params: MessageParams = {}): string {
  const parts = partsOf(catalogs[locale][key]);
  if (parts.length === 1) return parts[0]!;
  let text = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i]!;
    text += (name in params ? String(params[name]) : `{${name}}`) + parts[i + 1]!;
  }
  return text;
}

/** Each message split once at its placeholders: text, name, text, … (every reply line is a message; most have none). */
const split = new Map<string, string[]>();

function partsOf(message: string): string[] {
  let parts = split.get(message);
  if (!parts) split.set(message, (parts = message.split(/\{(\w+)\}/)));
  return parts;
}

export function isLocale(value: unknown): value is Locale {
  return value === 'en' || value === 'es';
}

/** Maps what a platform reports (`es-ES`, `es-419`, `en_US`, `es`) to a language we speak, or undefined. */
export function localeFromPlatform(reported: string | null | undefined): Locale | undefined {
  const language = reported?.toLowerCase().split(/[-_]/)[0];
  return isLocale(language) ? language : undefined;
}

/** A member's language: their own choice, else what their platform reports, else the alliance's, else the deployment's. */
export function memberLocale(
  member: { locale: string | null; platformLocale: string | null },
  alliance: { locale: string | null },
  fallback: Locale,
): Locale {
  return (
    localeFromPlatform(member.locale) ??
    localeFromPlatform(member.platformLocale) ??
    localeFromPlatform(alliance.locale) ??
    fallback
  );
}

/** The language of what is posted for everyone in a channel: the alliance's, else the deployment's. */
export function allianceLocale(alliance: { locale: string | null }, fallback: Locale): Locale {
  return localeFromPlatform(alliance.locale) ?? fallback;
}
