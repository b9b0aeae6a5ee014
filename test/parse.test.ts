// The command language, table-driven in both languages: every command form and every error a user can cause.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTable, type ErrorCase, type ParseCase } from './support/parse-table.js';
import { parseCommand, parseMention } from '../src/commands/parse.js';
import { UserError } from '../src/errors.js';
import { FIXED_NOW } from './support/core.js';

// Friday 27 November 2026, noon, for a member in UTC.
const context = { now: FIXED_NOW, timeZone: 'UTC' };

const parses: ParseCase[] = [
  ['', { kind: 'help' }],
  ['help', { kind: 'help' }],
  ['ayuda', { kind: 'help' }],
  ['/minga help', { kind: 'help' }],
  ['/minga ayuda', { kind: 'help' }],
  ['  HELP  ', { kind: 'help' }],
  ['lang', { kind: 'lang.show' }],
  ['idioma', { kind: 'lang.show' }],
  ['lang es', { kind: 'lang.set', scope: 'member', locale: 'es' }],
  ['idioma en', { kind: 'lang.set', scope: 'member', locale: 'en' }],
  ['idioma español', { kind: 'lang.set', scope: 'member', locale: 'es' }],
  ['lang alliance es', { kind: 'lang.set', scope: 'alliance', locale: 'es' }],
  ['idioma alianza en', { kind: 'lang.set', scope: 'alliance', locale: 'en' }],
  ['task add Buy banners for the march', { kind: 'task.add', title: 'Buy banners for the march' }],
  ['tarea nueva Comprar pancartas', { kind: 'task.add', title: 'Comprar pancartas' }],
  ['task add Buy banners due 2026-12-01', { kind: 'task.add', title: 'Buy banners', dueOn: '2026-12-01' }],
  ['task add Call the press due today', { kind: 'task.add', title: 'Call the press', dueOn: '2026-11-27' }],
  ['task add Call the press due tomorrow', { kind: 'task.add', title: 'Call the press', dueOn: '2026-11-28' }],
  ['task add Call the press due on monday', { kind: 'task.add', title: 'Call the press', dueOn: '2026-11-30' }],
  ['task add Call the press by friday', { kind: 'task.add', title: 'Call the press', dueOn: '2026-11-27' }],
  ['tarea nueva Llamar a la prensa para hoy', { kind: 'task.add', title: 'Llamar a la prensa', dueOn: '2026-11-27' }],
  ['tarea nueva Llamar a la prensa para mañana', { kind: 'task.add', title: 'Llamar a la prensa', dueOn: '2026-11-28' }],
  ['tarea nueva Llamar a la prensa para manana', { kind: 'task.add', title: 'Llamar a la prensa', dueOn: '2026-11-28' }],
  ['tarea nueva Llamar a la prensa para el miércoles', { kind: 'task.add', title: 'Llamar a la prensa', dueOn: '2026-12-02' }],
  ['tarea nueva Llamar a la prensa vence el sábado', { kind: 'task.add', title: 'Llamar a la prensa', dueOn: '2026-11-28' }],
  ['tarea nueva Comprar pancartas para la marcha', { kind: 'task.add', title: 'Comprar pancartas para la marcha' }],
  [
    'task add Print flyers @maria due 2026-12-01',
    { kind: 'task.add', title: 'Print flyers', assignee: { kind: 'member', member: { userId: 'maria', name: 'maria' } }, dueOn: '2026-12-01' },
  ],
  [
    'task add Print flyers due 2026-12-01 <@U024BE7LH|bob>',
    { kind: 'task.add', title: 'Print flyers', assignee: { kind: 'member', member: { userId: 'U024BE7LH', name: 'bob' } }, dueOn: '2026-12-01' },
  ],
  ['task add Print flyers <@U024BE7LH>', { kind: 'task.add', title: 'Print flyers', assignee: { kind: 'member', member: { userId: 'U024BE7LH' } } }],
  ['task add Print flyers <@!80351110224678912>', { kind: 'task.add', title: 'Print flyers', assignee: { kind: 'member', member: { userId: '80351110224678912' } } }],
  ['tarea nueva Imprimir volantes org:fdh', { kind: 'task.add', title: 'Imprimir volantes', assignee: { kind: 'organization', slug: 'fdh' } }],
  ['task add "Review the letter" org:FDH', { kind: 'task.add', title: 'Review the letter', assignee: { kind: 'organization', slug: 'fdh' } }],
  ['task add', { kind: 'task.form' }],
  ['tarea nueva', { kind: 'task.form' }],
  ['task list', { kind: 'task.list', filter: 'open' }],
  ['task', { kind: 'task.list', filter: 'open' }],
  ['tasks', { kind: 'task.list', filter: 'open' }],
  ['tareas', { kind: 'task.list', filter: 'open' }],
  ['task list mine', { kind: 'task.list', filter: 'mine' }],
  ['task list overdue', { kind: 'task.list', filter: 'overdue' }],
  ['task list all', { kind: 'task.list', filter: 'all' }],
  ['tareas mías', { kind: 'task.list', filter: 'mine' }],
  ['tareas vencidas', { kind: 'task.list', filter: 'overdue' }],
  ['tareas todas', { kind: 'task.list', filter: 'all' }],
  ['tarea lista mias', { kind: 'task.list', filter: 'mine' }],
  ['task done 3', { kind: 'task.done', task: { number: 3 } }],
  ['task done #3', { kind: 'task.done', task: { number: 3 } }],
  ['tarea hecha 3', { kind: 'task.done', task: { number: 3 } }],
  ['task reopen 3', { kind: 'task.reopen', task: { number: 3 } }],
  ['tarea reabrir 3', { kind: 'task.reopen', task: { number: 3 } }],
  ['task delete 3', { kind: 'task.delete', task: { number: 3 } }],
  ['tarea borrar 3', { kind: 'task.delete', task: { number: 3 } }],
  ['task reminders', { kind: 'task.reminders' }],
  ['task reminders off', { kind: 'task.reminders', enabled: false }],
  ['task reminders on', { kind: 'task.reminders', enabled: true }],
  ['tarea recordatorios', { kind: 'task.reminders' }],
  ['tarea recordatorios desactivar', { kind: 'task.reminders', enabled: false }],
  ['tarea recordatorios activar', { kind: 'task.reminders', enabled: true }],
  ['task assign 3 @ana', { kind: 'task.assign', task: { number: 3 }, assignee: { kind: 'member', member: { userId: 'ana', name: 'ana' } } }],
  ['tarea asignar 3 org:fdh', { kind: 'task.assign', task: { number: 3 }, assignee: { kind: 'organization', slug: 'fdh' } }],
  ['org add fdh Fundación Derechos Humanos', { kind: 'org.add', slug: 'fdh', name: 'Fundación Derechos Humanos' }],
  ['org nueva fdh "Fundación DDHH"', { kind: 'org.add', slug: 'fdh', name: 'Fundación DDHH' }],
  ['org', { kind: 'org.list' }],
  ['org list', { kind: 'org.list' }],
  ['organizaciones', { kind: 'org.list' }],
  ['org join fdh', { kind: 'org.join', slug: 'fdh' }],
  ['org unir fdh @pedro', { kind: 'org.join', slug: 'fdh', member: { userId: 'pedro', name: 'pedro' } }],
];

