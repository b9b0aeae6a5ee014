// Sealing records at rest: pure functions, GIVEN/THEN, including tampering, a wrong key and a record moved to another row.
import { describe, expect, it } from 'vitest';
import { deriveKey } from '../src/secrets.js';
import { open, seal, SealBrokenError } from '../src/sealing.js';

const key = deriveKey('a-deployment-secret-of-at-least-32-characters', 'slack-installations');
const otherKey = deriveKey('another-deployment-secret-of-32-characters!', 'slack-installations');
const record = JSON.stringify({ team: { id: 'T1' }, bot: { token: 'xoxb-1234-secret' } });

/** Flips one bit of the part at `index` (1 IV, 2 tag, 3 ciphertext) of a sealed text. */
function flip(sealed: string, index: number): string {
  const parts = sealed.split(':');
  const bytes = Buffer.from(parts[index]!, 'base64');
  bytes[0] = bytes[0]! ^ 1;
  parts[index] = bytes.toString('base64');
  return parts.join(':');
}

describe('seal and open', () => {
  it('GIVEN a record sealed for a row THEN it opens with the same key and row, and shows nothing of the record', () => {
    const sealed = seal(key, record, 'team:T1');
    expect(sealed).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(sealed).not.toContain('xoxb-');
    expect(Buffer.from(sealed.split(':')[3]!, 'base64').toString('latin1')).not.toContain('xoxb-');
    expect(open(key, sealed, 'team:T1')).toBe(record);
  });

  it('GIVEN the same record sealed twice THEN the texts differ (a fresh IV each time) and both open', () => {
    const first = seal(key, record, 'team:T1');
    const second = seal(key, record, 'team:T1');
    expect(first).not.toBe(second);
    expect(first.split(':')[1]).not.toBe(second.split(':')[1]);
    expect(open(key, second, 'team:T1')).toBe(record);
  });

  it('GIVEN an empty or non-ASCII record THEN it round-trips', () => {
    expect(open(key, seal(key, '', 'k'), 'k')).toBe('');
    expect(open(key, seal(key, 'Año de la mañana ✓', 'k'), 'k')).toBe('Año de la mañana ✓');
  });

  it('GIVEN a different key THEN it does not open', () => {
    const sealed = seal(key, record, 'team:T1');
    expect(() => open(otherKey, sealed, 'team:T1')).toThrow(SealBrokenError);
  });

  it('GIVEN the record copied into another workspace\'s row THEN it does not open there', () => {
    const sealed = seal(key, record, 'team:T1');
    expect(() => open(key, sealed, 'team:T2')).toThrow(SealBrokenError);
    expect(() => open(key, sealed, 'enterprise:T1')).toThrow(SealBrokenError);
  });

  it.each([
    [1, 'the IV'],
    [2, 'the tag'],
    [3, 'the ciphertext'],
  ])('GIVEN one bit of part %i (%s) altered THEN it does not open', (index) => {
    const sealed = seal(key, record, 'team:T1');
    expect(() => open(key, flip(sealed, index), 'team:T1')).toThrow(SealBrokenError);
  });

  it('GIVEN the ciphertext cut short or lengthened THEN it does not open', () => {
    const sealed = seal(key, record, 'team:T1');
    const parts = sealed.split(':');
    const ciphertext = Buffer.from(parts[3]!, 'base64');
    const shorter = [...parts.slice(0, 3), ciphertext.subarray(0, -1).toString('base64')].join(':');
    const longer = [...parts.slice(0, 3), Buffer.concat([ciphertext, Buffer.from([0])]).toString('base64')].join(':');
    expect(() => open(key, shorter, 'team:T1')).toThrow(SealBrokenError);
    expect(() => open(key, longer, 'team:T1')).toThrow(SealBrokenError);
  });

  it.each(['', 'xoxb-in-clear', '{"bot":{"token":"xoxb-1"}}', 'v2:AAAA:AAAA:AAAA', 'v1:AAAA:AAAA', 'v1:AAAA:AAAAAAAAAAAAAAAAAAAAAA==:AAAA'])(
    'GIVEN %j, which is no sealed text of this version THEN it does not open',
    (text) => {
      expect(() => open(key, text, 'team:T1')).toThrow(SealBrokenError);
    },
  );

  it('GIVEN a key that is not 32 bytes THEN sealing refuses it as a programming mistake', () => {
    expect(() => seal(Buffer.alloc(16), record, 'k')).toThrow('A sealing key must be 32 bytes, not 16');
  });
});
