// Posting everywhere in the command language, in both languages: `poll … --everywhere`, `propuesta … --en-todas-partes`, `remind everywhere …`, `recordar en todas partes …`.
import { describe } from 'vitest';
import type { Command } from '../src/commands/command.js';
import { FIXED_NOW } from './support/core.js';
import { parseTable, type ErrorCase, type ParseCase } from './support/parse-table.js';

// Friday 27 November 2026, 07:00 in Bogotá.
const context = { now: FIXED_NOW, timeZone: 'America/Bogota' };

type PollCreate = Extract<Command, { kind: 'poll.create' }>;
const poll = (question: string, options: string[], extra: Partial<PollCreate> = {}): PollCreate => ({
  kind: 'poll.create',
  pollKind: 'choice',
  question,
  options,
  maxChoices: 1,
  anonymous: false,
  hideResults: false,
  ...extra,
});
const proposal = (question: string, extra: Partial<PollCreate> = {}): PollCreate => ({
  ...poll(question, [], extra),
  pollKind: 'proposal',
});
const everywhere = (when: string, text: string): Command => ({ kind: 'reminder.create', target: { kind: 'everywhere' }, when, text });

const parses: ParseCase[] = [
  ['poll "Where?" "Lima" "Cusco" --everywhere', poll('Where?', ['Lima', 'Cusco'], { everywhere: true })],
  ['encuesta "¿Dónde?" "Lima" "Cusco" --en-todas-partes', poll('¿Dónde?', ['Lima', 'Cusco'], { everywhere: true })],
  ['encuesta --todas-partes "¿Dónde?" "Lima" "Cusco" --anonima', poll('¿Dónde?', ['Lima', 'Cusco'], { everywhere: true, anonymous: true })],
  ['poll "Where?" "Lima" "Cusco" --closes tomorrow 18:00 --everywhere', poll('Where?', ['Lima', 'Cusco'], { everywhere: true, closes: 'tomorrow 18:00' })],
  ['proposal "We sign the letter" --everywhere', proposal('We sign the letter', { everywhere: true })],
  ['propuesta "Firmamos la carta" --en-todas-partes --cierra el viernes', proposal('Firmamos la carta', { everywhere: true, closes: 'el viernes' })],
  // Without the flag nothing changes.
  ['poll "Where?" "Lima" "Cusco"', poll('Where?', ['Lima', 'Cusco'])],
  ['remind everywhere in 10 minutes Assembly call', everywhere('in 10 minutes', 'Assembly call')],
  ['remind everywhere to send the minutes friday 15:00', everywhere('friday 15:00', 'send the minutes')],
  ['recordar en todas partes mañana a las 9 asamblea general', everywhere('mañana a las 9', 'asamblea general')],
  ['recordar a en todas partes cada lunes a las 9 reunión semanal', everywhere('cada lunes a las 9', 'reunión semanal')],
  ['recordatorio nuevo en-todas-partes mañana a las 9 asamblea', everywhere('mañana a las 9', 'asamblea')],
  ['avisar en todas partes el viernes a las 18 "Cierre de la campaña"', everywhere('el viernes a las 18', 'Cierre de la campaña')],
];

const errors: ErrorCase[] = [
  ['poll "Where?" "Lima" "Cusco" --everywere', 'error.pollFlagUnknown', { input: '--everywere' }],
  ['remind everywhere', 'error.reminderWhenMissing'],
  ['remind everywhere tomorrow 9am', 'error.reminderTextMissing'],
  // "en todas" is not "en todas partes": no target.
  ['recordar en todas mañana a las 9 asamblea', 'error.reminderTargetInvalid', { input: 'en' }],
];

describe('posting everywhere in the command language', () => {
  parseTable(context, parses, errors);
});
