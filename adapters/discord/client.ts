// Builds the discord.js client Minga runs on: the fewest intents, no message cache, and no pings from anything it posts.
import { Client, GatewayIntentBits, Options } from 'discord.js';
import type { DiscordConfig } from './config.js';

export function createDiscordClient(config: DiscordConfig): Client {
  return new Client({
    // Interactions reach a bot without any intent; Guilds adds the server's name (an alliance's first name) and its channels.
    // No privileged intent: Minga never reads messages, presences or member lists.
    intents: [GatewayIntentBits.Guilds],
    // Minga never reads channel messages back: its own database is the record.
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
    // Task titles are typed by members: "@everyone" in one must not ping the whole server.
    allowedMentions: { parse: [] },
    ...(config.apiUrl && { rest: { api: config.apiUrl } }),
  });
}
