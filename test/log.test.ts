// The logger's own defences, one at a time: errors written without query values, credential fields redacted, credential-shaped text and known secrets blanked.
import { DrizzleQueryError } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { boltLogger } from '../adapters/slack/bolt-logger.js';
import { errorMessage, errorText, scrub, secretsIn, serializeError } from '../src/log.js';
import { captureLog } from './support/logs.js';

const BOT_TOKEN = 'xoxb-2400000000001-2400000000002-Q2FuYXJ5Qm90VG9rZW4';
const TYPED = 'canary7Q4Zmembertext';

/** A failed insert as drizzle throws it on postgres.js: the driver's error as its cause, both carrying the values. */
function failedInsert(): DrizzleQueryError {
  const driverError = Object.assign(new Error('duplicate key value violates unique constraint "slack_installations_pkey"'), {
    name: 'PostgresError',
    code: '23505',
    severity: 'ERROR',
    constraint_name: 'slack_installations_pkey',
    detail: `Key (key)=(team:T1) already exists. Failing row contains ({"bot":{"token":"${BOT_TOKEN}"}}).`,
    where: `SQL function with ${TYPED}`,
    query: 'insert into "slack_installations" values ($1, $2)',
    parameters: ['team:T1', JSON.stringify({ bot: { token: BOT_TOKEN } })],
  });
  return new DrizzleQueryError('insert into "slack_installations" values ($1, $2)', ['team:T1', { bot: { token: BOT_TOKEN }, note: TYPED }], driverError);
}

describe('the error serializer', () => {
  it('GIVEN a failed query THEN its message, stack and cause say which query failed and why, with none of its values', () => {
    const written = serializeError(failedInsert());
    expect(written).toMatchObject({
      type: 'DrizzleQueryError',
      message: 'Failed query: insert into "slack_installations" values ($1, $2)',
      stack: expect.stringMatching(/^DrizzleQueryError: Failed query: insert into "slack_installations" values \(\$1, \$2\)\n {4}at /),
      cause: { type: 'Error', message: expect.stringContaining('duplicate key'), code: '23505', severity: 'ERROR', constraint_name: 'slack_installations_pkey' },
    });
    const text = JSON.stringify(written);
    expect(text).not.toContain(BOT_TOKEN);
    expect(text).not.toContain(TYPED);
    expect(text).not.toContain('team:T1');
  });

  it('GIVEN errors wrapping errors (a cause chain, web-api\'s original, an AggregateError, a loop) THEN each is written in turn and the loop stops', () => {
    const inner = Object.assign(new Error('fetch failed'), { code: 'ECONNREFUSED', config: { headers: { Authorization: `Bearer ${BOT_TOKEN}` } } });
    const request = Object.assign(new Error('A request error occurred'), { code: 'slack_webapi_request_error', original: inner });
    const looped: Error & { cause?: unknown } = new Error('loop');
    looped.cause = looped;
    const written = serializeError(new AggregateError([request, looped], 'all failed', { cause: new Error('first cause', { cause: new Error('second cause') }) }));
    expect(written).toMatchObject({
      type: 'AggregateError',
      cause: { message: 'first cause', cause: { message: 'second cause' } },
      errors: [
        { type: 'Error', code: 'slack_webapi_request_error', original: { message: 'fetch failed', code: 'ECONNREFUSED' } },
        { message: 'loop', cause: { type: 'omitted' } },
      ],
    });
    expect(JSON.stringify(written)).not.toContain(BOT_TOKEN);
  });

  it('GIVEN something thrown that is not an error THEN it is written as it is, to be scrubbed like any text', () => {
    expect(serializeError('plain text')).toBe('plain text');
    expect(serializeError({ code: 'E1', token: BOT_TOKEN })).toEqual({ type: 'Object', code: 'E1' });
  });

  it('GIVEN a failure to keep outside the process (a job\'s last error) THEN its message has no query values and no token', () => {
    expect(errorMessage(failedInsert())).toBe('Failed query: insert into "slack_installations" values ($1, $2)');
    expect(errorMessage(new Error(`chat.postMessage with ${BOT_TOKEN} failed`))).toBe('chat.postMessage with [redacted] failed');
    expect(errorMessage('a string')).toBe('a string');
  });

  it('GIVEN a failed start-up THEN its text for the operator has the stacks of the error and its causes, without values or credentials', () => {
    const text = errorText(new Error('Could not reach Slack', { cause: failedInsert() }), ['0c1e2a3b4c5d6e7f8a9b0c1d2e3f4a5b']);
    expect(text).toMatch(/^Error: Could not reach Slack\n {4}at /);
    expect(text).toContain('\ncaused by: DrizzleQueryError: Failed query: insert into "slack_installations" values ($1, $2)\n    at ');
    expect(text).toContain('\ncaused by: PostgresError: duplicate key value violates unique constraint');
    expect(text).not.toContain(BOT_TOKEN);
    expect(text).not.toContain(TYPED);
    expect(errorText('refused 0c1e2a3b4c5d6e7f8a9b0c1d2e3f4a5b', ['0c1e2a3b4c5d6e7f8a9b0c1d2e3f4a5b'])).toBe('refused [redacted]');
  });
});

