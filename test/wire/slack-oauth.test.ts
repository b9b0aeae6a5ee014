// Many workspaces on one deployment: the OAuth install flow at the wire, the installation store on PGlite and the server (tokens sealed at rest), and each workspace served with its own token.
import type { Installation } from '@slack/bolt';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PostgresInstallationStore, WRONG_SECRET_MESSAGE } from '../../adapters/slack/installation-store.js';
import type { Db } from '../../db/connection.js';
import { slackInstallations, workspaces } from '../../db/schema.js';
import { ConfigError } from '../../src/config.js';
import { conversationId } from '../../src/conversation.js';
import { deriveKey } from '../../src/secrets.js';
import { open } from '../../src/sealing.js';
import { TEST_SECRET } from '../support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { postToBolt } from '../fakes/slack-requests.js';
import { PEOPLE, SIGNING_SECRET, startSlackRig, type SlackRig } from '../support/slack.js';

const KEY = deriveKey(TEST_SECRET, 'slack-installations');
const OTHER_SECRET = 'another-secret-0123456789abcdef0123456789abcdef';

/** Every row of the table as Postgres prints it (row::text): what a dump or a stolen backup shows. */
async function rawRows(db: Db): Promise<string[]> {
  const rows = await db.select({ raw: sql<string>`${slackInstallations}::text` }).from(slackInstallations);
  return rows.map((row) => row.raw);
}

/** A record as Bolt gives it after an install; `isEnterpriseInstall` makes it org-wide. */
function installation(id: string, token: string, isEnterpriseInstall = false): Installation {
  return {
    user: { id: 'U1', token: undefined, scopes: undefined },
    ...(isEnterpriseInstall ? { team: undefined, enterprise: { id } } : { team: { id }, enterprise: undefined }),
    isEnterpriseInstall,
    bot: { token, scopes: ['commands'], id: 'B1', userId: 'U9' },
  } as Installation;
}

/** A row as Minga stored it before tokens were sealed: the record in clear. */
async function insertLegacy(db: Db, teamId: string, token: string): Promise<void> {
  await db.insert(slackInstallations).values({ key: `team:${teamId}`, teamId, enterpriseId: null, installation: installation(teamId, token), sealed: null });
}

const OAUTH_ENV = {
  SLACK_BOT_TOKEN: '',
  SLACK_CLIENT_ID: '1234567890.0987654321',
  SLACK_CLIENT_SECRET: 'c0ffee'.repeat(6),
  SLACK_STATE_SECRET: 'a-state-secret-of-some-length',
};

