// The Discord adapter's settings (DISCORD_*), validated once; a missing or malformed value stops start-up naming the variable.
import { z } from 'zod';
import { ConfigError } from '../../src/config.js';

/** Empty strings count as unset, as in the core's configuration. */
const unsetIfEmpty = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const snowflake = /^\d{17,20}$/;

const schema = z.object({
  // A bot token is three dot-separated base64url parts; catching a pasted client secret or application id here beats a 401 later.
  DISCORD_TOKEN: z.preprocess(
    unsetIfEmpty,
    z
      .string({ error: 'is missing: set it to the bot token from the Developer Portal (your application → Bot → Reset Token)' })
      .trim()
      .regex(/^[\w-]+\.[\w-]+\.[\w-]+$/, { message: 'does not look like a bot token (three parts separated by dots); copy it again from the Bot page' }),
  ),
  DISCORD_API_URL: z.preprocess(
    unsetIfEmpty,
    z
      .url({ protocol: /^https?$/, error: 'is not an http(s) URL' })
      .refine((url) => !/\/v\d+\/?$/.test(url), { message: 'must not end with the API version: give the base, e.g. https://discord.com/api' })
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
  ),
  DISCORD_GUILD_ID: z.preprocess(
    unsetIfEmpty,
    z.string().trim().regex(snowflake, { message: 'is not a server id (17 to 20 digits; Developer Mode → right-click the server → Copy Server ID)' }).optional(),
  ),
});

export interface DiscordConfig {
  token: string;
  /** REST base without the version (discord.js `rest.api`); unset means Discord itself. */
  apiUrl?: string;
  /** Register commands to this server only (instant, for development); unset registers them globally. */
  guildId?: string;
}

/** True when any DISCORD_* setting is present, so a half-done setup is reported instead of silently ignored. */
export function discordConfigured(env: NodeJS.ProcessEnv): boolean {
  return ['DISCORD_TOKEN', 'DISCORD_API_URL', 'DISCORD_GUILD_ID'].some((name) => unsetIfEmpty(env[name]) !== undefined);
}

export function loadDiscordConfig(env: NodeJS.ProcessEnv): DiscordConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new ConfigError(`Invalid configuration. ${problems.join('; ')}`);
  }
  const { DISCORD_TOKEN, DISCORD_API_URL, DISCORD_GUILD_ID } = parsed.data;
  return { token: DISCORD_TOKEN, ...(DISCORD_API_URL && { apiUrl: DISCORD_API_URL }), ...(DISCORD_GUILD_ID && { guildId: DISCORD_GUILD_ID }) };
}
