// The Slack settings: which mode each set of variables selects, every mistake named by its variable (MINGA_SECRET too), and a manifest that matches the code.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Installation } from '@slack/bolt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectAdapters } from '../adapters/registry.js';
import { loadSlackConfig, SLACK_SCOPES, slackConfigured } from '../adapters/slack/config.js';
import { PostgresInstallationStore } from '../adapters/slack/installation-store.js';
import { SLASH_COMMAND } from '../adapters/slack/listeners.js';
import { SlackAdapter } from '../adapters/slack/slack-adapter.js';
import { migrateDatabase, openPglite } from '../db/connection.js';
import { slackInstallations } from '../db/schema.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { deriveKey, loadSecret, SECRET_FILE } from '../src/secrets.js';
import { startFakeSlack } from './fakes/slack-api.js';
import { createTestCore, TEST_SECRET } from './support/core.js';
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

  it('GIVEN Slack credentials THEN the registry runs Slack instead of the console, described in the deployment\'s language', async () => {
    const env = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: SECRET, MINGA_LOCALE: 'es' };
    const adapters = await selectAdapters({ env, config: loadConfig(env), database, log, secret: TEST_SECRET });
    expect(adapters.map((adapter) => adapter.description)).toEqual(['Slack (HTTP en el puerto 3000)']);
    expect(adapters[0]).toBeInstanceOf(SlackAdapter);
  });

  it('GIVEN half the credentials THEN choosing adapters stops with the missing variable\'s name', async () => {
    const env = { SLACK_SIGNING_SECRET: SECRET };
    await expect(selectAdapters({ env, config: loadConfig(env), database, log, secret: TEST_SECRET })).rejects.toThrow(/SLACK_BOT_TOKEN: missing/);
  });

  it('GIVEN the install flow on a PostgreSQL server without MINGA_SECRET THEN choosing adapters stops naming MINGA_SECRET', async () => {
    const env = { ...oauth, SLACK_SIGNING_SECRET: SECRET, DATABASE_URL: 'postgres://minga@db:5432/minga' };
    const config = loadConfig(env);
    const secret = loadSecret({ databaseUrl: config.DATABASE_URL, dataDir: config.MINGA_DATA_DIR });
    expect(secret).toBeUndefined();
    await expect(selectAdapters({ env, config, database, log, secret })).rejects.toThrow(ConfigError);
    await expect(selectAdapters({ env, config, database, log, secret })).rejects.toThrow(/^Invalid configuration\. MINGA_SECRET: missing; the Slack install flow/);
    // One workspace's bot token is not stored, so it needs no secret.
    const tokenEnv = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: SECRET, DATABASE_URL: env.DATABASE_URL };
    expect(await selectAdapters({ env: tokenEnv, config: loadConfig(tokenEnv), database, log, secret })).toHaveLength(1);
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

/** Runs Minga as `npm start` does; resolves with what it printed once it exits, or once `until` appears on stderr (then stops it). */
function runMinga(env: Record<string, string>, until?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], {
      cwd: join(import.meta.dirname, '..'),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (until && stderr.includes(until)) child.kill('SIGTERM');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// Each test starts a Node process that migrates an embedded database: slow on a busy machine, hence the room.
describe('Slack tokens at rest, as `npm start` meets them', { timeout: 90_000 }, () => {
  const installed = (teamId: string, token: string) =>
    ({ team: { id: teamId }, enterprise: undefined, isEnterpriseInstall: false, user: { id: 'U1', token: undefined, scopes: undefined }, bot: { token, scopes: [], id: 'B1', userId: 'U9' } }) as Installation;
  const env = (dataDir: string) => ({ MINGA_DATA_DIR: dataDir, ...oauth, SLACK_SIGNING_SECRET: SECRET, PORT: '0', SLACK_API_URL: 'http://127.0.0.1:9/api/' });
  let dataDir: string;
  beforeAll(async () => {
    // An embedded database with one workspace sealed under the generated secret and one row from before tokens were sealed.
    dataDir = mkdtempSync(join(tmpdir(), 'minga-sealed-'));
    writeFileSync(join(dataDir, SECRET_FILE), `${TEST_SECRET}\n`, { mode: 0o600 });
    const database = await openPglite(dataDir);
    await migrateDatabase(database);
    await new PostgresInstallationStore(database.db, deriveKey(TEST_SECRET, 'slack-installations')).storeInstallation(installed('T0SEALED', 'xoxb-sealed'));
    await database.db.insert(slackInstallations).values({ key: 'team:T0CLEAR', teamId: 'T0CLEAR', installation: installed('T0CLEAR', 'xoxb-clear') });
    await database.close();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('GIVEN a MINGA_SECRET other than the one the tokens were sealed with THEN it exits 1 with a message naming MINGA_SECRET and no stack trace', async () => {
    const result = await runMinga({ ...env(dataDir), MINGA_SECRET: 'not-the-secret-the-tokens-were-sealed-with' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('MINGA_SECRET does not match the one the Slack installations were encrypted with');
    expect(result.stderr).not.toContain('Minga could not start');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('GIVEN the embedded database\'s own secret file THEN it starts, the Slack adapter gets that secret, and the row in clear is sealed', async () => {
    // The log line the adapter writes once it has sealed the row, before it listens.
    const result = await runMinga({ ...env(dataDir), LOG_LEVEL: 'info' }, 'slack installations stored in clear are now encrypted');
    expect(result.stderr).not.toContain('MINGA_SECRET');
    expect(result.stdout).toContain('Minga is running');
    const database = await openPglite(dataDir);
    try {
      const rows = await database.db.select().from(slackInstallations).orderBy(slackInstallations.key);
      expect(rows.map((row) => [row.key, row.installation, row.sealed?.startsWith('v1:')])).toEqual([
        ['team:T0CLEAR', null, true],
        ['team:T0SEALED', null, true],
      ]);
      const store = new PostgresInstallationStore(database.db, deriveKey(TEST_SECRET, 'slack-installations'));
      expect((await store.fetchInstallation({ teamId: 'T0CLEAR', enterpriseId: undefined, isEnterpriseInstall: false })).bot?.token).toBe('xoxb-clear');
    } finally {
      await database.close();
    }
  });
});
