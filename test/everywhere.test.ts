// Posting everywhere on any database, through the core and the scheduler with a recording delivery: each post its own delivery recorded before any retry, one failing channel never holding back or repeating the others, home channels read when a reminder is due, and who may do it.
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deliveries, historyEvents, polls, postedMessages, scheduledJobs, workspaces } from '../db/schema.js';
import { DeliveryRefused } from '../src/delivery.js';
import type { Requester } from '../src/identity.js';
import { replyTexts } from '../src/reply.js';
import { linkWorkspaces, setHomeChannel } from './support/alliance-links.js';
import { requester, text } from './support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from './support/databases.js';
import { pollRig, type PollRig } from './support/polls.js';

const WS1 = { platform: 'console' as const, externalId: 'ws-1' };
const WS2 = { platform: 'console' as const, externalId: 'ws-2' };
const HOME1 = 'console:ws-1:coordination';
const HOME2 = 'console:ws-2:home';
const TYPED = 'console:ws-1:main';

describe.each(databaseTargets())('posting everywhere on %s', (kind) => {
  let database: TestDatabase;
  let rig: PollRig;
  const coord = requester({ userId: 'coord', userName: 'coord', channelId: 'main' });
  const ana = requester({ userId: 'ana', userName: 'ana', channelId: 'main' });
  const bea = requester({ workspaceId: 'ws-2', userId: 'bea', userName: 'bea', channelId: 'home' });
  const say = async (line: string, who: Requester = coord) => text(await rig.core.handleText(line, who));
  /** Time passes past the scheduler's first retry wait (two minutes), and it ticks. */
  const later = async () => {
    rig.clock.advance(5 * 60_000);
    await rig.scheduler.tick();
  };
  const pollRow = async (number: number) => (await database.db.select().from(polls).where(eq(polls.number, number)))[0]!;
  const postsTo = (conversation: string) => rig.delivery.posts.filter((post) => post.conversation === conversation);

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    rig = pollRig(database.db);
    await say('help');
    await say('help', ana);
    await say('help', bea);
    await linkWorkspaces(database.db, WS1, WS2);
    await setHomeChannel(database.db, WS1, HOME1);
    await setHomeChannel(database.db, WS2, HOME2);
  });
  // A failure a test set up (and did not lift, if it failed) must not reach the next one.
  afterEach(() => void (rig.delivery.failWith = undefined));
  afterAll(async () => {
    await rig?.scheduler.stop();
    await database?.close();
  });

  it('GIVEN one home channel fails THEN the others are posted and recorded, the answer says which is late, and the retry posts only that one', async () => {
    let failing = true;
    rig.delivery.failWith = (to) => (failing && to === HOME2 ? new Error('socket hang up') : undefined);
    const answer = await say('poll "Where?" "Lima" "Cusco" --everywhere');
    expect(answer).toContain('Poll #1 is posted in #main in ws-1 (console), #coordination in ws-1 (console).');
    expect(answer).toContain('I could not post it yet in #home in ws-2 (console): invite me there');
    expect(postsTo(TYPED)).toHaveLength(1);
    expect(postsTo(HOME1)).toHaveLength(1);
    expect(postsTo(HOME2)).toHaveLength(0);

    failing = false;
    await later();
    await later();
    expect([postsTo(TYPED).length, postsTo(HOME1).length, postsTo(HOME2).length]).toEqual([1, 1, 1]);
    const rows = await database.db.select().from(postedMessages).where(eq(postedMessages.subject, 'poll:1'));
    expect(rows.map((row) => row.conversation).sort()).toEqual([HOME1, TYPED, HOME2].sort());
    const [history] = await database.db.select().from(historyEvents).where(eq(historyEvents.subject, 'poll:1'));
    expect(history).toMatchObject({ action: 'history.poll.everywhere', actorName: 'coord', platform: 'console', details: { number: 1, question: 'Where?', channels: 3 } });
  });

  it('GIVEN votes from both workspaces THEN one refresh edits every copy with the same results, and a copy that cannot be edited holds back no other', async () => {
    await say('vote 1 Lima', ana);
    await say('vote 1 Cusco', bea);
    const edit = rig.delivery.edit.bind(rig.delivery);
    rig.delivery.edit = async (conversation, ref, reply) => {
      if (conversation === HOME2) throw new Error('Unknown Message');
      return edit(conversation, ref, reply);
    };
    const before = rig.delivery.edits.length;
    rig.clock.advance(2000);
    await rig.scheduler.tick();
    rig.delivery.edit = edit;
    const made = rig.delivery.edits.slice(before);
    expect(made.map((e) => e.conversation).sort()).toEqual([HOME1, TYPED].sort());
    expect(replyTexts(made[0]!.reply)).toEqual(replyTexts(made[1]!.reply));
    expect(replyTexts(made[0]!.reply).join('\n')).toMatch(/Turnout: 2 of 3 members/);
    const [refresh] = await database.db.select().from(scheduledJobs).where(eq(scheduledJobs.key, `poll.refresh:${(await pollRow(1)).id}`));
    expect(refresh!.lastError).toBeNull();
  });

  it('GIVEN close with one channel failing THEN each outcome is posted once: the others at once, the failing one on retry', async () => {
    let failing = true;
    rig.delivery.failWith = (to) => (failing && to === HOME1 ? new Error('socket hang up') : undefined);
    const before = { typed: postsTo(TYPED).length, home1: postsTo(HOME1).length, home2: postsTo(HOME2).length };
    expect(await say('poll close 1')).toBe('Poll #1 is closed.');
    expect(postsTo(TYPED).length).toBe(before.typed + 1);
    expect(postsTo(HOME2).length).toBe(before.home2 + 1);
    expect(postsTo(HOME1).length).toBe(before.home1);
    failing = false;
    await later();
    await later();
    expect([postsTo(TYPED).length, postsTo(HOME1).length, postsTo(HOME2).length]).toEqual([before.typed + 1, before.home1 + 1, before.home2 + 1]);
    const id = (await pollRow(1)).id;
    const keys = (await database.db.select({ key: deliveries.key }).from(deliveries)).map((row) => row.key).filter((key) => key.startsWith(`poll.announce:${id}`));
    expect(keys.sort()).toEqual([`poll.announce:${id}`, `poll.announce:${id}:${HOME1}`, `poll.announce:${id}:${HOME2}`].sort());
  });

  it('GIVEN a poll posted everywhere and a workspace that then leaves THEN its copy is no longer refreshed nor told the outcome', async () => {
    const before = rig.delivery.edits.length;
    const asked = await say('poll "Leave or stay?" "Stay" "Leave" --everywhere');
    const number = Number(/#(\d+)/.exec(asked)![1]);
    await rig.scheduler.tick();
    expect(postsTo(HOME2).at(-1)?.reply.heading).toContain('Leave or stay?');
    await database.db.update(workspaces).set({ unlinkedAt: rig.clock.now }).where(eq(workspaces.externalId, 'ws-2'));
    try {
      const home2Posts = postsTo(HOME2).length;
      await say(`vote ${number} 1`, ana);
      await later();
      const edited = rig.delivery.edits.slice(before).map((edit) => edit.conversation);
      expect(edited).toContain(HOME1);
      expect(edited).not.toContain(HOME2);
      await say(`poll close ${number}`);
      await later();
      expect(postsTo(HOME2)).toHaveLength(home2Posts);
      expect(rig.delivery.edits.slice(before).map((edit) => edit.conversation)).not.toContain(HOME2);
    } finally {
      await database.db.update(workspaces).set({ unlinkedAt: null }).where(eq(workspaces.externalId, 'ws-2'));
    }
  });

  it('GIVEN remind everywhere THEN home channels are read when it is due: one set later is reached, an unlinked workspace is not', async () => {
    await setHomeChannel(database.db, WS2, null);
    const answer = await say('remind everywhere in 10 minutes Assembly');
    expect(answer).toContain("I'll remind the home channel of every linked workspace on");
    expect(answer).toContain('Home channels today: #coordination in ws-1 (console).');
    expect(answer).toContain('Left out, with no home channel yet: ws-2 (console).');
    expect(await say('remind list')).toMatch(/the home channel of every linked workspace: Assembly/);
    await setHomeChannel(database.db, WS2, HOME2);
    const before = { home1: postsTo(HOME1).length, home2: postsTo(HOME2).length };
    rig.clock.advance(11 * 60_000);
    await rig.scheduler.tick();
    expect(postsTo(HOME1).length).toBe(before.home1 + 1);
    expect(postsTo(HOME2).length).toBe(before.home2 + 1);
    expect(replyTexts(postsTo(HOME2).at(-1)!.reply).join('\n')).toMatch(/Assembly/);

    await say('remind everywhere in 10 minutes Second call');
    await database.db.update(workspaces).set({ unlinkedAt: rig.clock.now }).where(eq(workspaces.externalId, 'ws-2'));
    rig.clock.advance(11 * 60_000);
    await rig.scheduler.tick();
    expect(postsTo(HOME1).length).toBe(before.home1 + 2);
    expect(postsTo(HOME2).length).toBe(before.home2 + 1);
    await database.db.update(workspaces).set({ unlinkedAt: null }).where(eq(workspaces.externalId, 'ws-2'));
  });

  it('GIVEN a home channel that refuses the reminder for good THEN the others get it, and its setter hears which channel, once', async () => {
    rig.delivery.failWith = (to) => (to === HOME2 ? new DeliveryRefused('notInChannel', 'not_in_channel') : undefined);
    await say('remind everywhere in 10 minutes Third call');
    const before = { home1: postsTo(HOME1).length, directs: rig.delivery.directs.length };
    rig.clock.advance(11 * 60_000);
    await rig.scheduler.tick();
    await later();
    expect(postsTo(HOME1).length).toBe(before.home1 + 1);
    const told = rig.delivery.directs.slice(before.directs);
    expect(told.map((direct) => [direct.userId, replyTexts(direct.reply).join('\n')])).toEqual([
      ['coord', expect.stringMatching(/^I could not post your reminder #\d+ in #home, a home channel: I am not a member of it\./)],
    ]);
  });

  it('GIVEN the poll form with its everywhere box ticked THEN the poll goes to every home channel too', async () => {
    const before = { typed: postsTo(TYPED).length, home1: postsTo(HOME1).length, home2: postsTo(HOME2).length };
    const reply = await rig.core.handleForm('poll.create', { question: 'From the form?', options: 'One\nTwo', everywhere: true }, coord);
    expect(text(reply)).toMatch(/^Poll #\d+ is posted in #main in ws-1 \(console\), #coordination in ws-1 \(console\), #home in ws-2 \(console\)\.$/);
    expect([postsTo(TYPED).length, postsTo(HOME1).length, postsTo(HOME2).length]).toEqual([before.typed + 1, before.home1 + 1, before.home2 + 1]);
  });

  it('GIVEN a member who does not coordinate, or no home channel anywhere THEN everywhere is refused, saying why', async () => {
    expect(await say('remind everywhere in 10 minutes Hi', ana)).toBe('Only a coordinator may do that.');
    expect(await say('poll "Hi?" "Yes" "No" --everywhere', ana)).toBe('Only a coordinator may do that.');
    await setHomeChannel(database.db, WS1, null);
    await setHomeChannel(database.db, WS2, null);
    expect(await say('recordar en todas partes en 10 minutos Hola')).toMatch(/^No linked workspace has a home channel yet/);
    await setHomeChannel(database.db, WS1, HOME1);
    await setHomeChannel(database.db, WS2, HOME2);
  });
});
