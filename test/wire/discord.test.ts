// The Discord adapter at the wire: the real discord.js client against the fake Discord, the real core on a test database (PGlite and the server).
import { and, eq } from 'drizzle-orm';
import { MessageFlags } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alliances, members, organizations, tasks, workspaces } from '../../db/schema.js';
import { conversationId } from '../../src/conversation.js';
import type { Core } from '../../src/handler.js';
import { startFakeDiscord, type FakeDiscord, type Json } from '../fakes/discord.js';
import { createTestCore, requester, type TestCore } from '../support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { APP_ID, componentsOf, GUILDS, isEphemeral, MANAGE_SERVER, PEOPLE, said, startDiscordAdapter, startDiscordRig, visibleText, WAIT_MS, type DiscordRig } from '../support/discord.js';

const EPHEMERAL = MessageFlags.Ephemeral;
const commandWrites = (fake: FakeDiscord) => fake.requests.filter((r) => r.path.includes('/commands') && r.method !== 'GET');

describe.each(databaseTargets())('the Discord adapter on %s', (kind) => {
  let database: TestDatabase;
  let core: TestCore;
  let rig: DiscordRig;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    core = createTestCore(database.db);
    rig = await startDiscordRig(core);
  });
  afterAll(async () => {
    await rig?.stop();
    await database?.close();
  });

  /** The tasks of the alliance behind a Discord server, by number. */
  async function tasksOf(guildId: string) {
    return database.db
      .select({ id: tasks.id, number: tasks.number, title: tasks.title, status: tasks.status, dueOn: tasks.dueOn, memberUserId: members.platformUserId, organization: organizations.slug })
      .from(tasks)
      .innerJoin(workspaces, eq(workspaces.allianceId, tasks.allianceId))
      .leftJoin(members, eq(members.id, tasks.assigneeMemberId))
      .leftJoin(organizations, eq(organizations.id, tasks.assigneeOrganizationId))
      .where(and(eq(workspaces.platform, 'discord'), eq(workspaces.externalId, guildId)))
      .orderBy(tasks.number);
  }

  async function memberRow(guildId: string, userId: string) {
    const [row] = await database.db
      .select({ role: members.role, locale: members.locale, platformLocale: members.platformLocale, displayName: members.displayName })
      .from(members)
      .innerJoin(workspaces, eq(workspaces.id, members.workspaceId))
      .where(and(eq(workspaces.externalId, guildId), eq(members.platformUserId, userId)));
    return row;
  }

  it('GIVEN a start with DISCORD_GUILD_ID THEN /minga is registered to that server once, with Spanish names and descriptions', () => {
    const writes = commandWrites(rig.fake);
    expect(writes.map((r) => `${r.method} ${r.path}`)).toEqual([`PUT /applications/${APP_ID}/guilds/${GUILDS.main.id}/commands`]);
    const [minga, ...others] = rig.fake.commands(GUILDS.main.id);
    expect(others).toEqual([]);
    expect(minga).toMatchObject({
      name: 'minga',
      description_localizations: { 'es-ES': expect.stringContaining('alianza'), 'es-419': expect.stringContaining('alianza') },
    });
    const task = minga.options.find((o: Json) => o.name === 'task');
    expect(task).toMatchObject({ type: 2, name_localizations: { 'es-ES': 'tarea', 'es-419': 'tarea' } });
    expect(task.options.map((o: Json) => `${o.name}/${o.name_localizations['es-419']}`)).toEqual([
      'add/nueva', 'list/lista', 'done/hecha', 'assign/asignar', 'reopen/reabrir', 'delete/borrar', 'reminders/recordatorios',
    ]);
    const add = task.options.find((o: Json) => o.name === 'add');
    expect(add.options.find((o: Json) => o.name === 'member')).toMatchObject({ type: 6, name_localizations: { 'es-ES': 'persona' } });
    const done = task.options.find((o: Json) => o.name === 'done');
    expect(done.options[0]).toMatchObject({ name: 'number', type: 4, required: true, autocomplete: true, name_localizations: { 'es-ES': 'número' } });
    const list = task.options.find((o: Json) => o.name === 'list');
    expect(list.options[0].choices.map((c: Json) => `${c.value}/${c.name_localizations['es-ES']}`)).toEqual([
      'open/Tareas abiertas', 'mine/Tus tareas', 'overdue/Tareas vencidas', 'all/Todas las tareas',
    ]);
    expect(minga.options.map((o: Json) => o.name)).toEqual(['help', 'lang', 'task', 'org', 'poll', 'remind', 'digest', 'timezone', 'alliance', 'coordinator', 'history', 'resource', 'export']);
  });

  it('GIVEN the first member of a server asks for help THEN a private embed answers in one callback', async () => {
    const { callback } = await rig.slash('help', {}, { user: PEOPLE.coord });
    expect(callback.body.type).toBe(4);
    expect(isEphemeral(callback)).toBe(true);
    const [embed] = callback.body.data.embeds;
    expect(embed.title).toBe('Minga: what I can do');
    expect(embed.description).toContain('**Tasks**');
    expect(callback.body.data.allowed_mentions).toEqual({ parse: [] });
    // Whoever brings Minga into a server coordinates it.
    expect((await memberRow(GUILDS.main.id, PEOPLE.coord.id))?.role).toBe('coordinator');
  });

  it('GIVEN task add with a USER option and a Spanish date word THEN the channel sees the task and it is stored', async () => {
    const { callback } = await rig.slash('task add', { title: 'Comprar pancartas', member: PEOPLE.lucia, due: 'viernes' }, { user: PEOPLE.coord });
    expect(callback.body.type).toBe(4);
    expect(isEphemeral(callback)).toBe(false);
    expect(said(callback)).toBe('Task #1 added: Comprar pancartas\nAssigned to: @Lucía\nDue: Fri, Nov 27');
    expect(await tasksOf(GUILDS.main.id)).toMatchObject([
      { number: 1, title: 'Comprar pancartas', status: 'open', dueOn: '2026-11-27', memberUserId: PEOPLE.lucia.id },
    ]);
  });

  it('GIVEN org add, join and list THEN coordinators add, members join, and a non-coordinator is refused privately', async () => {
    const refused = await rig.slash('org add', { slug: 'otra', name: 'Otra' }, { user: PEOPLE.ana });
    expect(isEphemeral(refused.callback)).toBe(true);
    expect(said(refused.callback)).toBe('Only a coordinator may do that.');

    const added = await rig.slash('org add', { slug: 'org:Huertas', name: 'Huertas Unidas' }, { user: PEOPLE.coord });
    expect(said(added.callback)).toBe('Organization Huertas Unidas added. Assign tasks to it with org:huertas.');
    const joined = await rig.slash('org join', { slug: 'huertas' }, { user: PEOPLE.ana });
    expect(said(joined.callback)).toBe('@Ana now belongs to Huertas Unidas.');
    const listed = await rig.slash('org list');
    expect(isEphemeral(listed.callback)).toBe(true);
    expect(said(listed.callback)).toBe('Member organizations\nHuertas Unidas (org:huertas), 1 people');

    const badSlug = await rig.slash('org add', { slug: 'Red Huertas!', name: 'Red' }, { user: PEOPLE.coord });
    expect(said(badSlug.callback)).toContain('can\'t be an organization\'s short name');
    const orgs = await database.db.select({ slug: organizations.slug }).from(organizations);
    expect(orgs.map((o) => o.slug)).toEqual(['huertas']);
  });

  it('GIVEN task add for an organization, due in words THEN it is assigned to it, due that day', async () => {
    const { callback } = await rig.slash('task add', { title: 'Regar el huerto', org: 'huertas', due: 'el 5 de diciembre' });
    expect(said(callback)).toBe('Task #2 added: Regar el huerto\nAssigned to: Huertas Unidas\nDue: Sat, Dec 5');
    expect((await tasksOf(GUILDS.main.id))[1]).toMatchObject({ number: 2, organization: 'huertas', memberUserId: null, dueOn: '2026-12-05' });
  });

  it('GIVEN task list THEN a private embed lists open tasks with a Done button each, carrying only the task id', async () => {
    const { callback } = await rig.slash('task list');
    expect(isEphemeral(callback)).toBe(true);
    expect(said(callback)).toBe('Open tasks\n#1 Comprar pancartas · @Lucía · due Fri, Nov 27\n#2 Regar el huerto · Huertas Unidas · due Sat, Dec 5');
    const stored = await tasksOf(GUILDS.main.id);
    expect(componentsOf(callback.body.data)).toEqual([
      expect.objectContaining({ type: 2, label: 'Done #1', custom_id: `task.done:${stored[0]!.id}` }),
      expect.objectContaining({ type: 2, label: 'Done #2', custom_id: `task.done:${stored[1]!.id}` }),
    ]);
  });

  it('GIVEN a number being typed THEN autocomplete offers the matching open tasks', async () => {
    const byTitle = await rig.autocomplete('task done', 'number', 'regar');
    expect(byTitle.callback.body).toEqual({ type: 8, data: { choices: [{ name: '#2 Regar el huerto', value: 2 }] } });
    const all = await rig.autocomplete('task delete', 'number', '');
    expect(all.callback.body.data.choices.map((c: Json) => c.value)).toEqual([1, 2]);
  });

  it('GIVEN task done by number and a Done click THEN both tasks are done and the channel is told', async () => {
    const byNumber = await rig.slash('task done', { number: 1 });
    expect(isEphemeral(byNumber.callback)).toBe(false);
    expect(said(byNumber.callback)).toBe('Task #1 done: Comprar pancartas');

    const stored = await tasksOf(GUILDS.main.id);
    const clicked = await rig.click(`task.done:${stored[1]!.id}`, { user: PEOPLE.lucia });
    expect(clicked.callback.body.type).toBe(4);
    expect(isEphemeral(clicked.callback)).toBe(false);
    expect(said(clicked.callback)).toBe('Task #2 done: Regar el huerto');
    expect((await tasksOf(GUILDS.main.id)).map((t) => t.status)).toEqual(['done', 'done']);

    const again = await rig.click(`task.done:${stored[1]!.id}`);
    expect(isEphemeral(again.callback)).toBe(true);
    expect(said(again.callback)).toBe('Task #2 is already done.');
  });

  it('GIVEN task reopen and task assign THEN the task is open again and assigned to the member named', async () => {
    const reopened = await rig.slash('task reopen', { number: 2 });
    expect(said(reopened.callback)).toBe('Task #2 reopened: Regar el huerto');
    const assigned = await rig.slash('task assign', { number: 2, member: PEOPLE.bob });
    expect(said(assigned.callback)).toBe('Task #2 assigned to @Bob: Regar el huerto');
    expect((await tasksOf(GUILDS.main.id))[1]).toMatchObject({ status: 'open', memberUserId: PEOPLE.bob.id, organization: null });
  });

  it('GIVEN task assign with nobody, or with a member and an organization THEN it is refused privately and nothing changes', async () => {
    const nobody = await rig.slash('task assign', { number: 2 });
    expect(isEphemeral(nobody.callback)).toBe(true);
    expect(said(nobody.callback)).toContain('Who should do it?');
    const both = await rig.slash('task assign', { number: 2, member: PEOPLE.ana, org: 'huertas' });
    expect(said(both.callback)).toBe('Choose a member or an organization, not both.');
    expect((await tasksOf(GUILDS.main.id))[1]).toMatchObject({ memberUserId: PEOPLE.bob.id });
  });

  it('GIVEN task delete THEN only its creator or a coordinator may, and then it is gone', async () => {
    const refused = await rig.slash('task delete', { number: 2 }, { user: PEOPLE.bob });
    expect(isEphemeral(refused.callback)).toBe(true);
    expect(said(refused.callback)).toBe('Only the task\'s creator or a coordinator may do that.');
    const deleted = await rig.slash('task delete', { number: 2 }, { user: PEOPLE.ana });
    expect(said(deleted.callback)).toBe('Task #2 deleted: Regar el huerto');
    expect((await tasksOf(GUILDS.main.id)).map((t) => t.number)).toEqual([1]);
  });

  it('GIVEN a member whose Discord speaks Spanish THEN Minga answers in Spanish, until they choose their own language', async () => {
    const spanish = { user: PEOPLE.lucia, locale: 'es-419' };
    const listed = await rig.slash('task list', { filter: 'all' }, spanish);
    expect(said(listed.callback)).toBe('Todas las tareas\n#1 Comprar pancartas · @Lucía · hecha');
    const shown = await rig.slash('lang', {}, spanish);
    expect(said(shown.callback)).toBe('Te respondo en español. La alianza publica en inglés.');

    const chosen = await rig.slash('lang', { language: 'en' }, spanish);
    expect(isEphemeral(chosen.callback)).toBe(true);
    expect(said(chosen.callback)).toBe('Done: I will answer you in English.');
    expect(await memberRow(GUILDS.main.id, PEOPLE.lucia.id)).toMatchObject({ locale: 'en', platformLocale: 'es-419' });
    const after = await rig.slash('help', {}, spanish);
    expect(said(after.callback)).toContain('Minga: what I can do');
  });

  it('GIVEN Manage Server THEN the member is a coordinator and may set the alliance language; without it, not', async () => {
    const refused = await rig.slash('lang', { language: 'es', for: 'alliance' }, { user: PEOPLE.ana });
    expect(said(refused.callback)).toBe('Only a coordinator may do that.');
    const { callback } = await rig.slash('lang', { language: 'es', for: 'alliance' }, { user: PEOPLE.bob, permissions: MANAGE_SERVER });
    expect(isEphemeral(callback)).toBe(false);
    expect(said(callback)).toBe('Listo: la alianza ahora publica en español.');
    expect((await memberRow(GUILDS.main.id, PEOPLE.bob.id))?.role).toBe('coordinator');
    const [alliance] = await database.db
      .select({ locale: alliances.locale })
      .from(alliances)
      .innerJoin(workspaces, eq(workspaces.allianceId, alliances.id))
      .where(eq(workspaces.externalId, GUILDS.main.id));
    expect(alliance?.locale).toBe('es');
  });

  it('GIVEN a forged custom_id naming another server\'s task THEN it is refused privately and that task stays open', async () => {
    const other = { guildId: GUILDS.other.id, user: PEOPLE.bob };
    await rig.slash('task add', { title: 'Tarea ajena' }, other);
    const [foreign] = await tasksOf(GUILDS.other.id);
    const forged = await rig.click(`task.done:${foreign!.id}`, { user: PEOPLE.ana });
    expect(isEphemeral(forged.callback)).toBe(true);
    expect(said(forged.callback)).toBe('There is no task #? in this alliance.');
    const unknownAction = await rig.click('task.explode:1', { user: PEOPLE.ana });
    expect(isEphemeral(unknownAction.callback)).toBe(true);
    expect((await tasksOf(GUILDS.other.id))[0]).toMatchObject({ status: 'open' });
  });

  it('GIVEN more open tasks than five rows of buttons hold THEN the rest come in a select menu, and choosing one completes it', async () => {
    const spare = requester({ platform: 'discord', workspaceId: GUILDS.spare.id, userId: PEOPLE.coord.id });
    for (let i = 1; i <= 30; i++) await core.handleText(`task add Tarea ${i}`, spare);
    const { callback } = await rig.slash('task list', {}, { guildId: GUILDS.spare.id, user: PEOPLE.coord });
    const rows = callback.body.data.components as Json[];
    expect(rows).toHaveLength(5);
    expect(rows.slice(0, 4).map((row) => row.components.length)).toEqual([5, 5, 5, 5]);
    const [select] = rows[4].components;
    expect(select).toMatchObject({ type: 3, custom_id: 'more', placeholder: 'More…' });
    expect(select.options).toHaveLength(10);
    const last = select.options.at(-1);
    expect(last.label).toBe('#30 Tarea 30');
    expect(last.value).toMatch(/^task\.done:\d+$/);

    const chosen = await rig.select([last.value], { guildId: GUILDS.spare.id, user: PEOPLE.coord });
    expect(said(chosen.callback)).toBe('Task #30 done: Tarea 30');
    expect((await tasksOf(GUILDS.spare.id)).find((t) => t.number === 30)?.status).toBe('done');
  });

  it('GIVEN options Minga cannot read (a stale registration) THEN a private apology naming a reference, nothing written', async () => {
    const before = await tasksOf(GUILDS.main.id);
    const stale = [{ name: 'task', type: 2, options: [{ name: 'done', type: 1, options: [{ name: 'number', type: 3, value: 'uno' }] }] }];
    const { callback } = await rig.exchange(rig.fake.chatInputInteraction({ user: PEOPLE.ana, options: stale }));
    expect(isEphemeral(callback)).toBe(true);
    expect(said(callback)).toMatch(/^Sorry, something went wrong on my side\. .*: [0-9a-f]{8}\.$/);
    expect(await tasksOf(GUILDS.main.id)).toEqual(before);
  });

  it('GIVEN a command from a DM THEN Minga says it works inside a server', async () => {
    const { callback } = await rig.slash('task list', {}, { guildId: null, locale: 'es-ES' });
    expect(isEphemeral(callback)).toBe(true);
    expect(said(callback)).toBe('Minga funciona dentro de un servidor: usa /minga en uno de sus canales.');
  });

  it('GIVEN Minga posts, edits and sends a DM THEN each goes through REST and mentions ping nobody', async () => {
    const channel = GUILDS.main.channels[0]!.id;
    const conversation = conversationId({ platform: 'discord', workspaceId: GUILDS.main.id, channelId: channel });
    const ref = await rig.adapter.post(conversation, { visibility: 'public', locale: 'es', heading: 'Resumen', lines: [{ text: '@everyone #1 hecha' }] });
    const posted = rig.fake.messagesPosted().at(-1)!;
    expect(posted.path).toBe(`/channels/${channel}/messages`);
    // Silenced twice: allowed_mentions pings nobody, and the escape shows @everyone as text.
    expect(posted.body).toMatchObject({ embeds: [{ title: 'Resumen', description: '\\@everyone #1 hecha' }], allowed_mentions: { parse: [] } });
    expect(rig.fake.message(ref)).toMatchObject({ embeds: [{ title: 'Resumen' }] });

    await rig.adapter.edit(conversation, ref, { visibility: 'public', locale: 'es', lines: [{ text: 'Resumen cerrado' }] });
    const patch = await rig.fake.waitFor((r) => r.method === 'PATCH' && r.path === `/channels/${channel}/messages/${ref}`, WAIT_MS);
    expect(patch.body).toMatchObject({ content: 'Resumen cerrado', embeds: [] });
    expect(rig.fake.message(ref)).toMatchObject({ content: 'Resumen cerrado', embeds: [] });

    const dmRef = await rig.adapter.sendDirect(GUILDS.main.id, PEOPLE.ana.id, { visibility: 'ephemeral', locale: 'en', lines: [{ text: 'Reminder: task #1' }] });
    const open = await rig.fake.waitFor((r) => r.method === 'POST' && r.path === '/users/@me/channels', WAIT_MS);
    expect(open.body).toEqual({ recipient_id: PEOPLE.ana.id });
    expect(rig.fake.message(dmRef)).toMatchObject({ content: 'Reminder: task #1' });
    await rig.adapter.sendDirect(GUILDS.main.id, PEOPLE.ana.id, { visibility: 'ephemeral', locale: 'en', lines: [{ text: 'Again' }] });
    expect(rig.fake.requests.filter((r) => r.path === '/users/@me/channels')).toHaveLength(1);
  });

  it('GIVEN a reply with a file THEN it is uploaded with the message', async () => {
    const channel = GUILDS.main.channels[0]!.id;
    const conversation = conversationId({ platform: 'discord', workspaceId: GUILDS.main.id, channelId: channel });
    const ref = await rig.adapter.post(conversation, {
      visibility: 'public',
      locale: 'en',
      lines: [{ text: 'Export of poll #1' }],
      file: { name: 'poll-1.csv', mimeType: 'text/csv', content: 'option,votes\nyes,3\n' },
    });
    const posted = rig.fake.messagesPosted().at(-1)!;
    expect(posted.body).toMatchObject({ content: 'Export of poll #1', attachments: [{ id: 0, filename: 'poll-1.csv' }] });
    expect(rig.fake.message(ref)).toMatchObject({ content: 'Export of poll #1' });
  });

  describe('when the core is slow to answer (the adapter set to defer at once)', () => {
    let deferring: DiscordRig;
    beforeAll(async () => {
      deferring = await startDiscordRig(core, { deferAfterMs: 0 });
    });
    afterAll(() => deferring?.stop());

    it('GIVEN a question THEN a private deferral, then the original is edited with the answer', async () => {
      const { payload, callback } = await deferring.slash('task list', { filter: 'all' }, { user: PEOPLE.ana });
      expect(callback.body).toMatchObject({ type: 5, data: { flags: EPHEMERAL } });
      const edit = await deferring.fake.waitFor((r) => r.method === 'PATCH' && r.path === `/webhooks/${APP_ID}/${payload.token}/messages/@original`, WAIT_MS);
      expect(visibleText(edit.body)).toContain('#1 Comprar pancartas');
    });

    it('GIVEN a change that fails THEN the public placeholder is removed and the error is sent privately', async () => {
      const { payload, callback } = await deferring.slash('task done', { number: 999 }, { user: PEOPLE.ana });
      expect(callback.body.type).toBe(5);
      expect(callback.body.data?.flags ?? 0).toBe(0);
      const followUp = await deferring.fake.waitFor((r) => r.method === 'POST' && r.path === `/webhooks/${APP_ID}/${payload.token}`, WAIT_MS);
      expect(followUp.body).toMatchObject({ content: 'There is no task #999 in this alliance.', flags: EPHEMERAL });
      await deferring.fake.waitFor((r) => r.method === 'DELETE' && r.path === `/webhooks/${APP_ID}/${payload.token}/messages/@original`, WAIT_MS);
    });
  });
});

