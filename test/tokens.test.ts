// The tokenizer: words, "quoted text" and Slack's <@U1|name> escapes with their positions, read in one pass.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokenize } from '../src/commands/tokens.js';
import { fold } from '../src/time/dates.js';

const texts = (line: string) => tokenize(line).map((token) => token.text);

/** The regex the tokenizer used to be: right on short lines, quadratic on long ones. The scanner must agree with it. */
function byRegex(text: string) {
  return [...text.matchAll(/"[^"]*"|“[^”]*”|<[^>\s]*(?:\|[^>]*)?>|\S+/g)].map((match) => ({
    text: match[0],
    word: fold(match[0]),
    start: match.index,
    end: match.index + match[0].length,
  }));
}

describe('tokenize', () => {
  it('GIVEN words between spaces of any kind THEN each is a token with its position and folded form', () => {
    expect(tokenize(' Tarea\u00a0NUEVA\tMañana\n')).toEqual([
      { text: 'Tarea', word: 'tarea', start: 1, end: 6 },
      { text: 'NUEVA', word: 'nueva', start: 7, end: 12 },
      { text: 'Mañana', word: 'manana', start: 13, end: 19 },
    ]);
  });

  it('GIVEN quoted text THEN it is one token, spaces included, in straight or curly quotes', () => {
    expect(texts('poll "Where do we meet?" “Lima o Cusco” x')).toEqual(['poll', '"Where do we meet?"', '“Lima o Cusco”', 'x']);
  });

  it('GIVEN a quote that never closes THEN it starts a plain word', () => {
    expect(texts('poll "Where do we meet? “Lima')).toEqual(['poll', '"Where', 'do', 'we', 'meet?', '“Lima']);
  });

  it('GIVEN Slack escapes THEN each is one token, a name after | keeping its spaces', () => {
    expect(texts('assign <@U1> <@U2|Ana Pérez> <#C1|general>')).toEqual(['assign', '<@U1>', '<@U2|Ana Pérez>', '<#C1|general>']);
  });

  it('GIVEN a < that is not closed before a space, and no | THEN it is a plain word', () => {
    expect(texts('a <b c> <d')).toEqual(['a', '<b', 'c>', '<d']);
  });

  it('GIVEN a <…|… whose > comes after spaces THEN the escape runs to that >', () => {
    expect(texts('<x|y z> w')).toEqual(['<x|y z>', 'w']);
    expect(texts('<x|y z w')).toEqual(['<x|y', 'z', 'w']);
  });

  it('GIVEN short lines of any mix of quotes, escapes and spaces THEN it reads them exactly as the old regex did', () => {
    const char = fc.constantFrom('"', '“', '”', '<', '>', '|', '@', ' ', '\n', '\u00a0', 'a', 'ñ', '1', '-');
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(char, fc.string({ maxLength: 1 })), maxLength: 40, size: 'max' }), (line) => {
        expect(tokenize(line)).toEqual(byRegex(line));
      }),
      { numRuns: 3000 },
    );
  });
});
