// Exports and resources on Slack at the wire: the CSV uploaded with files.uploadV2 into the coordinator's direct messages, and shared resources answered in the channel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { blockTexts, CHANNEL, PEOPLE, startSlackRig, TEAM, type SlackRig, type Who } from '../support/slack.js';

const as = (userId: string): Who => ({ teamId: TEAM, userId, channelId: CHANNEL });

describe.each(databaseTargets())('exports on Slack, on %s', (kind) => {
  let database: TestDatabase;
  let rig: SlackRig;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    rig = await startSlackRig(database);
  });
  afterAll(async () => {
    await rig?.stop();
    await database?.close();
  });

  it('GIVEN tasks and a coordinator\'s `export tasks` THEN the CSV is uploaded in three steps into their direct messages, formulas defused', async () => {
    await rig.command('task add =HYPERLINK("http://x") due 2026-12-01', as(PEOPLE.coord.id));
    const answer = await rig.command('export tasks', as(PEOPLE.coord.id));
    expect(answer.response_type).toBe('ephemeral');
    const file = rig.fake.uploadedFiles().at(-1)!;
    expect(blockTexts(answer)).toEqual(['Export of tasks', `1 row, as a CSV file for a spreadsheet.\nI sent you ${file.filename} in a direct message.`]);
    expect(file.filename).toMatch(/-tasks-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(file.channel).toBe(rig.fake.dmChannelFor(PEOPLE.coord.id));
    expect(file.content).toMatch(/^number,title,status,assigned to,due,created,completed\n1,"'=HYPERLINK\(""http:\/\/x""\)",open,,2026-12-01,/);
    const [asked] = rig.fake.callsTo('files.getUploadURLExternal');
    expect(asked?.body).toMatchObject({ filename: file.filename, length: String(Buffer.byteLength(file.content)) });
    expect(rig.fake.callsTo('files.completeUploadExternal').at(-1)?.body).toMatchObject({ channel_id: file.channel });
  });

  it('GIVEN Slack answers 429 to the upload and then to opening the DM THEN the export waits each Retry-After out, as posts do, and arrives', async () => {
    const before = rig.fake.uploadedFiles().length;
    const asked = rig.fake.callsTo('files.getUploadURLExternal').length;
    rig.fake.failNext('files.getUploadURLExternal', { status: 429, retryAfter: 1 });
    const answer = await rig.command('export tasks', as(PEOPLE.coord.id));
    expect(blockTexts(answer).join('\n')).toContain('in a direct message');
    expect(rig.fake.uploadedFiles()).toHaveLength(before + 1);
    expect(rig.fake.callsTo('files.getUploadURLExternal')).toHaveLength(asked + 2);
    // Someone whose DM Minga has not opened yet: conversations.open goes through the same paced, retried path.
    rig.fake.failNext('conversations.open', { status: 429, retryAfter: 1 });
    await rig.command(`coordinator add <@${PEOPLE.bob.id}|bob>`, as(PEOPLE.coord.id));
    const bobs = await rig.command('export tasks', as(PEOPLE.bob.id));
    expect(blockTexts(bobs).join('\n')).toContain('in a direct message');
    expect(rig.fake.uploadedFiles().at(-1)!.channel).toBe(rig.fake.dmChannelFor(PEOPLE.bob.id));
    expect(rig.fake.callsTo('conversations.open').filter((call) => call.body.users === PEOPLE.bob.id)).toHaveLength(2);
    await rig.command(`coordinator remove <@${PEOPLE.bob.id}|bob>`, as(PEOPLE.coord.id));
  });

  it('GIVEN a member who does not coordinate THEN `export members` is refused and nothing is uploaded', async () => {
    const before = rig.fake.uploadedFiles().length;
    const answer = await rig.command('exportar miembros', as(PEOPLE.rosa.id));
    expect(blockTexts(answer)).toEqual([':warning: Solo una persona de la coordinación puede hacer eso.']);
    expect(rig.fake.uploadedFiles()).toHaveLength(before);
  });

  it('GIVEN `compartir` with a link Slack wrapped THEN the resource is shared for the channel and found by `recursos`', async () => {
    const shared = await rig.command('compartir <https://example.org/guia|example.org/guia> Guía de organizaciones #Organización', as(PEOPLE.rosa.id));
    expect(shared.response_type).toBe('in_channel');
    expect(blockTexts(shared)[0]).toBe('Recurso #1 compartido: Guía de organizaciones');
    const found = await rig.command('recursos organización', as(PEOPLE.rosa.id));
    expect(blockTexts(found).join('\n')).toContain('#1 Guía de organizaciones');
  });
});