describe('text scrubbing', () => {
  it.each([
    ['a bot token', `token ${BOT_TOKEN} refused`, 'token [redacted] refused'],
    ['a user token', 'xoxp-1-2-3-abcdef', '[redacted]'],
    ['an app-level token', 'xapp-1-A0MINGA-1-0a1b2c', '[redacted]'],
    ['a refresh token', 'xoxe.xoxp-1-Mi0yLTE', '[redacted]'],
    ['a bearer header', 'Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345', 'Authorization: Bearer [redacted]'],
    ['a Discord bot token', 'Bot MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GAbCdE.Q2FuYXJ5RGlzY29yZEJvdFRva2VuVmFsdWU', 'Bot [redacted]'],
    ['an interaction token in a URL', '/interactions/910000000000000100/aW50ZXJhY3Rpb246abcdefghijklmnop/callback', '/interactions/910000000000000100/[redacted]/callback'],
    ['a client secret in a logged body', 'http request body: {\\"client_id\\":\\"1.2\\",\\"client_secret\\":\\"0c1e2a3b\\"}', 'http request body: {\\"client_id\\":\\"1.2\\",\\"client_secret\\":\\"[redacted]\\"}'],
    ['a password in a URL', 'postgres://minga:s3cret-pass@db:5432/minga', 'postgres://minga:[redacted]@db:5432/minga'],
  ])('GIVEN %s THEN it is blanked', (_what, text, expected) => {
    expect(scrub(text)).toBe(expected);
  });

  it.each([
    'Bot installation failed for workspace T0MINGA',
    'postgres://db:5432/minga',
    'Poll #1: Where do we meet? Lima or Cusco',
    'at PQueue._tryToStartAnother (/work/main/node_modules/p-queue/dist/index.js:105:17)',
    'MINGA_SECRET: must be at least 32 characters',
  ])('GIVEN ordinary text (%s) THEN it is left alone', (text) => {
    expect(scrub(text)).toBe(text);
  });

  it('GIVEN known secrets THEN each is blanked, also as it reads inside JSON; short values are not taken for secrets', () => {
    const quoted = 'a-secret-with-"quotes"-inside';
    expect(scrub(`state ${quoted} and ${JSON.stringify(quoted)}`, [quoted])).toBe('state [redacted] and "[redacted]"');
    expect(scrub('level info', ['level'])).toBe('level info');
  });

  it('GIVEN an environment THEN its credentials are every *TOKEN, *SECRET and *PASSWORD variable and DATABASE_URL\'s password', () => {
    const env = {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      MINGA_SECRET: 'minga-secret-5f4e3d2c1b0a99887766554433221100',
      PGPASSWORD: 'a-long-db-password',
      DATABASE_URL: 'postgres://minga:p%40ss-word-1234@db:5432/minga',
      SLACK_STATE_SECRET: 'short',
      SLACK_CLIENT_ID: '1234567890.0987654321',
      DISCORD_TOKEN: '',
    };
    expect([...secretsIn(env)].sort()).toEqual([BOT_TOKEN, 'a-long-db-password', 'minga-secret-5f4e3d2c1b0a99887766554433221100', 'p@ss-word-1234'].sort());
  });
});

