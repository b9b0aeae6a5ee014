// Whether Minga can post in a Discord channel, at the wire: the real adapter reads the gateway's cache as the fake Discord updates it, and a post where it cannot is refused for good.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermissionFlagsBits } from 'discord.js';
import { conversationId } from '../../src/conversation.js';
import { DeliveryRefused } from '../../src/delivery.js';
import type { Reply } from '../../src/reply.js';
import { createTestCore } from '../support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { startDiscordRig, WAIT_MS, type DiscordRig } from '../support/discord.js';

const SERVER = { id: '930000000000000001', name: 'Red de Huertas', ownerId: '930000000000000009' };
const CHANNELS = {
  general: '930000000000000002',
  hidden: '930000000000000003',
  quiet: '930000000000000004',
  plain: '930000000000000005',
  doomed: '930000000000000006',
  category: '930000000000000007',
};
const OTHER = { id: '930000000000000011', name: 'Otra Alianza', ownerId: '930000000000000019', channels: [{ id: '930000000000000012', name: 'general' }] };

const at = (guildId: string, channelId: string) => conversationId({ platform: 'discord', workspaceId: guildId, channelId });
const here = (channelId: string) => at(SERVER.id, channelId);
const digest: Reply = {
  visibility: 'public',
  locale: 'en',
  heading: 'Weekly digest',
  lines: [{ text: '1 overdue' }],
  sections: [{ title: 'Overdue', lines: [{ text: '#1 Buy seeds' }] }],
};
/** A channel overwrite that takes permissions from Minga itself (a member overwrite). */
const denyMinga = (botUserId: string, ...deny: bigint[]) => ({
  permission_overwrites: [{ id: botUserId, type: 1, allow: '0', deny: String(deny.reduce((all, bit) => all | bit, 0n)) }],
});

describe.each(databaseTargets())('canPost and refusals on Discord, on %s', (kind) => {
  let database: TestDatabase;
  let rig: DiscordRig;

  /** The gateway's events arrive when they arrive: wait until the adapter's answer is the expected one, or say what it was. */
  const settles = async (conversation: string, expected: boolean | undefined) => {
    const deadline = Date.now() + WAIT_MS;
    let answer = await rig.adapter.canPost(conversation);
    while (answer !== expected && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      answer = await rig.adapter.canPost(conversation);
    }
    return answer;
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    rig = await startDiscordRig(createTestCore(database.db), {
      guilds: [
        {
          ...SERVER,
          channels: [
            { id: CHANNELS.general, name: 'general' },
            { id: CHANNELS.hidden, name: 'coordination' },
            { id: CHANNELS.quiet, name: 'announcements' },
            { id: CHANNELS.plain, name: 'plain-text' },
            { id: CHANNELS.doomed, name: 'old-project' },
            { id: CHANNELS.category, name: 'Projects', type: 4 },
          ],
        },
        OTHER,
      ],
    });
  });
  afterAll(async () => {
    await rig?.stop();
    await database?.close();
  });

  it('GIVEN a channel where Minga may see, write and embed THEN it can post there, and does', async () => {
    await expect(rig.adapter.canPost(here(CHANNELS.general))).resolves.toBe(true);
    await expect(rig.adapter.post(here(CHANNELS.general), digest)).resolves.toMatch(/^\d+$/);
  });

  it('GIVEN a channel the server hides from Minga THEN it cannot post there, and a post is refused as notInChannel (50001)', async () => {
    rig.fake.updateChannel(CHANNELS.hidden, denyMinga(rig.fake.botUserId, PermissionFlagsBits.ViewChannel));
    expect(await settles(here(CHANNELS.hidden), false)).toBe(false);
    await expect(rig.adapter.post(here(CHANNELS.hidden), digest)).rejects.toMatchObject({ name: 'DeliveryRefused', reason: 'notInChannel', platformError: '50001' });
  });

  it('GIVEN a channel where Minga may not send THEN it cannot post there, and a post is refused as notInChannel (50013); allowed again, it can', async () => {
    rig.fake.updateChannel(CHANNELS.quiet, denyMinga(rig.fake.botUserId, PermissionFlagsBits.SendMessages));
    expect(await settles(here(CHANNELS.quiet), false)).toBe(false);
    await expect(rig.adapter.post(here(CHANNELS.quiet), digest)).rejects.toMatchObject({ reason: 'notInChannel', platformError: '50013' });
    rig.fake.updateChannel(CHANNELS.quiet, { permission_overwrites: [] });
    expect(await settles(here(CHANNELS.quiet), true)).toBe(true);
  });

  it('GIVEN a channel where Minga may not embed links THEN it cannot post there: a digest is embeds', async () => {
    rig.fake.updateChannel(CHANNELS.plain, denyMinga(rig.fake.botUserId, PermissionFlagsBits.EmbedLinks));
    expect(await settles(here(CHANNELS.plain), false)).toBe(false);
  });

  it('GIVEN a deleted channel THEN Minga cannot tell, and a post is refused as channelGone (10003)', async () => {
    await expect(rig.adapter.canPost(here(CHANNELS.doomed))).resolves.toBe(true);
    rig.fake.deleteChannel(CHANNELS.doomed);
    expect(await settles(here(CHANNELS.doomed), undefined)).toBeUndefined();
    const refusal = await rig.adapter.post(here(CHANNELS.doomed), digest).catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(DeliveryRefused);
    expect(refusal).toMatchObject({ reason: 'channelGone', platformError: '10003' });
  });

  it('GIVEN a category THEN nothing can be posted in it', async () => {
    await expect(rig.adapter.canPost(here(CHANNELS.category))).resolves.toBe(false);
  });

  it('GIVEN a server that removed Minga THEN Minga cannot tell, and a post is refused as notInChannel (50001)', async () => {
    const channel = at(OTHER.id, OTHER.channels[0]!.id);
    await expect(rig.adapter.canPost(channel)).resolves.toBe(true);
    rig.fake.removeFromGuild(OTHER.id);
    expect(await settles(channel, undefined)).toBeUndefined();
    await expect(rig.adapter.post(channel, digest)).rejects.toMatchObject({ reason: 'notInChannel', platformError: '50001' });
  });

  it('GIVEN a channel Minga never heard of THEN it cannot tell', async () => {
    await expect(rig.adapter.canPost(here('930000000000000099'))).resolves.toBeUndefined();
  });
});
