// Translation: picks a message from the catalogs, fills its {placeholders}, and decides which language a person gets.
import { en, type MessageKey } from './en.js';
import { es } from './es.js';

export type { MessageKey };
export type Locale = 'en' | 'es';
export type MessageParams = Record<string, string | number>;

export const locales: readonly Locale[] = ['en', 'es'];
const catalogs: Record<Locale, Record<MessageKey, string>> = { en, es };

export function t(locale: Locale, key: MessageKey, params: MessageParams = {}): string {
  return catalogs[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
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
