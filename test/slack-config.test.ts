// The Slack settings: which mode each set of variables selects, every mistake named by its variable, and a manifest that matches the code.
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectAdapters } from '../adapters/registry.js';
import { loadSlackConfig, SLACK_SCOPES, slackConfigured } from '../adapters/slack/config.js';
import { SLASH_COMMAND } from '../adapters/slack/listeners.js';
import { SlackAdapter } from '../adapters/slack/slack-adapter.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { startFakeSlack } from './fakes/slack-api.js';
import { createTestCore } from './support/core.js';
import { openTestDatabase, type TestDatabase } from './support/databases.js';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const oauth = { SLACK_CLIENT_ID: '1234567890.0987654321', SLACK_CLIENT_SECRET: 'c'.repeat(32), SLACK_STATE_SECRET: 's'.repeat(24) };

describe('Slack configuration', () => {
  it('GIVEN no Slack variable, or only the API URL THEN Slack is not wanted', () => {
    expect(slackConfigured({})).toBe(false);
    expect(slackConfigured({ SLACK_API_URL: 'http://localhost/api/', SLACK_BOT_TOKEN: ' ' })).toBe(false);
    expect(slackConfigured({ SLACK_SIGNING_SECRET: SECRET })).toBe(true);
  });

  it('GIVEN a bot token and signing secret THEN HTTP on port 3000 for one workspace', () => {
    expect(loadSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: SECRET })).toEqual({
      auth: { kind: 'token', botToken: 'xoxb-1-2-abc' },
      mode: 'http',
      signingSecret: SECRET,
      port: 3000,
    });
  });

  it('GIVEN an app-level token as well THEN Socket Mode, which needs no signing secret', () => {
    expect(loadSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-A1-2-abc' })).toMatchObject({ mode: 'socket', appToken: 'xapp-1-A1-2-abc' });
  });

  it('GIVEN the three OAuth variables THEN the install flow for many workspaces, on PORT, with the API URL made to end in a slash', () => {
    expect(loadSlackConfig({ ...oauth, SLACK_SIGNING_SECRET: SECRET, PORT: '8080', SLACK_API_URL: 'http://127.0.0.1:9/api' })).toEqual({
      auth: { kind: 'oauth', clientId: oauth.SLACK_CLIENT_ID, clientSecret: oauth.SLACK_CLIENT_SECRET, stateSecret: oauth.SLACK_STATE_SECRET },
      mode: 'http',
      signingSecret: SECRET,
      apiUrl: 'http://127.0.0.1:9/api/',
      port: 8080,
    });
  });

  it.each([
    [{ SLACK_SIGNING_SECRET: SECRET }, 'SLACK_BOT_TOKEN: missing'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_SIGNING_SECRET: missing'],
    [{ SLACK_BOT_TOKEN: 'xoxp-1', SLACK_SIGNING_SECRET: SECRET }, 'SLACK_BOT_TOKEN: should be a bot token starting with xoxb-'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-2' }, 'SLACK_APP_TOKEN: should be an app-level token starting with xapp-'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'short' }, 'SLACK_SIGNING_SECRET: should be the long value'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: SECRET, PORT: 'http' }, 'PORT: should be a port number'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: 'slack.com' }, 'SLACK_API_URL:'],
    [{ SLACK_CLIENT_ID: oauth.SLACK_CLIENT_ID, SLACK_SIGNING_SECRET: SECRET }, 'SLACK_CLIENT_SECRET, SLACK_STATE_SECRET: missing'],
    [{ ...oauth, SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: SECRET }, 'SLACK_BOT_TOKEN: set it for one workspace'],
  ])('GIVEN %o THEN start-up stops naming the variable', (env, message) => {
    expect(() => loadSlackConfig(env)).toThrow(ConfigError);
    expect(() => loadSlackConfig(env)).toThrow(message);
  });
});

describe('the app manifests', () => {
  const manifests = ['manifest.yml', 'manifest-socket-mode.yml'].map((name) => [
    name,
    readFileSync(new URL(`../adapters/slack/${name}`, import.meta.url), 'utf8'),
  ]);

  it.each(manifests)('GIVEN %s THEN it has the /minga command escaped, interactivity, and exactly the scopes the code asks for', (_name, text) => {
    expect(text).toContain(`- command: ${SLASH_COMMAND}`);
    expect(text).toMatch(/should_escape: true/);
    expect(text).toMatch(/interactivity:\s*\n\s*is_enabled: true/);
    const scopes = /bot:\s*\n((?:\s*- \S+\n)+)/.exec(text)?.[1]?.match(/- (\S+)/g)?.map((line) => line.slice(2));
    expect(scopes).toEqual([...SLACK_SCOPES]);
  });

  it('GIVEN the Socket Mode manifest THEN socket mode is on and no request URL is needed', () => {
    const socket = manifests[1]![1]!;
    expect(socket).toMatch(/socket_mode_enabled: true/);
    expect(socket).not.toMatch(/^\s*(url|request_url):/m);
    expect(manifests[0]![1]).toMatch(/socket_mode_enabled: false/);
  });
});

describe('choosing and starting the Slack adapter', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase('pglite');
  });
  afterAll(() => database.close());
  const log = pino({ level: 'silent' });

  it('GIVEN Slack credentials THEN the registry runs Slack instead of the console, described in the deployment\'s language', () => {
    const env = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: SECRET, MINGA_LOCALE: 'es' };
    const adapters = selectAdapters({ env, config: loadConfig(env), database, log });
    expect(adapters.map((adapter) => adapter.description)).toEqual(['Slack (HTTP en el puerto 3000)']);
    expect(adapters[0]).toBeInstanceOf(SlackAdapter);
  });

  it('GIVEN half the credentials THEN choosing adapters stops with the missing variable\'s name', () => {
    const env = { SLACK_SIGNING_SECRET: SECRET };
    expect(() => selectAdapters({ env, config: loadConfig(env), database, log })).toThrow(/SLACK_BOT_TOKEN: missing/);
  });

  it('GIVEN a bot token Slack refuses THEN start-up stops with a ConfigError naming SLACK_BOT_TOKEN', async () => {
    const fake = await startFakeSlack();
    fake.failNext('auth.test', { error: 'invalid_auth' });
    const adapter = new SlackAdapter({
      env: { SLACK_BOT_TOKEN: 'xoxb-revoked', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.url, PORT: '0' },
      database,
      log,
      locale: 'en',
      host: '127.0.0.1',
    });
    try {
      await expect(adapter.start(createTestCore(database.db))).rejects.toThrow(new ConfigError('Invalid Slack configuration. SLACK_BOT_TOKEN: Slack refused it (invalid_auth).'));
      expect(adapter.port).toBeUndefined();
    } finally {
      await fake.close();
    }
  });
});