const errors: ErrorCase[] = [
  ['dance', 'error.unknownCommand', { input: 'dance' }],
  ['bailar ahora', 'error.unknownCommand', { input: 'bailar' }],
  ['task dance', 'error.unknownCommand', { input: 'task dance' }],
  ['tarea bailar 3', 'error.unknownCommand', { input: 'tarea bailar' }],
  ['org dance', 'error.unknownCommand', { input: 'org dance' }],
  ['help me', 'error.unexpectedInput', { input: 'me' }],
  ['task add due tomorrow', 'error.titleMissing'],
  ['tarea nueva @ana', 'error.titleMissing'],
  ['task add ' + 'x'.repeat(201), 'error.titleTooLong', { length: 201, max: 200 }],
  ['tarea nueva ' + 'ñ'.repeat(250), 'error.titleTooLong', { length: 250, max: 200 }],
  ['task add Call due', 'error.dateMissing'],
  ['tarea nueva Llamar vence', 'error.dateMissing'],
  ['task add Call due someday', 'error.timeNotUnderstood', { input: 'someday', examples: { phrase: 'time.examples.day' } }],
  ['tarea nueva Llamar vence pronto', 'error.timeNotUnderstood', { input: 'pronto', examples: { phrase: 'time.examples.day' } }],
  ['task add Call due 2026-02-30', 'error.timeNotUnderstood', { input: '2026-02-30', examples: { phrase: 'time.examples.day' } }],
  ['task add Call due constructor', 'error.timeNotUnderstood', { input: 'constructor', examples: { phrase: 'time.examples.day' } }],
  ['task add Call due __proto__', 'error.timeNotUnderstood', { input: '__proto__', examples: { phrase: 'time.examples.day' } }],
  ['task add Call due 15/12/2026', 'error.timeNotUnderstood', { input: '15/12/2026', examples: { phrase: 'time.examples.day' } }],
  ['task add Call due 2026-11-26', 'error.datePast', { date: '2026-11-26' }],
  ['tarea nueva Llamar para el 2020-01-01', 'error.datePast', { date: '2020-01-01' }],
  ['task done', 'error.taskNumberMissing'],
  ['tarea hecha', 'error.taskNumberMissing'],
  ['task done three', 'error.taskNumberInvalid', { input: 'three' }],
  ['tarea hecha tres', 'error.taskNumberInvalid', { input: 'tres' }],
  ['task done 0', 'error.taskNumberInvalid', { input: '0' }],
  ['task done -1', 'error.taskNumberInvalid', { input: '-1' }],
  ['task done 99999999999', 'error.taskNumberInvalid', { input: '99999999999' }],
  ['task done 3 4', 'error.unexpectedInput', { input: '4' }],
  ['task assign 3', 'error.assigneeMissing'],
  ['tarea asignar 3', 'error.assigneeMissing'],
  ['task assign 3 ana', 'error.assigneeInvalid', { input: 'ana' }],
  ['tarea asignar 3 org:', 'error.assigneeInvalid', { input: 'org:' }],
  ['task list soon', 'error.unexpectedInput', { input: 'soon' }],
  ['task reminders maybe', 'error.unexpectedInput', { input: 'maybe' }],
  ['tarea recordatorios desactivar ya', 'error.unexpectedInput', { input: 'ya' }],
  ['tareas pronto', 'error.unexpectedInput', { input: 'pronto' }],
  ['lang fr', 'error.langInvalid', { input: 'fr' }],
  ['idioma francés', 'error.langInvalid', { input: 'francés' }],
  ['idioma alianza klingon', 'error.langInvalid', { input: 'klingon' }],
  ['lang es please', 'error.unexpectedInput', { input: 'please' }],
  ['org add', 'error.orgSlugInvalid', { input: '' }],
  ['org add F', 'error.orgSlugInvalid', { input: 'F' }],
  ['org nueva fdh', 'error.orgNameMissing'],
  ['org add fdh ' + 'n'.repeat(101), 'error.orgNameTooLong', { length: 101, max: 100 }],
  ['org join', 'error.orgSlugInvalid', { input: '' }],
  ['org unir fdh pedro', 'error.assigneeInvalid', { input: 'pedro' }],
];

