// The poll part of the command language: `poll "Q?" "A" "B" --multi --anon --closes …`, proposals, votes, and poll subcommands. Pure.
import type { ChoiceRef, Command, PollSpec } from './command.js';
import { expectEnd, fail, isQuoted, itemNumber, unquote, words, type Token } from './tokens.js';

export const QUESTION_MAX = 300;
/** Slack's button text limit, so every option fits on a button on every platform. */
export const OPTION_MAX = 75;
export const OPTIONS_MIN = 2;
export const OPTIONS_MAX = 25;
/** A deadline in words ("el próximo viernes a las 6 de la tarde") is short; the date reader never sees more. */
export const CLOSES_MAX = 100;

export const POLL = words('poll', 'polls', 'encuesta', 'encuestas', 'votacion', 'votaciones');
export const PROPOSAL = words('proposal', 'propuesta');
export const VOTE = words('vote', 'votar', 'voto');

const CLOSE = words('close', 'end', 'cerrar', 'terminar');
const RESULTS = words('results', 'result', 'resultados', 'resultado');
const LIST = words('list', 'ls', 'lista', 'listar');
const EXPORT = words('export', 'csv', 'exportar');
const REMIND = words('remind', 'nudge', 'recordar', 'avisar');
const DELETE = words('delete', 'remove', 'borrar', 'eliminar');

type Flag = 'multi' | 'anon' | 'closes' | 'hide' | 'everywhere';
const FLAGS: Record<string, Flag> = {
  multi: 'multi', multiple: 'multi', multiples: 'multi',
  anon: 'anon', anonymous: 'anon', anonima: 'anon', anonimo: 'anon',
  closes: 'closes', close: 'closes', deadline: 'closes', cierra: 'closes', cierre: 'closes',
  'hide-results': 'hide', hide: 'hide', 'ocultar-resultados': 'hide', ocultar: 'hide',
  everywhere: 'everywhere', 'en-todas-partes': 'everywhere', 'todas-partes': 'everywhere',
};

/** `poll …` and `encuesta …`: a subcommand, or a new poll from quoted question and options. */
export function parsePoll(text: string, first: Token, tokens: Token[]): Command {
  const [sub, ...rest] = tokens;
  if (!sub) return first.word.endsWith('s') ? { kind: 'poll.list' } : { kind: 'poll.form' };
  const poll = () => ({ number: itemNumber(rest[0], 'error.pollNumberMissing', 'error.pollNumberInvalid') });
  if (LIST.has(sub.word)) return expectEnd(rest, { kind: 'poll.list' });
  if (CLOSE.has(sub.word)) return expectEnd(rest.slice(1), { kind: 'poll.close', poll: poll() });
  if (RESULTS.has(sub.word)) return expectEnd(rest.slice(1), { kind: 'poll.results', poll: poll() });
  if (EXPORT.has(sub.word)) return expectEnd(rest.slice(1), { kind: 'poll.export', poll: poll() });
  if (REMIND.has(sub.word)) return expectEnd(rest.slice(1), { kind: 'poll.remind', poll: poll() });
  if (DELETE.has(sub.word)) return expectEnd(rest.slice(1), { kind: 'poll.delete', poll: poll() });
  // One unknown word is a mistyped subcommand; several look like a poll written without quotes.
  if (!isQuoted(sub.text) && !sub.text.startsWith('--') && rest.length === 0) throw fail('error.unknownCommand', { input: text.slice(0, sub.end) });
  return { kind: 'poll.create', ...pollSpec(text, tokens, 'choice') };
}

/** `proposal "We sign the joint letter" [--closes …] [--anon] [--hide-results]`. */
export function parseProposal(text: string, tokens: Token[]): Command {
  if (tokens.length === 0) throw fail('error.pollQuestionMissing');
  return { kind: 'poll.create', ...pollSpec(text, tokens, 'proposal') };
}

