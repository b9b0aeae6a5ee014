// Picks the adapters to run from the credentials present: each platform whose variables are set, else the console workspace.
import type { Adapter } from '../src/adapter.js';
import type { AdapterFactory } from '../src/app.js';
import { ConsoleAdapter } from './console/console-adapter.js';
import { discordConfigured, loadDiscordConfig } from './discord/config.js';
import { slackConfigured } from './slack/config.js';

// Each platform's code is imported only when its settings are present: @slack/bolt and discord.js take seconds and
// tens of megabytes to load, which the console (and a deployment on the other platform) never needs.
export const selectAdapters: AdapterFactory = async ({ env, config, database, log, secret }) => {
  const adapters: Adapter[] = [];
  // Platform adapters register here, each when its credentials are set.
  if (discordConfigured(env)) {
    // Any DISCORD_* setting selects Discord, so a missing token is reported rather than silently falling back to the console.
    const discordConfig = loadDiscordConfig(env);
    const { DiscordAdapter } = await import('./discord/discord-adapter.js');
    adapters.push(new DiscordAdapter(discordConfig, { log, defaultLocale: config.MINGA_LOCALE }));
  }
  if (slackConfigured(env)) {
    // Any Slack credential selects Slack (bot token, or the OAuth variables for many workspaces); the adapter reports what is missing.
    // The secret seals the workspaces' tokens in the database; the install flow refuses to start without it.
    const { SlackAdapter } = await import('./slack/slack-adapter.js');
    adapters.push(new SlackAdapter({ env, database, log, locale: config.MINGA_LOCALE, secret }));
  }
  if (adapters.length === 0) {
    adapters.push(new ConsoleAdapter({ user: config.MINGA_USER, workspace: config.MINGA_CONSOLE_WORKSPACE, locale: config.MINGA_LOCALE, platformLocale: env.LANG }));
  }
  return adapters;
};
