// The catalogs: both languages have every message with the same placeholders; language choice follows the rules.
import { describe, expect, it } from 'vitest';
import { en } from '../src/i18n/en.js';
import { es } from '../src/i18n/es.js';
import { allianceLocale, localeFromPlatform, memberLocale, t } from '../src/i18n/index.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogs', () => {
  it('GIVEN the English catalog THEN Spanish has exactly its keys', () => {
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
  });
  it.each(Object.keys(en) as (keyof typeof en)[])('GIVEN %s THEN both languages use the same placeholders', (key) => {
    expect(placeholders(es[key])).toEqual(placeholders(en[key]));
    expect(es[key].trim()).not.toBe('');
  });
  it('GIVEN params THEN they fill the placeholders', () => {
    expect(t('es', 'task.added', { number: 3, title: 'Pancartas' })).toBe('Tarea #3 creada: Pancartas');
  });
});

describe('choosing a language', () => {
  it.each([
    ['es-ES', 'es'],
    ['es-419', 'es'],
    ['en_US', 'en'],
    ['es_PE.UTF-8', 'es'],
    ['fr', undefined],
    [undefined, undefined],
  ])('GIVEN the platform reports %s THEN it maps to %s', (reported, locale) => {
    expect(localeFromPlatform(reported)).toBe(locale);
  });

  it('GIVEN a member\'s own choice THEN it wins over the platform and the alliance', () => {
    expect(memberLocale({ locale: 'en', platformLocale: 'es-ES' }, { locale: 'es' }, 'es')).toBe('en');
  });
  it('GIVEN no own choice THEN the platform\'s locale, then the alliance\'s, then the default', () => {
    expect(memberLocale({ locale: null, platformLocale: 'es-419' }, { locale: 'en' }, 'en')).toBe('es');
    expect(memberLocale({ locale: null, platformLocale: null }, { locale: 'es' }, 'en')).toBe('es');
    expect(memberLocale({ locale: null, platformLocale: 'de' }, { locale: null }, 'es')).toBe('es');
  });
  it('GIVEN a channel post THEN the alliance\'s language is used', () => {
    expect(allianceLocale({ locale: 'es' }, 'en')).toBe('es');
    expect(allianceLocale({ locale: null }, 'en')).toBe('en');
  });
});