describe('parseCommand', () => {
  parseTable(context, parses, errors);

  it('GIVEN any text at all THEN it parses or names a user error, and never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (input) => {
        const result = parseCommand(input, context);
        if (!result.ok) expect(result.error).toBeInstanceOf(UserError);
      }),
      { numRuns: 2000 },
    );
  });

  it('GIVEN commands built from our own words and noise THEN it never throws', () => {
    const word = fc.constantFrom(
      'task', 'tarea', 'add', 'nueva', 'done', 'hecha', 'due', 'vence', 'by', 'para', 'fecha', 'el', 'next', 'friday', 'mañana', 'a las', '18:00',
      'org', 'org:', '@', '#', '3', '"', '<@', '>', 'lang', 'es',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(word, fc.string({ maxLength: 5 })), { maxLength: 12 }), (parts) => {
        const result = parseCommand(parts.join(' '), context);
        if (!result.ok) expect(result.error).toBeInstanceOf(UserError);
      }),
      { numRuns: 2000 },
    );
  });
});

// Wednesday 25 November 2026, 10:00 in Bogotá (UTC-5): "next friday" is the 27th, the day after tomorrow.
const bogota = { now: new Date('2026-11-25T15:00:00Z'), timeZone: 'America/Bogota' };
const ongVerde = { kind: 'organization', slug: 'ong-verde' } as const;
const maria = { kind: 'member', member: { userId: 'maria', name: 'maria' } } as const;
const longTail = 'one two three four five six seven eight nine ten eleven twelve thirteen';

