// Digest commands end to end through the core, on PGlite and on the real server: subscribing (schedules, languages, zones, DST), permissions, show/off/on again, zone changes, preview, `digest now` and what the platform says.
import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alliances, deliveries, digestSubscriptions, members, scheduledJobs } from '../db/schema.js';
import { conversationId } from '../src/conversation.js';
import { digestKey } from '../src/digests.js';
import type { Requester } from '../src/identity.js';
import { createTestCore, FIXED_NOW, requester, text, type TestCore } from './support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from './support/databases.js';
import { recordingDelivery, type RecordingDelivery } from './support/delivery.js';

describe.each(databaseTargets())('digest commands on %s', (kind) => {
  let database: TestDatabase;
  let core: TestCore;
  let delivery: RecordingDelivery;
  let clock: Date;
  /** What the scheduler does with the keys a command queued: here, what a test makes the `digest.post` handler do. */
  let onKick: (keys: string[]) => Promise<void>;
  // Each test has its own workspace, and so its own alliance and channel.
  let workspace = 0;
  const as = (userId: string, extra: Partial<Requester> = {}) =>
    requester({ workspaceId: `dw-${workspace}`, userId, userName: userId, channelId: 'main', ...extra });
  /** A new workspace whose first visitor, and so its coordinator, is "coord"; the alliance's zone is `zone`. */
  const next = async (zone = 'America/Lima', first: Requester = as('coord')) => {
    workspace += 1;
    first = { ...first, workspaceId: `dw-${workspace}` };
    await core.handleText(`timezone alliance ${zone}`, first);
    return { coord: first, ana: as('ana', { platform: first.platform }) };
  };
  const say = async (line: string, who: Requester) => text(await core.handleText(line, who));
  const here = (who: Requester) => conversationId({ platform: who.platform, workspaceId: who.workspaceId, channelId: who.channelId! });
  const subscription = async (who: Requester) =>
    (await database.db.select().from(digestSubscriptions).where(eq(digestSubscriptions.conversation, here(who))))[0];
  const digestJobs = async (subscriptionId: number) =>
    (await database.db.select().from(scheduledJobs).where(like(scheduledJobs.key, `digest:${subscriptionId}:%`))).sort((a, b) => a.runAt.getTime() - b.runAt.getTime());
  /** This workspace's alliance, and a member of it by platform user id. */
  const allianceId = async () => (await database.db.select({ id: alliances.id }).from(alliances).where(eq(alliances.name, `dw-${workspace}`)))[0]!.id;
  const memberId = async (who: Requester) =>
    (
      await database.db
        .select({ id: members.id })
        .from(members)
        .where(and(eq(members.platformUserId, who.userId), eq(members.allianceId, await allianceId())))
    )[0]!.id;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    delivery = recordingDelivery();
    core = createTestCore(database.db, {
      now: () => clock,
      kick: (keys) => onKick(keys),
      canPost: (conversation) => delivery.canPost(conversation),
    });
  });
  afterAll(() => database.close());
  // Every test starts on the fixed clock, with a platform that cannot tell and a scheduler that does nothing yet.
  const reset = () => {
    clock = FIXED_NOW;
    delivery.postable = undefined;
    onKick = async () => {};
  };

  it('GIVEN `digest on` alone THEN Monday 09:00 in the alliance\'s zone, said in public, stored and queued once', async () => {
    reset();
    const { coord } = await next('America/Lima');
    const reply = await core.handleText('digest on', coord);
    expect(reply.visibility).toBe('public');
    expect(text(reply)).toBe('Weekly digest on for this channel: every Monday at 09:00 (America/Lima), in English. The first one comes on Mon, Nov 30, 09:00.');
    const row = await subscription(coord);
    const coordId = await memberId(coord);
    expect(row).toMatchObject({
      conversation: `console:dw-${workspace}:main`,
      locale: null,
      schedule: { kind: 'weekly', days: [1], time: { hour: 9, minute: 0 } },
      timeZone: 'America/Lima',
      // 09:00 in Lima (UTC-5).
      nextAt: new Date('2026-11-30T14:00:00Z'),
      status: 'active',
      pausedReason: null,
      createdBy: coordId,
    });
    const jobs = await digestJobs(row!.id);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      kind: 'digest.send',
      key: digestKey(row!.id, row!.nextAt!),
      runAt: row!.nextAt,
      payload: { subscriptionId: row!.id, due: '2026-11-30T14:00:00.000Z' },
      doneAt: null,
    });
  });

  it('GIVEN a schedule and --lang THEN that weekday and time, in that language; a time alone is Mondays\'', async () => {
    reset();
    const { coord } = await next('America/Lima');
    // Friday 07:00 in Lima: this Friday's 17:00 is still ahead.
    expect(await say('digest on friday 17:00 --lang es', coord)).toBe(
      'Weekly digest on for this channel: every Friday at 17:00 (America/Lima), in Spanish. The first one comes on Fri, Nov 27, 17:00.',
    );
    expect(await subscription(coord)).toMatchObject({ locale: 'es', schedule: { kind: 'weekly', days: [5], time: { hour: 17, minute: 0 } }, nextAt: new Date('2026-11-27T22:00:00Z') });
    expect(await say('digest on every wednesday at 8:30', coord)).toBe(
      'Weekly digest on for this channel: every Wednesday at 08:30 (America/Lima), in English. The first one comes on Wed, Dec 2, 08:30.',
    );
    expect(await say('digest on 17:00', coord)).toBe(
      'Weekly digest on for this channel: every Monday at 17:00 (America/Lima), in English. The first one comes on Mon, Nov 30, 17:00.',
    );
    // One subscription per channel, changed each time.
    expect(await database.db.select().from(digestSubscriptions).where(eq(digestSubscriptions.conversation, here(coord)))).toHaveLength(1);
  });

  it('GIVEN a schedule that is not weekly, or not a time THEN it is refused with examples, and nothing is stored', async () => {
    reset();
    const { coord } = await next();
    expect(await say('digest on every day at 9', coord)).toBe(
      '"every day at 9": a digest comes once a week. Choose one day and a time, such as `friday 17:00` or `every monday 9:00`.',
    );
    expect(await say('digest on every monday and thursday', coord)).toContain('a digest comes once a week');
    expect(await say('digest on someday', coord)).toBe(
      '"someday" is not a time I understand. For example: `friday 17:00`, `every monday 9:00`, `friday` or `17:00`.',
    );
    expect(await say('digest on --lang fr', coord)).toBe('"fr" is not a language I speak. Choose `es` or `en`.');
    expect(await subscription(coord)).toBeUndefined();
  });

  it('GIVEN a Spanish coordinator THEN the schedule in Spanish words, the answer in Spanish, and --idioma', async () => {
    reset();
    const { coord } = await next('America/Lima', as('rosa', { platformLocale: 'es-419' }));
    // The digest's language is the alliance's, not the coordinator's.
    expect(await say('resumen activar el viernes a las 17', coord)).toContain('en inglés');
    await say('idioma alianza es', coord);
    expect(await say('resumen activar el viernes a las 17', coord)).toBe(
      'Resumen semanal activado en este canal: cada viernes a las 17:00 (America/Lima), en español. El primero llegará el vie, 27 nov, 17:00.',
    );
    expect(await say('resumen activar cada lunes a las 8 --idioma en', coord)).toBe(
      'Resumen semanal activado en este canal: cada lunes a las 08:00 (America/Lima), en inglés. El primero llegará el lun, 30 nov, 08:00.',
    );
    expect(await subscription(coord)).toMatchObject({ locale: 'en', schedule: { kind: 'weekly', days: [1], time: { hour: 8, minute: 0 } } });
    expect(await say('resumen activar todos los días a las 9', coord)).toBe(
      '«todos los días a las 9»: el resumen llega una vez por semana. Elige un día y una hora, por ejemplo `viernes 17:00` o `cada lunes a las 9`.',
    );
    expect(await say('resumen', coord)).toBe(
      'Este canal recibe el resumen semanal cada lunes a las 08:00 (America/Lima), en inglés. El próximo: lun, 30 nov, 08:00.',
    );
  });

  it('GIVEN a member who is not a coordinator THEN on and off are refused, and show and preview are theirs', async () => {
    reset();
    const { coord, ana } = await next();
    expect(await say('digest on', ana)).toBe('Only a coordinator may do that.');
    expect(await subscription(ana)).toBeUndefined();
    await say('digest on', coord);
    expect(await say('digest off', ana)).toBe('Only a coordinator may do that.');
    expect(await subscription(ana)).toMatchObject({ status: 'active' });
    expect(await say('digest', ana)).toContain('This channel gets the weekly digest every Monday at 09:00');
    expect((await core.handleText('digest preview', ana)).visibility).toBe('ephemeral');
  });

  it('GIVEN a zone with daylight saving THEN the first digest is at 09:00 on its wall clock after the change', async () => {
    reset();
    // Wednesday 10 March 2027; New York moves to summer time on Sunday the 14th (UTC-5 → UTC-4).
    clock = new Date('2027-03-10T15:00:00Z');
    const { coord } = await next('America/New_York');
    expect(await say('digest on', coord)).toBe(
      'Weekly digest on for this channel: every Monday at 09:00 (America/New_York), in English. The first one comes on Mon, Mar 15, 09:00.',
    );
    const row = await subscription(coord);
    expect(row?.nextAt).toEqual(new Date('2027-03-15T13:00:00Z'));
    expect((await digestJobs(row!.id)).map((job) => job.runAt)).toEqual([new Date('2027-03-15T13:00:00Z')]);
  });

  it('GIVEN show, off and on again THEN each says where the channel stands; on again brings the same subscription back', async () => {
    reset();
    const { coord } = await next();
    const show = await core.handleText('digest', coord);
    expect(show.visibility).toBe('ephemeral');
    expect(text(show)).toBe(
      'This channel gets no weekly digest. A coordinator can subscribe it with `digest on` (Mondays at 09:00) or choose the time: `digest on friday 17:00`.',
    );
    expect(await say('digest off', coord)).toBe('This channel gets no weekly digest: there is nothing to stop.');
    await say('digest on --lang es', coord);
    expect(await say('digest', coord)).toBe(
      'This channel gets the weekly digest every Monday at 09:00 (America/Lima), in Spanish. Next one: Mon, Nov 30, 09:00.',
    );
    const first = await subscription(coord);

    const off = await core.handleText('digest off', coord);
    expect(off.visibility).toBe('public');
    expect(text(off)).toBe('Weekly digest off for this channel.');
    expect(await subscription(coord)).toMatchObject({ id: first!.id, status: 'off', nextAt: null });
    expect(await say('digest', coord)).toContain('This channel gets no weekly digest.');

    expect(await say('digest on friday', coord)).toContain('every Friday at 09:00 (America/Lima), in English');
    const again = await subscription(coord);
    // Friday 07:00 in Lima: today's 09:00 is still ahead.
    expect(again).toMatchObject({ id: first!.id, status: 'active', locale: null, nextAt: new Date('2026-11-27T14:00:00Z') });
    expect((await digestJobs(first!.id)).map((job) => job.key)).toContain(digestKey(first!.id, again!.nextAt!));
  });

  it('GIVEN a paused subscription THEN show says why and what to do, and on makes it active again', async () => {
    reset();
    const { coord } = await next();
    await say('digest on', coord);
    await database.db
      .update(digestSubscriptions)
      .set({ status: 'paused', pausedReason: 'notInChannel', nextAt: null })
      .where(eq(digestSubscriptions.conversation, here(coord)));
    expect(await say('digest', coord)).toBe(
      'This channel\'s weekly digest (every Monday at 09:00, America/Lima) is paused: Minga can no longer post here. Once Minga is back in the channel, a coordinator can run `digest on` again.',
    );
    expect(await say('resumen', as('rosa', { platformLocale: 'es' }))).toBe(
      'El resumen semanal de este canal (cada lunes a las 09:00, America/Lima) está en pausa: Minga ya no puede publicar aquí. Cuando Minga vuelva al canal, la coordinación puede escribir `resumen activar` otra vez.',
    );
    await say('digest on', coord);
    expect(await subscription(coord)).toMatchObject({ status: 'active', pausedReason: null, nextAt: new Date('2026-11-30T14:00:00Z') });
  });

  it('GIVEN the alliance\'s zone changes THEN its subscriptions take it and are due at their time there; the old job is left to find it moved', async () => {
    reset();
    const { coord } = await next('UTC');
    await say('digest on', coord);
    const other = as('coord', { channelId: 'other' });
    await say('digest on friday 17:00', other);
    const before = await subscription(coord);
    expect(before?.nextAt).toEqual(new Date('2026-11-30T09:00:00Z'));

    await say('timezone alliance America/Bogota', coord);
    const after = await subscription(coord);
    expect(after).toMatchObject({ timeZone: 'America/Bogota', nextAt: new Date('2026-11-30T14:00:00Z'), status: 'active' });
    expect((await digestJobs(after!.id)).map((job) => job.runAt)).toEqual([new Date('2026-11-30T09:00:00Z'), new Date('2026-11-30T14:00:00Z')]);
    // Friday 17:00 in Bogotá is 22:00 UTC, still today.
    expect(await subscription(other)).toMatchObject({ timeZone: 'America/Bogota', nextAt: new Date('2026-11-27T22:00:00Z') });
    expect(await say('digest', coord)).toContain('every Monday at 09:00 (America/Bogota)');
  });

  it('GIVEN `digest preview` THEN the channel\'s digest, seen only by the one who asked, in the channel\'s language', async () => {
    reset();
    const { coord, ana } = await next();
    const before = await core.handleText('digest preview', ana);
    expect(before).toMatchObject({ visibility: 'ephemeral', locale: 'en' });
    await say('digest on --lang es', coord);
    const preview = await core.handleText('digest preview', ana);
    expect(preview).toMatchObject({ visibility: 'ephemeral', locale: 'es' });
    expect(preview.error).toBeUndefined();
    expect(delivery.posts).toEqual([]);
  });

  it('GIVEN `digest now` THEN a digest.post job for this channel is queued and run at once; the answer says it is on its way', async () => {
    reset();
    const { coord, ana } = await next();
    await say('digest on --lang es', coord);
    let kicked: string[] = [];
    onKick = async (keys) => {
      kicked = keys;
    };
    const reply = await core.handleText('digest now', ana);
    expect(reply.visibility).toBe('ephemeral');
    expect(text(reply)).toBe('Posting this week\'s digest in this channel; it will appear in a moment.');
    const key = `digest:now:${here(ana)}:${FIXED_NOW.getTime()}`;
    expect(kicked).toEqual([key]);
    const [job] = await database.db.select().from(scheduledJobs).where(eq(scheduledJobs.key, key));
    const anaId = await memberId(ana);
    expect(job).toMatchObject({ kind: 'digest.post', runAt: FIXED_NOW, payload: { conversation: here(ana), locale: 'es', requestedBy: anaId }, doneAt: null });
  });

  it('GIVEN the job posts, is refused, or fails THEN `digest now` says so', async () => {
    reset();
    const { coord } = await next();
    const alliance = await allianceId();
    // As the digest.post handler records what became of it (see the contract in src/digest-commands.ts).
    onKick = async ([key]) => {
      await database.db.insert(deliveries).values({ key: key!, allianceId: alliance, messageRef: 'm1' });
    };
    expect(await say('digest now', coord)).toBe('Digest posted in this channel.');

    clock = new Date(FIXED_NOW.getTime() + 1000);
    onKick = async ([key]) => {
      await database.db.update(scheduledJobs).set({ lastError: 'timeout' }).where(eq(scheduledJobs.key, key!));
    };
    expect(await say('digest now', coord)).toBe('I could not post the digest yet; I will try again shortly.');

    clock = new Date(FIXED_NOW.getTime() + 2000);
    onKick = async ([key]) => {
      await database.db.insert(deliveries).values({ key: `${key}:refused`, allianceId: alliance, messageRef: 'channelGone' });
    };
    expect(await say('digest now', coord)).toBe(
      'The digest was not posted: Minga can no longer post in this channel (it may have been archived or deleted).',
    );
  });

  it('GIVEN Minga is not in the channel on Slack or Discord THEN `digest now` and `digest on` say how to let it in', async () => {
    for (const platform of ['slack', 'discord'] as const) {
      reset();
      const { coord } = await next('UTC', as('coord', { platform }));
      const alliance = await allianceId();
      onKick = async ([key]) => {
        await database.db.insert(deliveries).values({ key: `${key}:refused`, allianceId: alliance, messageRef: 'notInChannel' });
      };
      const invite =
        platform === 'slack'
          ? 'Minga is not in this channel yet, so it cannot post the digest here: invite it with `/invite @Minga`.'
          : 'Minga may not post in this channel yet, so the digest cannot appear here: give Minga the permission to view the channel and to send messages in it (channel settings, Permissions).';
      expect(await say('digest now', coord)).toBe(`The digest was not posted.\n${invite}`);

      const asked: string[] = [];
      delivery.postable = (conversation) => (asked.push(conversation), false);
      const refused = await core.handleText('digest on', coord);
      expect(refused.visibility).toBe('ephemeral');
      expect(text(refused)).toBe(`Weekly digest on for this channel: every Monday at 09:00 (UTC), in English. The first one comes on Mon, Nov 30, 09:00.\n${invite}`);
      expect(asked).toEqual([here(coord)]);
      // Set all the same: it posts once Minga is let in.
      expect(await subscription(coord)).toMatchObject({ status: 'active' });

      delivery.postable = () => true;
      expect((await core.handleText('digest on', coord)).visibility).toBe('public');
      delivery.postable = () => undefined;
      expect(await say('digest on', coord)).not.toContain('Minga');
    }
  });

  it('GIVEN a platform that fails to answer, or the console THEN the plain confirmation', async () => {
    reset();
    const { coord } = await next('UTC', as('coord', { platform: 'slack' }));
    delivery.postable = () => {
      throw new Error('slack is down');
    };
    expect((await core.handleText('digest on', coord)).visibility).toBe('public');
    reset();
    const console = await next('UTC');
    delivery.postable = () => false;
    expect((await core.handleText('digest on', console.coord)).visibility).toBe('public');
  });

  it('GIVEN no channel THEN the channel commands say a digest belongs to one', async () => {
    reset();
    const { coord } = await next();
    const nowhere = { ...coord, channelId: undefined };
    for (const line of ['digest on', 'digest off', 'digest now']) {
      expect(await say(line, nowhere)).toBe('A digest belongs to a channel: type this command in the channel that should get it.');
    }
    expect(await say('digest', nowhere)).toContain('This channel gets no weekly digest.');
  });
});
