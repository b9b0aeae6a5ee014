// The Slack adapter's settings: its own environment variables, validated into one of the ways Minga can run on Slack.
import { z } from 'zod';
import { ConfigError, portSetting } from '../../src/config.js';

/** The bot scopes Minga asks for, and no more; adapters/slack/manifest*.yml must list the same. */
export const SLACK_SCOPES = ['commands', 'chat:write', 'im:write', 'users:read', 'channels:read', 'groups:read', 'files:write'] as const;

/** The variables that hold Slack credentials: any of them set means the operator wants Slack. */
const CREDENTIALS = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'SLACK_CLIENT_ID',
  'SLACK_CLIENT_SECRET',
  'SLACK_STATE_SECRET',
] as const;

const OAUTH = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;

const optional = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().optional());
// Secrets have no published format beyond "a long string"; a space or a very short value is a copy-paste mistake.
const secret = optional.pipe(z.string().regex(/^\S{16,}$/, 'should be the long value from the app settings, with no spaces').optional());

const schema = z.object({
  SLACK_BOT_TOKEN: optional.pipe(z.string().regex(/^xoxb-\S+$/, 'should be a bot token starting with xoxb-').optional()),
  SLACK_SIGNING_SECRET: secret,
  SLACK_APP_TOKEN: optional.pipe(z.string().regex(/^xapp-\S+$/, 'should be an app-level token starting with xapp-').optional()),
  SLACK_CLIENT_ID: optional.pipe(z.string().regex(/^\d+\.\d+$/, 'should look like 1234567890.1234567890').optional()),
  SLACK_CLIENT_SECRET: secret,
  SLACK_STATE_SECRET: secret,
  SLACK_API_URL: optional.pipe(z.url({ protocol: /^https?$/ }).optional()),
  PORT: portSetting,
});

export type SlackAuth =
  /** One workspace: the bot token from "Install to Workspace". */
  | { kind: 'token'; botToken: string }
  /** Many workspaces: the OAuth install flow stores each workspace's token in Postgres. */
  | { kind: 'oauth'; clientId: string; clientSecret: string; stateSecret: string };

export interface SlackConfig {
  auth: SlackAuth;
  /** HTTP: Slack calls us at /slack/events. Socket Mode: we open a WebSocket to Slack, so no public URL is needed. */
  mode: 'http' | 'socket';
  signingSecret?: string;
  appToken?: string;
  /** The Web API base URL, ending with a slash; undefined means Slack's own. */
  apiUrl?: string;
  /** Where the HTTP receiver (and the OAuth pages) listen. */
  port: number;
}

/** True when any Slack credential is set; the adapter then insists on a complete, well-formed set. */
export function slackConfigured(env: NodeJS.ProcessEnv): boolean {
  return CREDENTIALS.some((name) => (env[name] ?? '').trim() !== '');
}

export function loadSlackConfig(env: NodeJS.ProcessEnv): SlackConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid Slack configuration. ${problems.join('; ')}`);
  }
  const vars = parsed.data;
  const oauthSet = OAUTH.filter((name) => vars[name] !== undefined);
  if (oauthSet.length > 0 && oauthSet.length < OAUTH.length) {
    const missing = OAUTH.filter((name) => vars[name] === undefined);
    throw new ConfigError(`Invalid Slack configuration. ${missing.join(', ')}: missing; the OAuth install flow needs ${OAUTH.join(', ')} together.`);
  }
  if (oauthSet.length > 0 && vars.SLACK_BOT_TOKEN) {
    throw new ConfigError(
      'Invalid Slack configuration. SLACK_BOT_TOKEN: set it for one workspace, or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET for many, not both.',
    );
  }
  let auth: SlackAuth;
  if (vars.SLACK_BOT_TOKEN) auth = { kind: 'token', botToken: vars.SLACK_BOT_TOKEN };
  else if (vars.SLACK_CLIENT_ID && vars.SLACK_CLIENT_SECRET && vars.SLACK_STATE_SECRET) {
    auth = { kind: 'oauth', clientId: vars.SLACK_CLIENT_ID, clientSecret: vars.SLACK_CLIENT_SECRET, stateSecret: vars.SLACK_STATE_SECRET };
  } else {
    throw new ConfigError(
      'Invalid Slack configuration. SLACK_BOT_TOKEN: missing (or set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET to install Minga in many workspaces).',
    );
  }
  const mode = vars.SLACK_APP_TOKEN ? 'socket' : 'http';
  // Socket Mode needs no signature: the WebSocket itself is authenticated by the app-level token.
  if (mode === 'http' && !vars.SLACK_SIGNING_SECRET) {
    throw new ConfigError('Invalid Slack configuration. SLACK_SIGNING_SECRET: missing; Slack signs every request with it (Basic Information → App Credentials).');
  }
  return {
    auth,
    mode,
    ...(vars.SLACK_SIGNING_SECRET && { signingSecret: vars.SLACK_SIGNING_SECRET }),
    ...(vars.SLACK_APP_TOKEN && { appToken: vars.SLACK_APP_TOKEN }),
    ...(vars.SLACK_API_URL && { apiUrl: vars.SLACK_API_URL.endsWith('/') ? vars.SLACK_API_URL : `${vars.SLACK_API_URL}/` }),
    port: vars.PORT ?? 3000,
  };
}
