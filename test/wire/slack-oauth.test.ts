// Many workspaces on one deployment: the OAuth install flow at the wire, the installation store on PGlite and the server, and each workspace served with its own token.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresInstallationStore } from '../../adapters/slack/installation-store.js';
import { slackInstallations, workspaces } from '../../db/schema.js';
import { conversationId } from '../../src/conversation.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { postToBolt } from '../fakes/slack-requests.js';
import { PEOPLE, SIGNING_SECRET, startSlackRig, type SlackRig } from '../support/slack.js';

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
    expect(row).toMatchObject({ teamId: 'T0NEW1', enterpriseId: null, installation: { bot: { token: 'xoxb-installed-T0NEW1' } } });
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
    const store = new PostgresInstallationStore(database.db);
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
  });
});