describe('the process logger', () => {
  it('GIVEN fields that hold credentials, in a line or a child\'s bindings THEN they are written redacted', () => {
    const { log, entries } = captureLog();
    log.child({ installation: { bot: { token: BOT_TOKEN } } }).info(
      {
        token: 'a',
        botToken: 'b',
        bot: { token: 'c' },
        headers: { authorization: 'd' },
        request: { headers: { Authorization: 'e' } },
        config: { clientSecret: 'f', signingSecret: 'g', stateSecret: 'h', appToken: 'i', MINGA_SECRET: 'j', DISCORD_TOKEN: 'k' },
        query: { params: ['l'] },
        team: 'T0MINGA',
      },
      'with credentials',
    );
    expect(entries()[0]).toMatchObject({
      installation: '[redacted]',
      token: '[redacted]',
      botToken: '[redacted]',
      bot: { token: '[redacted]' },
      headers: { authorization: '[redacted]' },
      request: { headers: { Authorization: '[redacted]' } },
      config: { clientSecret: '[redacted]', signingSecret: '[redacted]', stateSecret: '[redacted]', appToken: '[redacted]', MINGA_SECRET: '[redacted]', DISCORD_TOKEN: '[redacted]' },
      query: { params: '[redacted]' },
      team: 'T0MINGA',
    });
  });

  it('GIVEN a failed query logged alone THEN the line\'s message is the one without values', () => {
    const { log, text, entries } = captureLog();
    log.error(failedInsert());
    log.error({ err: failedInsert() });
    expect(entries().map((entry) => entry.msg)).toEqual([
      'Failed query: insert into "slack_installations" values ($1, $2)',
      'Failed query: insert into "slack_installations" values ($1, $2)',
    ]);
    expect(text()).not.toContain(TYPED);
  });

  it('GIVEN a secret of the environment, and one added after the logger was made THEN neither is written, whatever carries it', () => {
    const env = { SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5' };
    const { log, secrets, text } = captureLog({ env });
    const generated = 'generated-0123456789abcdef0123456789abcdef';
    secrets.add(generated);
    log.warn({ detail: { nested: env.SLACK_SIGNING_SECRET } }, `signed with ${env.SLACK_SIGNING_SECRET}`);
    log.error({ err: new Error(`derived from ${generated}`) }, 'key derivation failed');
    expect(text()).toContain('key derivation failed');
    expect(text()).not.toContain(env.SLACK_SIGNING_SECRET);
    expect(text()).not.toContain(generated);
  });

  it('GIVEN Bolt logs an error, alone or after a message THEN it is written like ours: no query values, no token', () => {
    const { log, text, entries } = captureLog();
    const bolt = boltLogger(log);
    bolt.error('Slack API error: invalid_auth', failedInsert());
    bolt.error(failedInsert());
    bolt.debug('authorize result', { botToken: BOT_TOKEN }, failedInsert(), failedInsert());
    expect(entries().map((entry) => [entry.msg, (entry.err as { type?: string } | undefined)?.type])).toEqual([
      ['Slack API error: invalid_auth', 'DrizzleQueryError'],
      ['Failed query: insert into "slack_installations" values ($1, $2)', 'DrizzleQueryError'],
      [expect.stringContaining('authorize result'), 'DrizzleQueryError'],
    ]);
    expect(text()).not.toContain(TYPED);
    expect(text()).not.toContain(BOT_TOKEN);
  });
});
