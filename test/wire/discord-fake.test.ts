// Smoke test of the fake Discord (test/fakes/discord.ts) against the REAL discord.js Client over HTTP + WebSocket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApplicationCommandOptionType,
  ButtonStyle,
  Client,
  ComponentType,
  Events,
  GatewayIntentBits,
  MessageFlags,
  PermissionFlagsBits,
  type Interaction,
} from 'discord.js';
import { startFakeDiscord, type FakeDiscord, type Json } from '../fakes/discord.js';

const GUILD_ID = '900000000000000001';
const CHANNEL_ID = '900000000000000002';
const OWNER_ID = '900000000000000003';
const APP_ID = '900000000000000004';
const USER = { id: '900000000000000005', username: 'lucia', globalName: 'Lucía' };

let fake: FakeDiscord;
let client: Client;
let loginMs = 0;

// Each test registers a handler for the interaction it pushes and awaits its completion,
// so failures inside the handler fail the test instead of vanishing in an event listener.
const handlers = new Map<string, { run: (i: Interaction) => Promise<void>; done: (err?: unknown) => void }>();

function runInteraction(payload: Json, run: (i: Interaction) => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`interaction ${payload.id} was never handled`)), 2000);
    handlers.set(payload.id, {
      run,
      done: (err) => {
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      },
    });
    fake.sendInteraction(payload);
  });
}

beforeAll(async () => {
  fake = await startFakeDiscord({
    applicationId: APP_ID,
    guilds: [{ id: GUILD_ID, name: 'Red de Huertas', ownerId: OWNER_ID, preferredLocale: 'es-ES', channels: [{ id: CHANNEL_ID, name: 'general' }] }],
  });
  client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.restUrl } });
  client.on(Events.InteractionCreate, (interaction) => {
    const h = handlers.get(interaction.id);
    if (!h) return;
    h.run(interaction).then(() => h.done(), (err: unknown) => h.done(err ?? new Error('handler failed')));
  });
  const started = Date.now();
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login('fake.bot.token');
  await ready;
  loginMs = Date.now() - started;
});

afterAll(async () => {
  await client?.destroy();
  await fake?.close();
});

