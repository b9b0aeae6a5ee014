// The alliance's structure on Slack at the wire: signed /minga requests into the real Bolt app, the real core on PGlite and the server: coordinators named by Slack mentions, refusals in the member's language, history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseTargets, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { blockTexts, CHANNEL, PEOPLE, startSlackRig, type SlackRig, type Who } from '../support/slack.js';

describe.each(databaseTargets())('the alliance\'s structure on Slack, on %s', (kind) => {
  let database: TestDatabase;
  let rig: SlackRig;
  let count = 0;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    rig = await startSlackRig(database);
  });
  afterAll(async () => {
    await rig?.stop();
    await database?.close();
  });

  async function workspace() {
    const teamId = `T0R${kind.slice(0, 2).toUpperCase()}${(count += 1)}`;
    const as = (person: keyof typeof PEOPLE): Who => ({ teamId, userId: PEOPLE[person].id, channelId: CHANNEL });
    await rig.command('help', as('coord'));
    return as;
  }

  it('GIVEN a Slack admin THEN they add a coordinator by mention; a member is refused in their language; the last one stays', async () => {
    const as = await workspace();
    const refused = await rig.command('coordinacion agregar <@U0ANA1|ana>', as('rosa'));
    expect(refused.response_type).toBe('ephemeral');
    expect(blockTexts(refused)).toEqual([':warning: Solo una persona de la coordinación puede hacer eso.']);
    const added = await rig.command('coordinator add <@U0ANA1|ana>', as('coord'));
    expect(added.response_type).toBe('in_channel');
    expect(blockTexts(added)).toEqual(['@ana is now a coordinator of the alliance.']);
    const removed = await rig.command('coordinator remove <@U0ANA1|ana>', as('ana'));
    expect(blockTexts(removed).join('\n')).toMatch(/^@ana is no longer a coordinator\. \(If they are an admin of their Slack workspace or manage their Discord server, they stay one\.\)$/i);
    const last = await rig.command('coordinator remove <@U0COORD|coord>', as('coord'));
    expect(blockTexts(last)).toEqual([':warning: You are the alliance\'s last coordinator: make someone else a coordinator first (`coordinator add @member`).']);
    const history = await rig.command('history', as('bob'));
    expect(history.response_type).toBe('ephemeral');
    expect(blockTexts(history).join('\n')).toMatch(/Ana \(Slack\) · removed @ana from the coordinators[\s\S]*coord \(Slack\) · made @ana a coordinator/i);
  });
});
