// The link commands' words and the one-time codes' spelling, both pure: GIVEN what is typed THEN what is understood.
import { describe, expect, it } from 'vitest';
import { hashLinkCode, newLinkCode, normalizeLinkCode } from '../src/alliance-links.js';
import { parseCommand } from '../src/commands/parse.js';
import { FIXED_NOW } from './support/core.js';

const context = { now: FIXED_NOW, timeZone: 'UTC', locale: 'en' as const };
const parsed = (line: string) => parseCommand(line, context);

describe('parsing alliance link, join, unlink and channel', () => {
  it('GIVEN each subcommand in English and Spanish THEN the same command', () => {
    expect(parsed('alliance link')).toEqual({ ok: true, command: { kind: 'alliance.link' } });
    expect(parsed('/minga alianza vincular')).toEqual({ ok: true, command: { kind: 'alliance.link' } });
    expect(parsed('alliance unlink')).toEqual({ ok: true, command: { kind: 'alliance.unlink' } });
    expect(parsed('alianza desvincular')).toEqual({ ok: true, command: { kind: 'alliance.unlink' } });
    expect(parsed('alliance join ABCD-EFGH')).toEqual({ ok: true, command: { kind: 'alliance.join', code: 'ABCD-EFGH' } });
    expect(parsed('alianza unirse abcd efgh')).toEqual({ ok: true, command: { kind: 'alliance.join', code: 'abcd efgh' } });
    expect(parsed('alliance channel')).toEqual({ ok: true, command: { kind: 'alliance.channel' } });
    expect(parsed('alianza canal #coordinación')).toEqual({ ok: true, command: { kind: 'alliance.channel', channel: { name: 'coordinación' } } });
    expect(parsed('alliance channel <#C0COORD|coordination>')).toEqual({ ok: true, command: { kind: 'alliance.channel', channel: { id: 'C0COORD', name: 'coordination' } } });
  });

  it('GIVEN a missing code, a word that is no channel, or extra words THEN each is refused with what to type', () => {
    const error = (line: string) => {
      const result = parsed(line);
      return result.ok ? undefined : result.error.key;
    };
    expect(error('alliance join')).toBe('error.linkCodeMissing');
    expect(error('alliance channel coordination')).toBe('error.homeChannelInvalid');
    expect(error('alliance channel #a #b')).toBe('error.unexpectedInput');
    expect(error('alliance link now')).toBe('error.unexpectedInput');
    // Not one of these: left to the other `alliance` subcommands, unknown here.
    expect(error('alliance frobnicate')).toBe('error.unknownCommand');
  });
});

describe('one-time codes', () => {
  it('GIVEN new codes THEN each is 32 characters of Crockford base32 (160 bits) in eight groups, and they differ', () => {
    const codes = Array.from({ length: 50 }, newLinkCode);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){7}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('GIVEN a code typed in lower case, with spaces, or with O, I and L THEN it is the same code; anything else is none', () => {
    const code = '0123-4567-89AB-CDEF-GHJK-MNPQ-RSTV-WXYZ';
    const canonical = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    expect(normalizeLinkCode(code)).toBe(canonical);
    expect(normalizeLinkCode(code.toLowerCase().replaceAll('-', ' '))).toBe(canonical);
    expect(normalizeLinkCode('O123-4567-89AB-CDEF-GHJK-MNPQ-RSTV-WXYZ'.replace('0', 'O'))).toBe(canonical);
    expect(normalizeLinkCode('0l23-4567-89AB-CDEF-GHJK-MNPQ-RSTV-WXYZ')).toBe(canonical);
    expect(normalizeLinkCode('0123-4567')).toBeUndefined();
    expect(normalizeLinkCode(`${canonical}U`)).toBeUndefined();
    expect(normalizeLinkCode(canonical.replace('Z', 'U'))).toBeUndefined();
    expect(hashLinkCode(canonical)).toMatch(/^[0-9a-f]{64}$/);
  });
});