function pollSpec(text: string, tokens: Token[], pollKind: PollSpec['pollKind']): PollSpec {
  const quoted: string[] = [];
  let maxChoices: number | 'all' = 1;
  let anonymous = false;
  let hideResults = false;
  let everywhere = false;
  let closes: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (isFlag(token)) {
      const [name = '', value] = token.word.replace(/^(--|—)/, '').split('=');
      const flag = FLAGS[name];
      if (!flag || (flag === 'multi' && pollKind === 'proposal')) throw fail('error.pollFlagUnknown', { input: token.text });
      if (flag === 'anon') anonymous = true;
      if (flag === 'hide') hideResults = true;
      if (flag === 'everywhere') everywhere = true;
      if (flag === 'multi') maxChoices = value === undefined ? 'all' : multiValue(value, token.text);
      if (flag === 'closes') {
        const words = closesWords(tokens, i + 1);
        closes = words === 0 ? '' : unquote(text.slice(tokens[i + 1]!.start, tokens[i + words]!.end));
        if (!closes) throw fail('error.pollClosesMissing');
        i += words;
      }
      continue;
    }
    if (!isQuoted(token.text)) throw fail('error.pollNeedsQuotes', { input: token.text });
    quoted.push(unquote(token.text));
  }
  const [question = '', ...options] = quoted;
  if (pollKind === 'proposal' && options.length > 0) throw fail('error.proposalNoOptions');
  const max = maxChoices === 'all' ? options.length : maxChoices;
  return checkPollSpec({ pollKind, question, options, maxChoices: max, anonymous, hideResults, ...(closes && { closes }), ...(everywhere && { everywhere }) });
}

const isFlag = (token: Token) => token.text.startsWith('--') || token.text.startsWith('—');

/**
 * How many tokens from `from` are the deadline: one quoted value (`--cierra "mañana a las 18"`), or the words up to the
 * next flag or quoted text (`--closes next friday 18:00 "Option"`). Read later, in the member's zone (see poll-commands.ts).
 */
function closesWords(tokens: Token[], from: number): number {
  const first = tokens[from];
  if (!first || isFlag(first)) return 0;
  if (isQuoted(first.text)) return 1;
  let end = from;
  while (end < tokens.length && !isFlag(tokens[end]!) && !isQuoted(tokens[end]!.text)) end++;
  return end - from;
}

/** Every rule of a poll, for text and for forms alike: a question up to 300 characters, 2 to 25 distinct options, a sane maximum, a short deadline. */
export function checkPollSpec(spec: PollSpec): PollSpec {
  const question = spec.question.trim();
  if (!question) throw fail('error.pollQuestionMissing');
  const questionLength = [...question].length;
  if (questionLength > QUESTION_MAX) throw fail('error.pollQuestionTooLong', { length: questionLength, max: QUESTION_MAX });
  const closesLength = spec.closes === undefined ? 0 : [...spec.closes].length;
  if (closesLength > CLOSES_MAX) throw fail('error.pollClosesTooLong', { length: closesLength, max: CLOSES_MAX });
  if (spec.pollKind === 'proposal') return { ...spec, question, options: [], maxChoices: 1 };
  const options = spec.options.map((option) => option.trim());
  checkOptions(options);
  if (spec.maxChoices < 1 || spec.maxChoices > options.length) {
    throw fail('error.pollMultiInvalid', { input: String(spec.maxChoices), max: options.length });
  }
  return { ...spec, question, options };
}

function multiValue(value: string, input: string): number {
  const n = /^\d{1,2}$/.test(value) ? Number(value) : 0;
  if (n < 1) throw fail('error.pollMultiInvalid', { input, max: OPTIONS_MAX });
  return n;
}

/** 2 to 25 options, each 1 to 75 characters, no two the same. Shared with forms that build polls. */
export function checkOptions(options: string[]): void {
  if (options.length < OPTIONS_MIN || options.length > OPTIONS_MAX) {
    throw fail('error.pollOptionsCount', { count: options.length, min: OPTIONS_MIN, max: OPTIONS_MAX });
  }
  const seen = new Set<string>();
  options.forEach((option, index) => {
    const length = [...option].length;
    if (length === 0) throw fail('error.pollOptionEmpty', { number: index + 1 });
    if (length > OPTION_MAX) throw fail('error.pollOptionTooLong', { number: index + 1, length, max: OPTION_MAX });
    const key = option.toLowerCase();
    if (seen.has(key)) throw fail('error.pollOptionDuplicate', { option });
    seen.add(key);
  });
}

/** `vote 3 2`, `vote 3 1 4`, `votar 3 "Opción A"`, `vote 3 agree`. */
export function parseVote(text: string, tokens: Token[]): Command {
  const number = itemNumber(tokens[0], 'error.pollNumberMissing', 'error.pollNumberInvalid');
  const rest = tokens.slice(1);
  if (rest.length === 0) throw fail('error.voteChoiceMissing');
  let choices: ChoiceRef[];
  if (rest.every((token) => /^#?\d{1,2}$/.test(token.text))) {
    choices = rest.map((token) => ({ position: Number(token.text.replace('#', '')) }));
  } else if (rest.every((token) => isQuoted(token.text))) {
    choices = rest.map((token) => ({ label: unquote(token.text) }));
  } else {
    choices = [{ label: unquote(text.slice(rest[0]!.start).trim()) }];
  }
  return { kind: 'poll.vote', poll: { number }, choices };
}
