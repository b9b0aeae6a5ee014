// Benchmark: interaction → callback round trips through the Discord adapter and the core, beside a bare discord.js client that only replies, and for the task list one that reads the same list in one query and replies with it.
import { Client, Events, GatewayIntentBits, MessageFlags } from 'discord.js';
import { eq, sql } from 'drizzle-orm';
import { pino } from 'pino';
import type { Database } from '../db/connection.js';
import { DiscordAdapter } from '../adapters/discord/discord-adapter.js';
import { workspaces } from '../db/schema.js';
import { createCore } from '../src/handler.js';
import { startFakeDiscord, type FakeDiscord, type Json } from '../test/fakes/discord.js';
import { slashOptions, type OptionValue } from '../test/support/discord.js';
import { measureAlternating, report } from './stats.js';

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

  // The floors: the same library, the same fake, no core. It replies at once; for the task list it first reads the same
  // list as Minga in one query, the least any bot must do to show it.
  let allianceId = 0;
  const bareFake = await startFakeDiscord({ guilds: [GUILD] });
  const bare = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: bareFake.restUrl } });
  bare.on(Events.InteractionCreate, async (interaction) => {
    if (!interaction.isChatInputCommand()) return;
    if (!JSON.stringify(interaction.options.data).includes('"list"')) return void interaction.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
    const result = await database.db.execute(
      sql`select number, title, due_on from tasks where alliance_id = ${allianceId} and status = 'open' order by due_on asc nulls last, number limit 50`,
    );
    // postgres.js hands back the rows, PGlite a result holding them.
    const rows = (Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows) as { number: number; title: string; due_on: string | null }[];
    void interaction.reply({ content: rows.map((row) => `#${row.number} ${row.title} ${row.due_on ?? ''}`).join('\n').slice(0, 2000), flags: MessageFlags.Ephemeral });
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
      const [bareFigures, help, add] = await measureAlternating(
        [
          { name: `bare client reply, no read, c=${concurrency}`, run: (i) => baseline(slash(bareFake, i, 'help')) },
          { name: `/minga help, c=${concurrency}`, run: (i) => minga(slash(mingaFake, i, 'help')) },
          { name: `/minga task add, c=${concurrency}`, run: (i) => minga(slash(mingaFake, i, 'task add', { title: `Bench task ${i}`, due: 'tomorrow' })) },
        ],
        n,
        concurrency,
      );
      report(`Discord interaction → callback on ${label}, concurrency ${concurrency}`, bareFigures!, [help!, add!]);
      const [workspace] = await database.db.select({ allianceId: workspaces.allianceId }).from(workspaces).where(eq(workspaces.externalId, GUILD.id));
      allianceId = workspace!.allianceId;
      const [floor, list] = await measureAlternating(
        [
          { name: `floor: bare client, the list in one query, c=${concurrency}`, run: (i) => baseline(slash(bareFake, i, 'task list')) },
          { name: `/minga task list (50 shown), c=${concurrency}`, run: (i) => minga(slash(mingaFake, i, 'task list')) },
        ],
        n,
        concurrency,
      );
      report(`Discord task list on ${label}, concurrency ${concurrency}`, floor!, [list!]);
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