describe('registering /minga', () => {
  // Registration never reaches the core.
  const idle = new Proxy({}, { get: () => () => Promise.reject(new Error('the core is not used here')) }) as Core;
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await startFakeDiscord({ applicationId: APP_ID, guilds: [GUILDS.main] });
  });
  afterAll(() => fake?.close());

  it('GIVEN the same commands already registered THEN a second start writes nothing', async () => {
    const first = await startDiscordAdapter(fake, idle);
    await first.stop();
    expect(commandWrites(fake)).toHaveLength(1);
    fake.clearRequests();
    const second = await startDiscordAdapter(fake, idle);
    await second.stop();
    expect(commandWrites(fake)).toEqual([]);
    const fetched = fake.requests.find((r) => r.method === 'GET' && r.path === `/applications/${APP_ID}/guilds/${GUILDS.main.id}/commands`);
    expect(fetched?.query).toEqual({ with_localizations: 'true' });
  });

  it('GIVEN an outdated registration THEN it is replaced by one PUT', async () => {
    const route = `${fake.restUrl}/v10/applications/${APP_ID}/guilds/${GUILDS.main.id}/commands`;
    await fetch(route, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ name: 'minga', description: 'old' }]) });
    fake.clearRequests();
    const adapter = await startDiscordAdapter(fake, idle);
    await adapter.stop();
    expect(commandWrites(fake).map((r) => r.method)).toEqual(['PUT']);
    expect(fake.commands(GUILDS.main.id)[0].description).not.toBe('old');
  });

  it('GIVEN no DISCORD_GUILD_ID THEN the command is registered globally, for servers only', async () => {
    fake.clearRequests();
    const adapter = await startDiscordAdapter(fake, idle, { guildId: null });
    await adapter.stop();
    expect(commandWrites(fake).map((r) => `${r.method} ${r.path}`)).toEqual([`PUT /applications/${APP_ID}/commands`]);
    expect(fake.commands()[0]).toMatchObject({ name: 'minga', contexts: [0], integration_types: [0] });
  });
});
