// Shared factories for core tests: a core on a test database with a captured log, and requesters on each platform.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Db } from '../../db/connection.js';
import { createCore, type Core } from '../../src/handler.js';
import type { Requester } from '../../src/identity.js';
import type { Logger } from '../../src/log.js';
import type { Observer } from '../../src/observe.js';
import { replyTexts, type Reply } from '../../src/reply.js';

export interface TestCore extends Core {
  /** Every log line the core wrote, parsed (none when the test gave its own logger). */
  logs: Record<string, unknown>[];
}

/** Friday 27 November 2026, noon UTC: a fixed clock so dates in tests never drift. */
export const FIXED_NOW = new Date('2026-11-27T12:00:00Z');

/** The deployment secret tests run with, as MINGA_SECRET would give it. */
export const TEST_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

export function createTestCore(
  db: Db,
  options: {
    now?: () => Date;
    locale?: 'en' | 'es';
    kick?: (keys: string[]) => Promise<unknown>;
    secret?: string | null;
    log?: Logger;
    /** What the platform says when asked whether Minga can post in a conversation (e.g. a recording delivery's `canPost`). */
    canPost?: (conversation: string) => Promise<boolean | undefined>;
    /** Told of each command, as /metrics is. */
    observer?: Observer;
  } = {},
): TestCore {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const core = createCore({
    db,
    defaults: { locale: options.locale ?? 'en', timeZone: 'UTC' },
    log: options.log ?? pino({ level: 'info' }, sink),
    now: options.now ?? (() => FIXED_NOW),
    ...(options.kick && { kick: options.kick }),
    ...(options.canPost && { canPost: options.canPost }),
    ...(options.observer && { observer: options.observer }),
    // null: run as a server with no MINGA_SECRET.
    ...(options.secret !== null && { secret: options.secret ?? TEST_SECRET }),
  });
  return Object.assign(core, { logs });
}

export function requester(overrides: Partial<Requester> = {}): Requester {
  return { platform: 'console', workspaceId: 'ws-1', userId: 'ana', userName: 'ana', ...overrides };
}

/** A reply as the lines a person reads. */
export function text(reply: Reply): string {
  return replyTexts(reply).join('\n');
}
