// Benchmark: interaction → callback round trips through the Discord adapter and the core, beside a bare discord.js client that only replies.
import { Client, Events, GatewayIntentBits, MessageFlags } from 'discord.js';
import { pino } from 'pino';
import type { Database } from '../db/connection.js';
import { DiscordAdapter } from '../adapters/discord/discord-adapter.js';
import { createCore } from '../src/handler.js';
import { startFakeDiscord, type FakeDiscord, type Json } from '../test/fakes/discord.js';
import { slashOptions, type OptionValue } from '../test/support/discord.js';
import { measure, report } from './stats.js';

const GUILD = { id: '930000000000000001', name: 'Bench', ownerId: '930000000000000009', channels: [{ id: '930000000000000002', name: 'general' }] };
const TOKEN = 'bench.bot.token';

/** Sends an interaction and resolves when its callback reaches the fake: the member's wait, minus the network. */
function roundTrip(fake: FakeDiscord): (payload: Json) => Promise<void> {
  const waiting = new Map<string, () => void>();
  fake.onRequest((request) => {
    waiting.get(request.path)?.();
    waiting.delete(request.path);
  });
  return (payload) =>
    new Promise<void>((resolve) => {
      waiting.set(`/interactions/${payload.id}/${payload.token}/callback`, resolve);
      fake.sendInteraction(payload);
    });
}

export async function benchDiscord(database: Database, label: string): Promise<void> {
  const log = pino({ level: 'silent' });
  const core = createCore({ db: database.db, defaults: { locale: 'en', timeZone: 'UTC' }, log });
  const mingaFake = await startFakeDiscord({ guilds: [GUILD] });
  const adapter = new DiscordAdapter({ token: TOKEN, apiUrl: mingaFake.restUrl, guildId: GUILD.id }, { log, defaultLocale: 'en' });
  await adapter.start(core);

  // The baseline: the same library, the same fake, no core and no database.
  const bareFake = await startFakeDiscord({ guilds: [GUILD] });
  const bare = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: bareFake.restUrl } });
  bare.on(Events.InteractionCreate, (interaction) => {
    if (interaction.isChatInputCommand()) void interaction.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
  });
  const ready = new Promise<void>((resolve) => bare.once(Events.ClientReady, () => resolve()));
  await bare.login(TOKEN);
  await ready;

  const minga = roundTrip(mingaFake);
  const baseline = roundTrip(bareFake);
  const user = (i: number) => ({ id: `93100000000000${String(i % 20).padStart(4, '0')}`, username: `m${i % 20}` });
  const slash = (fake: FakeDiscord, i: number, path: string, values: Record<string, OptionValue> = {}) =>
    fake.chatInputInteraction({ user: user(i), ...slashOptions(path, values) });

  try {
    await minga(slash(mingaFake, 0, 'help'));
    for (const concurrency of [1, 16]) {
      const n = 300;
      const bareFigures = await measure(`bare client reply, c=${concurrency}`, n, concurrency, (i) => baseline(slash(bareFake, i, 'help')));
      const help = await measure(`/minga help, c=${concurrency}`, n, concurrency, (i) => minga(slash(mingaFake, i, 'help')));
      const add = await measure(`/minga task add, c=${concurrency}`, n, concurrency, (i) =>
        minga(slash(mingaFake, i, 'task add', { title: `Bench task ${i}`, due: 'tomorrow' })),
      );
      const list = await measure(`/minga task list (50 shown), c=${concurrency}`, n / 4, concurrency, (i) => minga(slash(mingaFake, i, 'task list')));
      report(`Discord interaction → callback on ${label}, concurrency ${concurrency}`, bareFigures, [help, add, list]);
      mingaFake.clearRequests();
      bareFake.clearRequests();
    }
  } finally {
    await adapter.stop();
    await bare.destroy();
    await mingaFake.close();
    await bareFake.close();
  }
}