describe.each(databaseTargets())('Slack installations on %s', (kind) => {
  let database: TestDatabase;
  let rig: SlackRig;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    rig = await startSlackRig(database, { env: OAUTH_ENV });
  });
  afterAll(async () => {
    await rig?.stop();
    await database?.close();
  });

  /** What a browser does: open the install page, follow Slack back to the redirect with the state cookie. */
  async function install(teamId: string) {
    const page = await fetch(`${rig.url}/slack/install`);
    const html = await page.text();
    const state = /slack-app-oauth-state=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')?.[1];
    if (!state) throw new Error('no state cookie');
    const back = await fetch(`${rig.url}/slack/oauth_redirect?code=code-${teamId}&state=${encodeURIComponent(state)}`, {
      headers: { cookie: `slack-app-oauth-state=${state}` },
    });
    return { page: { status: page.status, html }, back: { status: back.status, html: await back.text() } };
  }

  it('GIVEN a coordinator installs Minga from /slack/install THEN the workspace\'s token is stored and the page says what to do next', async () => {
    const { page, back } = await install('T0NEW1');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Add Minga to your Slack workspace');
    expect(page.html).toContain('https://slack.com/oauth/v2/authorize?');
    expect(page.html).toContain('scope=commands%2Cchat%3Awrite%2Cim%3Awrite%2Cusers%3Aread');
    expect(back.status).toBe(200);
    expect(back.html).toContain('Minga is installed in Minga Test T0NEW1.');

    const exchange = rig.fake.callsTo('oauth.v2.access').at(-1);
    expect(exchange?.body).toMatchObject({ code: 'code-T0NEW1', client_id: OAUTH_ENV.SLACK_CLIENT_ID });
    const [row] = await database.db.select().from(slackInstallations).where(eq(slackInstallations.key, 'team:T0NEW1'));
    expect(row).toMatchObject({ teamId: 'T0NEW1', enterpriseId: null, installation: null });
    expect(JSON.parse(open(KEY, row!.sealed!, 'team:T0NEW1'))).toMatchObject({ bot: { token: 'xoxb-installed-T0NEW1' } });
  });

  it('GIVEN installed workspaces THEN the table holds no token in clear, only sealed records', async () => {
    await install('T0RAW');
    const rows = await rawRows(database.db);
    expect(rows.some((row) => row.includes('T0RAW'))).toBe(true);
    for (const row of rows) {
      expect(row).not.toContain('xoxb-');
      expect(row).toContain('v1:');
    }
  });

  it('GIVEN a workspace removes Minga THEN its stored token is forgotten', async () => {
    await install('T0GONE');
    const event = {
      token: 'verification-token',
      team_id: 'T0GONE',
      api_app_id: 'A0MINGA',
      event: { type: 'app_uninstalled', event_ts: '1795780000.000100' },
      type: 'event_callback',
      event_id: 'Ev0GONE',
      event_time: 1795780000,
      authorizations: [{ enterprise_id: null, team_id: 'T0GONE', user_id: 'U0BOT', is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
    };
    const ack = await postToBolt(rig.url, JSON.stringify(event), SIGNING_SECRET);
    expect(ack.status).toBe(200);
    for (let i = 0; i < 100; i++) {
      const rows = await database.db.select().from(slackInstallations).where(eq(slackInstallations.key, 'team:T0GONE'));
      if (rows.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await database.db.select().from(slackInstallations).where(eq(slackInstallations.key, 'team:T0GONE'))).toEqual([]);
  });

  it('GIVEN an installed workspace THEN its commands are served with its own token, and so are Minga\'s own posts', async () => {
    await install('T0NEW2');
    const help = await rig.command('help', { teamId: 'T0NEW2', userId: PEOPLE.ana.id });
    expect(help.response_type).toBe('ephemeral');
    const lookup = rig.fake.callsTo('users.info').at(-1);
    expect(lookup?.token).toBe('xoxb-installed-T0NEW2');

    await rig.adapter.post(conversationId({ platform: 'slack', workspaceId: 'T0NEW2', channelId: 'C0NEWS' }), {
      visibility: 'public',
      locale: 'en',
      lines: [{ text: 'Hello' }],
    });
    const posted = await rig.fake.waitForCall('chat.postMessage', (call) => call.body.channel === 'C0NEWS');
    expect(posted.token).toBe('xoxb-installed-T0NEW2');
  });

  it('GIVEN a workspace that never installed Minga THEN its command is refused and leaves nothing behind', async () => {
    const { ack, responseId } = await rig.send('task add Sneaky', { teamId: 'T0NOPE', userId: PEOPLE.bob.id });
    // Bolt acknowledges (Slack then shows nothing) but no listener runs: there is no token to answer with.
    expect(ack.status).toBe(200);
    expect(rig.fake.responses.some((response) => response.id === responseId)).toBe(false);
    expect(await database.db.select().from(workspaces).where(eq(workspaces.externalId, 'T0NOPE'))).toEqual([]);
    await expect(
      rig.adapter.post(conversationId({ platform: 'slack', workspaceId: 'T0NOPE', channelId: 'C1' }), { visibility: 'public', locale: 'en', lines: [{ text: 'x' }] }),
    ).rejects.toThrow(/not installed/);
  });

  it('GIVEN a reinstall, an org-wide install and an uninstall THEN the store keeps one current record per workspace or enterprise', async () => {
    const store = new PostgresInstallationStore(database.db, KEY);
    const base = { user: { id: 'U1', token: undefined, scopes: undefined }, enterprise: undefined, isEnterpriseInstall: false as const };
    await store.storeInstallation({ ...base, team: { id: 'T0STORE' }, bot: { token: 'xoxb-old', scopes: [], id: 'B1', userId: 'U9' } });
    await store.storeInstallation({ ...base, team: { id: 'T0STORE' }, bot: { token: 'xoxb-new', scopes: [], id: 'B1', userId: 'U9' } });
    const query = { teamId: 'T0STORE', enterpriseId: undefined, isEnterpriseInstall: false as const };
    expect((await store.fetchInstallation(query)).bot?.token).toBe('xoxb-new');

    await store.storeInstallation({ ...base, team: undefined, enterprise: { id: 'E0ORG' }, isEnterpriseInstall: true, bot: { token: 'xoxb-org', scopes: [], id: 'B2', userId: 'U8' } });
    // A workspace of that enterprise is served by the org-wide install.
    expect((await store.fetchInstallation({ teamId: 'T0INORG', enterpriseId: 'E0ORG', isEnterpriseInstall: false })).bot?.token).toBe('xoxb-org');

    await store.deleteInstallation(query);
    await expect(store.fetchInstallation(query)).rejects.toThrow(/not installed in Slack workspace T0STORE/);
    expect((await rawRows(database.db)).join('\n')).not.toContain('xoxb-');
  });

  it('GIVEN one workspace\'s sealed record copied into another\'s row THEN it is not served there', async () => {
    const store = new PostgresInstallationStore(database.db, KEY);
    await store.storeInstallation(installation('T0VICTIM', 'xoxb-victim'));
    await store.storeInstallation(installation('T0THIEF', 'xoxb-thief'));
    const [victim] = await database.db.select().from(slackInstallations).where(eq(slackInstallations.key, 'team:T0VICTIM'));
    await database.db.update(slackInstallations).set({ sealed: victim!.sealed }).where(eq(slackInstallations.key, 'team:T0THIEF'));
    await expect(store.fetchInstallation({ teamId: 'T0THIEF', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toThrow(/does not open/);
  });
});

describe.each(databaseTargets())('Slack installations stored in clear, on %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  beforeEach(async () => {
    await database.db.delete(slackInstallations);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('GIVEN rows stored in clear before tokens were sealed THEN start-up seals them and the workspaces are still served with their tokens', async () => {
    await insertLegacy(database.db, 'T0OLD1', 'xoxb-legacy-T0OLD1');
    await insertLegacy(database.db, 'T0OLD2', 'xoxb-legacy-T0OLD2');
    expect((await rawRows(database.db)).join('\n')).toContain('xoxb-legacy-T0OLD1');

    const rig = await startSlackRig(database, { env: OAUTH_ENV });
    try {
      const rows = await database.db.select().from(slackInstallations).orderBy(slackInstallations.key);
      expect(rows.map((row) => [row.key, row.installation, typeof row.sealed])).toEqual([
        ['team:T0OLD1', null, 'string'],
        ['team:T0OLD2', null, 'string'],
      ]);
      expect((await rawRows(database.db)).join('\n')).not.toContain('xoxb-');

      await rig.command('help', { teamId: 'T0OLD2', userId: PEOPLE.ana.id });
      expect(rig.fake.callsTo('users.info').at(-1)?.token).toBe('xoxb-legacy-T0OLD2');
    } finally {
      await rig.stop();
    }
  });

  it('GIVEN start-up runs again THEN nothing is sealed twice and every record still opens', async () => {
    await insertLegacy(database.db, 'T0AGAIN', 'xoxb-legacy-T0AGAIN');
    const store = new PostgresInstallationStore(database.db, KEY);
    expect(await store.sealStored()).toBe(1);
    const [first] = await database.db.select().from(slackInstallations);
    expect(await store.sealStored()).toBe(0);
    const [second] = await database.db.select().from(slackInstallations);
    expect(second).toEqual(first);
    expect((await store.fetchInstallation({ teamId: 'T0AGAIN', enterpriseId: undefined, isEnterpriseInstall: false })).bot?.token).toBe('xoxb-legacy-T0AGAIN');
  });

  it('GIVEN several instances start together THEN each row is sealed once, under one key, and an instance with another secret is refused', async () => {
    const teams = Array.from({ length: 8 }, (_, i) => `T0MANY${i}`);
    for (const team of teams) await insertLegacy(database.db, team, `xoxb-legacy-${team}`);
    const same = [new PostgresInstallationStore(database.db, KEY), new PostgresInstallationStore(database.db, KEY)];
    const counts = await Promise.all(same.map((store) => store.sealStored()));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(teams.length);

    await database.db.delete(slackInstallations);
    for (const team of teams) await insertLegacy(database.db, team, `xoxb-legacy-${team}`);
    const other = deriveKey(OTHER_SECRET, 'slack-installations');
    const results = await Promise.allSettled([KEY, other].map((key) => new PostgresInstallationStore(database.db, key).sealStored()));
    const won = results.findIndex((result) => result.status === 'fulfilled');
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results[1 - won] as PromiseRejectedResult).reason).toEqual(new ConfigError(WRONG_SECRET_MESSAGE));
    const winner = new PostgresInstallationStore(database.db, won === 0 ? KEY : other);
    for (const team of teams) {
      expect((await winner.fetchInstallation({ teamId: team, enterpriseId: undefined, isEnterpriseInstall: false })).bot?.token).toBe(`xoxb-legacy-${team}`);
    }
  });

  it('GIVEN records sealed under another MINGA_SECRET THEN start-up is refused naming MINGA_SECRET, and the rows in clear stay as they were', async () => {
    await new PostgresInstallationStore(database.db, KEY).storeInstallation(installation('T0SEALED', 'xoxb-sealed'));
    await insertLegacy(database.db, 'T0CLEAR', 'xoxb-legacy-T0CLEAR');
    const before = await database.db.select().from(slackInstallations).orderBy(slackInstallations.key);

    await expect(startSlackRig(database, { env: OAUTH_ENV, secret: OTHER_SECRET })).rejects.toThrow(new ConfigError(WRONG_SECRET_MESSAGE));
    expect(WRONG_SECRET_MESSAGE).toContain('MINGA_SECRET does not match the one the Slack installations were encrypted with');
    // Not sealed under the wrong key: with the right secret back, everything opens.
    expect(await database.db.select().from(slackInstallations).orderBy(slackInstallations.key)).toEqual(before);
  });
});
