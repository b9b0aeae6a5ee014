// The digest commands, table-driven in both languages: every subcommand, the schedule kept as typed, `--lang` anywhere, every error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Command } from '../src/commands/command.js';
import { parseCommand } from '../src/commands/parse.js';
import { UserError } from '../src/errors.js';
import { FIXED_NOW } from './support/core.js';
import { parseTable, type ErrorCase, type ParseCase } from './support/parse-table.js';

const context = { now: FIXED_NOW, timeZone: 'America/Lima' };

const on = (when?: string, locale?: 'en' | 'es'): Command => ({ kind: 'digest.on', ...(when && { when }), ...(locale && { locale }) });

const parses: ParseCase[] = [
  // This channel's subscription
  ['digest', { kind: 'digest.show' }],
  ['/minga digest', { kind: 'digest.show' }],
  ['resumen', { kind: 'digest.show' }],
  ['Resumen estado', { kind: 'digest.show' }],
  ['digest status', { kind: 'digest.show' }],
  // Subscribing, with the schedule as typed
  ['digest on', on()],
  ['digest subscribe', on()],
  ['digest enable', on()],
  ['DIGEST ON', on()],
  ['digest on friday 17:00', on('friday 17:00')],
  ['digest on every friday 17:00', on('every friday 17:00')],
  ['digest on 17:00', on('17:00')],
  ['digest on "every monday at 8"', on('"every monday at 8"')],
  ['resumen activar', on()],
  ['resumen suscribir', on()],
  ['resumen activar el viernes a las 17', on('el viernes a las 17')],
  ['resumen activar cada viernes a las 17', on('cada viernes a las 17')],
  ['resumen activar a las 17', on('a las 17')],
  ['resúmen ACTIVAR miércoles 8:30', on('miércoles 8:30')],
  // The language, anywhere after on/activar, in any of its spellings
  ['digest on --lang es', on(undefined, 'es')],
  ['digest on --lang=en', on(undefined, 'en')],
  ['digest on —lang es', on(undefined, 'es')],
  ['digest on --lang es friday 17:00', on('friday 17:00', 'es')],
  ['digest on friday 17:00 --lang spanish', on('friday 17:00', 'es')],
  ['digest on friday --lang es 17:00', on('friday 17:00', 'es')],
  ['digest on --language english every monday 9:00', on('every monday 9:00', 'en')],
  ['resumen activar --idioma en', on(undefined, 'en')],
  ['resumen activar el viernes a las 17 --idioma español', on('el viernes a las 17', 'es')],
  ['resumen activar --IDIOMA Inglés cada lunes', on('cada lunes', 'en')],
  ['resumen activar --idioma=es', on(undefined, 'es')],
  // Stopping, posting now, previewing
  ['digest off', { kind: 'digest.off' }],
  ['digest unsubscribe', { kind: 'digest.off' }],
  ['resumen desactivar', { kind: 'digest.off' }],
  ['digest now', { kind: 'digest.now' }],
  ['resumen ahora', { kind: 'digest.now' }],
  ['digest preview', { kind: 'digest.preview' }],
  ['resumen vista previa', { kind: 'digest.preview' }],
  ['resumen previa', { kind: 'digest.preview' }],
  ['Resumen Vista Previa', { kind: 'digest.preview' }],
];

const errors: ErrorCase[] = [
  ['digest dance', 'error.unknownCommand', { input: 'digest dance' }],
  ['resumen bailar', 'error.unknownCommand', { input: 'resumen bailar' }],
  ['digest vista', 'error.unknownCommand', { input: 'digest vista' }],
  ['digest off now', 'error.unexpectedInput', { input: 'now' }],
  ['resumen ahora mismo', 'error.unexpectedInput', { input: 'mismo' }],
  ['resumen vista previa ya', 'error.unexpectedInput', { input: 'ya' }],
  ['digest status please', 'error.unexpectedInput', { input: 'please' }],
  ['digest off --lang es', 'error.unexpectedInput', { input: '--lang es' }],
  ['digest on --lang fr', 'error.langInvalid', { input: 'fr' }],
  ['digest on --lang=Klingon', 'error.langInvalid', { input: 'Klingon' }],
  ['resumen activar --idioma francés', 'error.langInvalid', { input: 'francés' }],
  ['digest on --lang constructor', 'error.langInvalid', { input: 'constructor' }],
  ['digest on --lang', 'error.langInvalid', { input: '' }],
  ['digest on --lang --lang es', 'error.langInvalid', { input: '' }],
  ['digest on friday --loud', 'error.unexpectedInput', { input: '--loud' }],
  ['digest on ' + 'friday '.repeat(40), 'error.timeNotUnderstood', { input: 'friday friday friday friday friday friday…', examples: { phrase: 'digest.examples' } }],
];

describe('parseCommand: digests', () => {
  parseTable(context, parses, errors);
});

describe('the digest parser against any input', () => {
  const vocabulary = [
    ...'digest resumen on off now preview activar desactivar ahora vista previa suscribir subscribe status estado'.split(' '),
    ...'--lang --idioma --lang= --idioma=es —lang es en spanish español fr -- — = " “ ”'.split(' '),
    ...'every cada friday viernes monday lunes el a las at 17:00 9am 8:30 tomorrow mañana'.split(' '),
  ];
  const word = fc.oneof(fc.constantFrom(...vocabulary), fc.string({ maxLength: 4 }));
  const line = fc
    .tuple(fc.constantFrom('digest ', 'resumen ', 'digest on ', 'resumen activar ', '/minga digest '), fc.array(word, { maxLength: 30 }))
    .map(([prefix, words]) => prefix + words.join(' '));

  it('GIVEN our own words and noise in any order THEN it returns a command or a user error, and never throws', () => {
    fc.assert(
      fc.property(line, (input) => {
        const result = parseCommand(input, context);
        if (!result.ok) {
          expect(result.error).toBeInstanceOf(UserError);
          return;
        }
        // Whatever it understood as a schedule is words the person typed, in their order.
        if (result.command.kind === 'digest.on' && result.command.when) {
          for (const piece of result.command.when.split(' ')) expect(input).toContain(piece);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