const dueParses: ParseCase[] = [
  ['task add Print flyers org:ong-verde due next friday', { kind: 'task.add', title: 'Print flyers', assignee: ongVerde, dueOn: '2026-11-27' }],
  ['task add Print flyers due next friday org:ong-verde', { kind: 'task.add', title: 'Print flyers', assignee: ongVerde, dueOn: '2026-11-27' }],
  ['task add Print flyers due "next friday"', { kind: 'task.add', title: 'Print flyers', dueOn: '2026-11-27' }],
  ['task add Print flyers @maria due “next friday”', { kind: 'task.add', title: 'Print flyers', assignee: maria, dueOn: '2026-11-27' }],
  ['task add "Print flyers" due "next friday" @maria', { kind: 'task.add', title: 'Print flyers', assignee: maria, dueOn: '2026-11-27' }],
  ['task add Print flyers due Dec 5', { kind: 'task.add', title: 'Print flyers', dueOn: '2026-12-05' }],
  ['task add Print flyers due 5 December', { kind: 'task.add', title: 'Print flyers', dueOn: '2026-12-05' }],
  ['task add Print flyers due the 5th', { kind: 'task.add', title: 'Print flyers', dueOn: '2026-12-05' }],
  ['task add Print flyers due end of month', { kind: 'task.add', title: 'Print flyers', dueOn: '2026-11-30' }],
  ['task add Print flyers due in 3 days', { kind: 'task.add', title: 'Print flyers', dueOn: '2026-11-28' }],
  ['task add Print flyers due tonight', { kind: 'task.add', title: 'Print flyers', dueOn: '2026-11-25' }],
  // A moment gives its day: a task is due on a day.
  ['task add Print flyers due friday 15:00', { kind: 'task.add', title: 'Print flyers', dueOn: '2026-11-27' }],
  ['task add Print flyers by next monday', { kind: 'task.add', title: 'Print flyers', dueOn: '2026-11-30' }],
  ['task add Print flyers by hand', { kind: 'task.add', title: 'Print flyers by hand' }],
  ['task add Print flyers due by friday', { kind: 'task.add', title: 'Print flyers', dueOn: '2026-11-27' }],
  ['tarea nueva Imprimir volantes vence para el viernes', { kind: 'task.add', title: 'Imprimir volantes', dueOn: '2026-11-27' }],
  // The last keyword followed by a day wins; words before it are the title.
  ['task add Review due diligence by friday', { kind: 'task.add', title: 'Review due diligence', dueOn: '2026-11-27' }],
  ['task add Review "due diligence" due friday', { kind: 'task.add', title: 'Review "due diligence"', dueOn: '2026-11-27' }],
  ['tarea nueva Imprimir volantes org:ong-verde vence el próximo viernes', { kind: 'task.add', title: 'Imprimir volantes', assignee: ongVerde, dueOn: '2026-11-27' }],
  ['tarea nueva Imprimir volantes vence el viernes que viene @maria', { kind: 'task.add', title: 'Imprimir volantes', assignee: maria, dueOn: '2026-11-27' }],
  ['tarea nueva Imprimir volantes vence "el 5 de diciembre"', { kind: 'task.add', title: 'Imprimir volantes', dueOn: '2026-12-05' }],
  ['tarea nueva Imprimir volantes para el 5 de diciembre', { kind: 'task.add', title: 'Imprimir volantes', dueOn: '2026-12-05' }],
  ['tarea nueva Imprimir volantes para pasado mañana', { kind: 'task.add', title: 'Imprimir volantes', dueOn: '2026-11-27' }],
  ['tarea nueva Imprimir volantes para fin de mes org:ong-verde', { kind: 'task.add', title: 'Imprimir volantes', assignee: ongVerde, dueOn: '2026-11-30' }],
  ['tarea nueva Imprimir volantes para esta noche', { kind: 'task.add', title: 'Imprimir volantes', dueOn: '2026-11-25' }],
  ['tarea nueva Imprimir volantes fecha el lunes', { kind: 'task.add', title: 'Imprimir volantes', dueOn: '2026-11-30' }],
  ['tarea nueva Comprar pancartas para la marcha', { kind: 'task.add', title: 'Comprar pancartas para la marcha' }],
  ['tarea nueva Comprar pancartas para la marcha para el viernes', { kind: 'task.add', title: 'Comprar pancartas para la marcha', dueOn: '2026-11-27' }],
  ['tarea nueva Decidir fecha de la asamblea org:ong-verde', { kind: 'task.add', title: 'Decidir fecha de la asamblea', assignee: ongVerde }],
];

