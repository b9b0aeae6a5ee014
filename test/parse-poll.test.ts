// The poll language, table-driven in both languages: every flag and every error.
import { describe } from 'vitest';
import { FIXED_NOW } from './support/core.js';
import { parseTable, type ErrorCase, type ParseCase } from './support/parse-table.js';

const context = { now: FIXED_NOW, timeZone: 'UTC' };
const choice = { pollKind: 'choice' as const, maxChoices: 1, anonymous: false, hideResults: false };

const parses: ParseCase[] = [
  ['poll "Where?" "Lima" "Cusco"', { kind: 'poll.create', ...choice, question: 'Where?', options: ['Lima', 'Cusco'] }],
  ['encuesta "¿Dónde?" "Lima" "Cusco"', { kind: 'poll.create', ...choice, question: '¿Dónde?', options: ['Lima', 'Cusco'] }],
  ['/minga poll “Where?” “Lima” “Cusco”', { kind: 'poll.create', ...choice, question: 'Where?', options: ['Lima', 'Cusco'] }],
  ['poll "Q" "A" "B" "C" --multi', { kind: 'poll.create', ...choice, question: 'Q', options: ['A', 'B', 'C'], maxChoices: 3 }],
  ['poll "Q" "A" "B" "C" --multi=2', { kind: 'poll.create', ...choice, question: 'Q', options: ['A', 'B', 'C'], maxChoices: 2 }],
  ['encuesta "P" "A" "B" "C" --multiple=2', { kind: 'poll.create', ...choice, question: 'P', options: ['A', 'B', 'C'], maxChoices: 2 }],
  ['poll "Q" "A" "B" --anon', { kind: 'poll.create', ...choice, question: 'Q', options: ['A', 'B'], anonymous: true }],
  ['encuesta "P" "A" "B" --anónima', { kind: 'poll.create', ...choice, question: 'P', options: ['A', 'B'], anonymous: true }],
  ['poll "Q" "A" "B" --hide-results', { kind: 'poll.create', ...choice, question: 'Q', options: ['A', 'B'], hideResults: true }],
  ['encuesta "P" "A" "B" --ocultar-resultados', { kind: 'poll.create', ...choice, question: 'P', options: ['A', 'B'], hideResults: true }],
  ['poll "Q" "A" "B" --closes tomorrow 18:00', { kind: 'poll.create', ...choice, question: 'Q', options: ['A', 'B'], closes: 'tomorrow 18:00' }],
  [
    'encuesta "P" "A" "B" --cierra el viernes a las 18 --anonima',
    { kind: 'poll.create', ...choice, question: 'P', options: ['A', 'B'], closes: 'el viernes a las 18', anonymous: true },
  ],
  // A deadline is one quoted value, or the words up to the next flag or quoted text; it is read later, in the member's zone.
  [
    'encuesta "¿Fecha?" "lunes" "martes" --cierra "mañana a las 18"',
    { kind: 'poll.create', ...choice, question: '¿Fecha?', options: ['lunes', 'martes'], closes: 'mañana a las 18' },
  ],
  [
    'encuesta "¿Fecha?" "lunes" "martes" --cierra mañana a las 18',
    { kind: 'poll.create', ...choice, question: '¿Fecha?', options: ['lunes', 'martes'], closes: 'mañana a las 18' },
  ],
  [
    'encuesta "P" "A" "B" --cierra “el viernes a las 6 de la tarde” --anonima',
    { kind: 'poll.create', ...choice, question: 'P', options: ['A', 'B'], closes: 'el viernes a las 6 de la tarde', anonymous: true },
  ],
  ['poll "Q" "A" "B" --closes "next friday 15:00"', { kind: 'poll.create', ...choice, question: 'Q', options: ['A', 'B'], closes: 'next friday 15:00' }],
  ['poll "Q" --closes next friday "A" "B"', { kind: 'poll.create', ...choice, question: 'Q', options: ['A', 'B'], closes: 'next friday' }],
  ['poll "Q" --closes "in 2 hours" "A" "B" --anon', { kind: 'poll.create', ...choice, question: 'Q', options: ['A', 'B'], closes: 'in 2 hours', anonymous: true }],
  [
    'propuesta "Firmamos la carta" --cierra "el 5 de diciembre a las 18:30"',
    { kind: 'poll.create', ...choice, pollKind: 'proposal', question: 'Firmamos la carta', options: [], closes: 'el 5 de diciembre a las 18:30' },
  ],
  ['proposal "We sign the joint letter"', { kind: 'poll.create', ...choice, pollKind: 'proposal', question: 'We sign the joint letter', options: [] }],
  [
    'propuesta "Firmamos la carta" --cierra mañana --anonima',
    { kind: 'poll.create', ...choice, pollKind: 'proposal', question: 'Firmamos la carta', options: [], closes: 'mañana', anonymous: true },
  ],
  ['poll', { kind: 'poll.form' }],
  ['encuesta', { kind: 'poll.form' }],
  ['polls', { kind: 'poll.list' }],
  ['encuestas', { kind: 'poll.list' }],
  ['poll list', { kind: 'poll.list' }],
  ['poll close 2', { kind: 'poll.close', poll: { number: 2 } }],
  ['encuesta cerrar #2', { kind: 'poll.close', poll: { number: 2 } }],
  ['poll results 2', { kind: 'poll.results', poll: { number: 2 } }],
  ['encuesta resultados 2', { kind: 'poll.results', poll: { number: 2 } }],
  ['poll export 2', { kind: 'poll.export', poll: { number: 2 } }],
  ['encuesta exportar 2', { kind: 'poll.export', poll: { number: 2 } }],
  ['poll remind 2', { kind: 'poll.remind', poll: { number: 2 } }],
  ['encuesta recordar 2', { kind: 'poll.remind', poll: { number: 2 } }],
  ['poll delete 2', { kind: 'poll.delete', poll: { number: 2 } }],
  ['encuesta borrar 2', { kind: 'poll.delete', poll: { number: 2 } }],
  ['vote 2 1', { kind: 'poll.vote', poll: { number: 2 }, choices: [{ position: 1 }] }],
  ['votar 2 1 3', { kind: 'poll.vote', poll: { number: 2 }, choices: [{ position: 1 }, { position: 3 }] }],
  ['vote 2 Lima', { kind: 'poll.vote', poll: { number: 2 }, choices: [{ label: 'Lima' }] }],
  ['votar 2 de acuerdo', { kind: 'poll.vote', poll: { number: 2 }, choices: [{ label: 'de acuerdo' }] }],
  ['vote 2 "New York" "Lima"', { kind: 'poll.vote', poll: { number: 2 }, choices: [{ label: 'New York' }, { label: 'Lima' }] }],
];

