// Table-driven tests of the command language: each input either parses to a command or names a user error (key and params).
import { expect, it } from 'vitest';
import type { Command } from '../../src/commands/command.js';
import { parseCommand, type ParseContext } from '../../src/commands/parse.js';
import { UserError } from '../../src/errors.js';

export type ParseCase = [input: string, command: Command];
export type ErrorCase = [input: string, key: string, params?: Record<string, unknown>];

export function parseTable(context: ParseContext, parses: ParseCase[], errors: ErrorCase[]): void {
  it.each(parses)('GIVEN %j THEN it is understood', (input, command) => {
    expect(parseCommand(input, context)).toEqual({ ok: true, command });
  });

  it.each(errors)('GIVEN %j THEN the user is told %s', (input, key, params) => {
    const result = parseCommand(input, context);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(UserError);
    expect(result.error.key).toBe(key);
    if (params) expect(result.error.params).toEqual(params);
  });
}