describe('fake Discord with the real discord.js client', () => {
  it('GIVEN a fake with one guild WHEN the client logs in THEN it is ready fast and caches the guild', () => {
    expect(loginMs).toBeLessThan(1000);
    expect(client.user?.id).toBe(APP_ID);
    expect(client.application?.id).toBe(APP_ID);
    const guild = client.guilds.cache.get(GUILD_ID);
    expect(guild?.name).toBe('Red de Huertas');
    expect(guild?.preferredLocale).toBe('es-ES');
    expect(guild?.ownerId).toBe(OWNER_ID);
    expect(guild?.channels.cache.get(CHANNEL_ID)?.name).toBe('general');
    expect(guild?.members.me?.id).toBe(APP_ID);
    expect(fake.requests.some((r) => r.path === '/gateway/bot')).toBe(true);
  });

  it('GIVEN localized commands WHEN set for the guild THEN the fake stores them with ids and returns them on fetch', async () => {
    const set = await client.application!.commands.set(
      [
        {
          name: 'minga',
          description: 'Minga',
          nameLocalizations: { 'es-ES': 'minga', 'es-419': 'minga' },
          descriptionLocalizations: { 'es-ES': 'Minga, tareas compartidas', 'es-419': 'Minga, tareas compartidas' },
          options: [
            {
              type: ApplicationCommandOptionType.SubcommandGroup,
              name: 'task',
              description: 'Tasks',
              options: [
                {
                  type: ApplicationCommandOptionType.Subcommand,
                  name: 'add',
                  description: 'Add a task',
                  options: [{ type: ApplicationCommandOptionType.String, name: 'title', description: 'Title', required: true, autocomplete: true }],
                },
              ],
            },
          ],
        },
      ],
      GUILD_ID,
    );
    expect(set.size).toBe(1);
    const stored = fake.commands(GUILD_ID);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      id: set.first()!.id,
      guild_id: GUILD_ID,
      name: 'minga',
      name_localizations: { 'es-ES': 'minga', 'es-419': 'minga' },
    });
    const put = await fake.waitFor((r) => r.method === 'PUT' && r.path === `/applications/${APP_ID}/guilds/${GUILD_ID}/commands`);
    expect(put.body[0].name_localizations).toEqual({ 'es-ES': 'minga', 'es-419': 'minga' });
    const fetched = await client.application!.commands.fetch({ guildId: GUILD_ID });
    expect(fetched.first()?.id).toBe(set.first()!.id);
  });

  it('GIVEN a chat-input interaction WHEN the handler replies ephemerally THEN a type 4 callback with the content is recorded', async () => {
    const payload = fake.chatInputInteraction({
      user: USER,
      locale: 'es-419',
      permissions: String(PermissionFlagsBits.ManageGuild),
      options: [
        { name: 'task', type: 2, options: [{ name: 'add', type: 1, options: [{ name: 'title', type: 3, value: 'Regar' }] }] },
      ],
    });
    let seen: { locale?: string; guildLocale?: string | null; group?: string | null; sub?: string; title?: string; canManage?: boolean } = {};
    await runInteraction(payload, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a chat input command');
      seen = {
        locale: i.locale,
        guildLocale: i.guildLocale,
        group: i.options.getSubcommandGroup(),
        sub: i.options.getSubcommand(),
        title: i.options.getString('title', true),
        canManage: i.memberPermissions?.has(PermissionFlagsBits.ManageGuild),
      };
      await i.reply({ content: 'Tarea creada', flags: MessageFlags.Ephemeral });
    });
    expect(seen).toEqual({ locale: 'es-419', guildLocale: 'es-ES', group: 'task', sub: 'add', title: 'Regar', canManage: true });
    const callback = await fake.waitForCallback(payload);
    expect(callback.body).toMatchObject({ type: 4, data: { content: 'Tarea creada', flags: MessageFlags.Ephemeral } });
  });

  it('GIVEN a chat-input interaction WHEN the handler defers then edits THEN a type 5 callback and a PATCH @original are recorded', async () => {
    const payload = fake.chatInputInteraction({ user: USER });
    await runInteraction(payload, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a chat input command');
      await i.deferReply();
      const edited = await i.editReply({ content: 'Listo' });
      expect(edited.content).toBe('Listo');
    });
    expect((await fake.waitForCallback(payload)).body).toMatchObject({ type: 5 });
    const patch = await fake.waitFor((r) => r.method === 'PATCH' && r.path === `/webhooks/${APP_ID}/${payload.token}/messages/@original`);
    expect(patch.body).toMatchObject({ content: 'Listo' });
  });

  it('GIVEN an already answered interaction WHEN the handler replies again THEN Discord-like error 40060 is raised', async () => {
    const payload = fake.chatInputInteraction({ user: USER });
    let error: unknown;
    await runInteraction(payload, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a chat input command');
      await i.reply({ content: 'uno' });
      await i.client.rest.post(`/interactions/${i.id}/${i.token}/callback`, { body: { type: 4, data: { content: 'dos' } }, auth: false }).catch((err: unknown) => {
        error = err;
      });
    });
    expect(error).toMatchObject({ code: 40060, status: 400 });
  });

  it('GIVEN a button on a posted message WHEN the handler updates it THEN a type 7 callback is recorded and the stored message changes', async () => {
    const channel = client.channels.cache.get(CHANNEL_ID);
    if (!channel?.isSendable()) throw new Error('channel not sendable');
    const posted = await channel.send({
      content: '¿Quién riega?',
      components: [{ type: ComponentType.ActionRow, components: [{ type: ComponentType.Button, style: ButtonStyle.Primary, customId: 'claim:1', label: 'Yo' }] }],
    });
    const payload = fake.buttonInteraction({ customId: 'claim:1', messageId: posted.id, user: USER });
    await runInteraction(payload, async (i) => {
      if (!i.isButton()) throw new Error('expected a button');
      expect(i.message.id).toBe(posted.id);
      expect(i.locale).toBe('en-US');
      await i.update({ content: 'Riega Lucía', components: [] });
    });
    expect((await fake.waitForCallback(payload)).body).toMatchObject({ type: 7, data: { content: 'Riega Lucía' } });
    expect(fake.message(posted.id)).toMatchObject({ content: 'Riega Lucía', components: [] });
  });

  it('GIVEN a string select WHEN the handler reads the values and defers the update THEN a type 6 callback is recorded', async () => {
    const payload = fake.selectInteraction({ customId: 'vote:7', values: ['b'], user: USER });
    let values: string[] = [];
    await runInteraction(payload, async (i) => {
      if (!i.isStringSelectMenu()) throw new Error('expected a string select');
      values = i.values;
      await i.deferUpdate();
    });
    expect(values).toEqual(['b']);
    expect((await fake.waitForCallback(payload)).body).toMatchObject({ type: 6 });
  });

  it('GIVEN an autocomplete interaction WHEN the handler responds THEN a type 8 callback with the choices is recorded', async () => {
    const payload = fake.autocompleteInteraction({
      user: USER,
      options: [{ name: 'task', type: 2, options: [{ name: 'add', type: 1, options: [{ name: 'title', type: 3, value: 'Re', focused: true }] }] }],
    });
    await runInteraction(payload, async (i) => {
      if (!i.isAutocomplete()) throw new Error('expected autocomplete');
      const focused = i.options.getFocused(true);
      await i.respond([{ name: `${focused.value}gar`, value: 'regar' }]);
    });
    expect((await fake.waitForCallback(payload)).body).toEqual({ type: 8, data: { choices: [{ name: 'Regar', value: 'regar' }] } });
  });

  it('GIVEN a guild channel WHEN the client posts and edits a message THEN both requests are recorded', async () => {
    const channel = await client.channels.fetch(CHANNEL_ID);
    if (!channel?.isSendable()) throw new Error('channel not sendable');
    const msg = await channel.send('Resumen semanal');
    expect(msg.id).toMatch(/^\d+$/);
    expect(msg.author.id).toBe(APP_ID);
    await msg.edit('Resumen semanal (editado)');
    expect(fake.messagesPosted().at(-1)?.body).toMatchObject({ content: 'Resumen semanal' });
    const patch = await fake.waitFor((r) => r.method === 'PATCH' && r.path === `/channels/${CHANNEL_ID}/messages/${msg.id}`);
    expect(patch.body).toMatchObject({ content: 'Resumen semanal (editado)' });
  });

  it('GIVEN a user WHEN the client sends a DM THEN a DM channel is opened and the message posted to it', async () => {
    const dm = await client.users.createDM(USER.id);
    await dm.send('Recordatorio: regar');
    const open = await fake.waitFor((r) => r.method === 'POST' && r.path === '/users/@me/channels');
    expect(open.body).toEqual({ recipient_id: USER.id });
    const post = await fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${dm.id}/messages`);
    expect(post.body).toMatchObject({ content: 'Recordatorio: regar' });
  });

  it('GIVEN an unknown route WHEN called THEN the fake answers 404 and records it', async () => {
    await expect(client.rest.get('/nothing/here')).rejects.toMatchObject({ status: 404 });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: '/nothing/here', status: 404 });
  });
});