const errors: ErrorCase[] = [
  ['poll Where? Lima Cusco', 'error.pollNeedsQuotes', { input: 'Where?' }],
  ['encuesta "P" Lima "Cusco"', 'error.pollNeedsQuotes', { input: 'Lima' }],
  ['poll dance', 'error.unknownCommand', { input: 'poll dance' }],
  ['poll "Q" "A"', 'error.pollOptionsCount', { count: 1, min: 2, max: 25 }],
  ['encuesta "P"', 'error.pollOptionsCount', { count: 0, min: 2, max: 25 }],
  ['poll "Q" ' + Array.from({ length: 26 }, (_, i) => `"o${i}"`).join(' '), 'error.pollOptionsCount', { count: 26, min: 2, max: 25 }],
  [`poll "${'q'.repeat(301)}" "A" "B"`, 'error.pollQuestionTooLong', { length: 301, max: 300 }],
  [`encuesta "P" "A" "${'ñ'.repeat(76)}"`, 'error.pollOptionTooLong', { number: 2, length: 76, max: 75 }],
  ['poll "Q" "A" ""', 'error.pollOptionEmpty', { number: 2 }],
  ['poll "Q" "Lima" "lima"', 'error.pollOptionDuplicate', { option: 'lima' }],
  ['poll "Q" "A" "B" --multi=3', 'error.pollMultiInvalid', { input: '3', max: 2 }],
  ['poll "Q" "A" "B" --multi=0', 'error.pollMultiInvalid'],
  ['encuesta "P" "A" "B" --multiple=x', 'error.pollMultiInvalid'],
  ['poll "Q" "A" "B" --secret', 'error.pollFlagUnknown', { input: '--secret' }],
  ['encuesta "P" "A" "B" --secreta', 'error.pollFlagUnknown', { input: '--secreta' }],
  ['poll "Q" "A" "B" --closes', 'error.pollClosesMissing'],
  ['encuesta "P" "A" "B" --cierra --anonima', 'error.pollClosesMissing'],
  ['poll "Q" "A" "B" --closes ""', 'error.pollClosesMissing'],
  ['encuesta "P" "A" "B" --cierra " " --anonima', 'error.pollClosesMissing'],
  [`poll "Q" "A" "B" --closes "${'x'.repeat(101)}"`, 'error.pollClosesTooLong', { length: 101, max: 100 }],
  ['poll ""', 'error.pollQuestionMissing'],
  ['proposal', 'error.pollQuestionMissing'],
  ['propuesta "P" "A" "B"', 'error.proposalNoOptions'],
  ['proposal "P" --multi', 'error.pollFlagUnknown', { input: '--multi' }],
  ['poll close', 'error.pollNumberMissing'],
  ['encuesta cerrar dos', 'error.pollNumberInvalid', { input: 'dos' }],
  ['poll results', 'error.pollNumberMissing'],
  ['poll close 2 now', 'error.unexpectedInput', { input: 'now' }],
  ['vote', 'error.pollNumberMissing'],
  ['votar x 1', 'error.pollNumberInvalid', { input: 'x' }],
  ['vote 2', 'error.voteChoiceMissing'],
  ['votar 2', 'error.voteChoiceMissing'],
];

describe('parseCommand for polls', () => {
  parseTable(context, parses, errors);
});