const notADay = (input: string) => ['error.timeNotUnderstood', { input, examples: { phrase: 'time.examples.day' } }] as const;

const dueErrors: ErrorCase[] = [
  ['task add Print flyers due next week', ...notADay('next week')],
  ['task add Print flyers due soon org:ong-verde', ...notADay('soon')],
  ['task add Print flyers due friday for the march', ...notADay('friday for the march')],
  ['task add Print flyers due "someday"', ...notADay('someday')],
  ['task add Print flyers due every monday', ...notADay('every monday')],
  ['task add Print flyers due 5/12', ...notADay('5/12')],
  ['task add Print flyers due 2026-02-30', ...notADay('2026-02-30')],
  [`task add Print flyers due ${longTail}`, ...notADay('one two three four five six seven eight nine ten eleven twelve …')],
  ['task add Print flyers due by hand', ...notADay('hand')],
  ['task add Print flyers due friday by by by', ...notADay('friday by by by')],
  ['tarea nueva Imprimir volantes vence pronto', ...notADay('pronto')],
  ['tarea nueva Imprimir volantes vence el viernes para la marcha', ...notADay('el viernes para la marcha')],
  ['tarea nueva Imprimir volantes vence la semana que viene @maria', ...notADay('la semana que viene')],
  ['task add Print flyers due @maria', 'error.dateMissing'],
  ['task add Print flyers due ""', 'error.dateMissing'],
  ['task add Print flyers due yesterday', 'error.datePast', { date: '2026-11-24' }],
  ['tarea nueva Imprimir volantes para ayer', 'error.datePast', { date: '2026-11-24' }],
  ['task add due next friday', 'error.titleMissing'],
];

describe.each(['en', 'es'] as const)('task due dates in words, for a member whose language is %s', (locale) => {
  parseTable({ ...bogota, locale }, dueParses, dueErrors);
});

describe('task due dates across zones', () => {
  // 03:30 UTC on Thursday 26 November: still Wednesday evening in Bogotá, already Thursday morning in Madrid.
  const now = new Date('2026-11-26T03:30:00Z');
  it.each([
    ['America/Bogota', '2026-11-26'],
    ['Europe/Madrid', '2026-11-27'],
  ])('GIVEN "due tomorrow" said in %s THEN it is %s', (timeZone, dueOn) => {
    expect(parseCommand('task add Call the press due tomorrow', { now, timeZone })).toEqual({
      ok: true,
      command: { kind: 'task.add', title: 'Call the press', dueOn },
    });
  });
});

describe('parseMention', () => {
  it.each([
    ['<@U024BE7LH>', { userId: 'U024BE7LH' }],
    ['<@U024BE7LH|bob>', { userId: 'U024BE7LH', name: 'bob' }],
    ['<@80351110224678912>', { userId: '80351110224678912' }],
    ['<@!80351110224678912>', { userId: '80351110224678912' }],
    ['@maría', { userId: 'maría', name: 'maría' }],
  ])('GIVEN %s THEN it names %j', (input, mention) => {
    expect(parseMention(input)).toEqual(mention);
  });

  it.each(['ana', '<#C123>', '@', '<@>', 'user@example.org'])('GIVEN %s THEN it is no mention', (input) => {
    expect(parseMention(input)).toBeUndefined();
  });
});
