// Text people type, at the Discord wire: it shows as typed in embeds and posts, and names only people Discord resolved.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { members, tasks, workspaces } from '../../db/schema.js';
import type { Adapter } from '../../src/adapter.js';
import { createDelivery } from '../../src/delivery.js';
import type { Scheduler } from '../../src/scheduler/scheduler.js';
import type { Json } from '../fakes/discord.js';
import { FIXED_NOW } from '../support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { wirePolls } from '../support/polls.js';
import { componentsOf, GUILDS, PEOPLE, said, slashOptions, startDiscordRig, visibleText, type DiscordRig } from '../support/discord.js';
const EVIL = '[bank](https://evil.example) **loud** ||hidden|| @everyone <@920000000000000004>';
/** What Discord is sent for EVIL: every mark escaped, so the reader sees the characters typed. */
const ESCAPED = '\\[bank\\](https://evil.example) \\*\\*loud\\*\\* \\|\\|hidden\\|\\| \\@everyone \\<@920000000000000004>';

describe.each(databaseTargets())('hostile text on Discord, on %s', (kind) => {
  let database: TestDatabase;
  let rig: DiscordRig;
  let scheduler: Scheduler;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const adapters: Adapter[] = [];
    const wired = wirePolls(database.db, () => FIXED_NOW, createDelivery(() => adapters));
    scheduler = wired.scheduler;
    rig = await startDiscordRig(wired.core);
    adapters.push(rig.adapter);
  });
  afterAll(async () => {
    await scheduler?.stop();
    await rig?.stop();
    await database?.close();
  });

  const memberIds = () =>
    database.db
      .select({ userId: members.platformUserId })
      .from(members)
      .innerJoin(workspaces, eq(workspaces.id, members.workspaceId))
      .where(eq(workspaces.externalId, GUILDS.main.id));

  it('GIVEN a task title with a masked link, marks and mentions THEN the embed shows it as typed, and the list too', async () => {
    const { callback } = await rig.slash('task add', { title: EVIL, member: PEOPLE.bob }, { user: PEOPLE.coord });
    const embed = callback.body.data.embeds[0] as Json;
    expect(embed.description).toBe(`Task #1 added: ${ESCAPED}`);
    expect(callback.body.data.allowed_mentions).toEqual({ parse: [] });
    const [stored] = await database.db.select({ title: tasks.title }).from(tasks);
    expect(stored!.title).toBe(EVIL);

    const list = await rig.slash('task list', {}, { user: PEOPLE.bob });
    expect(said(list.callback)).toContain(`#1 ${ESCAPED} · @Bob`);
    // A button's label is plain text to Discord: it names the task without any escape.
    expect(componentsOf(list.callback.body.data).map((c: Json) => c.label)).toEqual(['Done #1']);
  });

  it('GIVEN a poll whose question and options carry markdown THEN the posted poll shows them as typed', async () => {
    const posts = rig.fake.messagesPosted().length;
    await rig.slash('poll create', { question: `Who signs? ${EVIL}`.slice(0, 300), option1: '[x](https://evil.example)', option2: '# Big' }, { user: PEOPLE.coord });
    const [posted] = rig.fake.messagesPosted().slice(posts);
    expect(posted!.body.embeds[0].title).toBe(`Poll #1: Who signs? ${ESCAPED}`);
    expect(visibleText(posted!.body)).toContain('1. \\[x\\](https://evil.example)');
    expect(visibleText(posted!.body)).toContain('2. # Big');
    expect(componentsOf(posted!.body).map((c: Json) => c.label)).toEqual(['[x](https://evil.example)', '# Big']);
    expect(posted!.body.allowed_mentions).toEqual({ parse: [] });
  });

  it('GIVEN a USER option Discord did not resolve (a forged interaction) THEN nobody is named and no member is made', async () => {
    const ghost = { id: '990000000000000099', username: 'boss' };
    const before = await memberIds();
    // The option carries an id, but the interaction's resolved users do not vouch for it.
    const { options } = slashOptions('task assign', { number: 1, member: ghost });
    const { callback } = await rig.exchange(rig.fake.chatInputInteraction({ user: PEOPLE.coord, options }));
    expect(said(callback)).toBe('Who should do it? Name a member (@name) or an organization (org:\\<slug>).');
    expect((await memberIds()).map((row) => row.userId)).not.toContain(ghost.id);
    expect(await memberIds()).toHaveLength(before.length);
  });
});
