// The alliance's structure on Discord at the wire: the real discord.js client against the fake Discord, the real core on a test database: coordinators, the alliance, organizations and history through /minga.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore, type TestCore } from '../support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { GUILDS, isEphemeral, MANAGE_SERVER, PEOPLE, said, startDiscordRig, type DiscordRig } from '../support/discord.js';

describe.each(databaseTargets())('the alliance\'s structure on Discord, on %s', (kind) => {
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

  it('GIVEN a server THEN its first member and Manage Server coordinate; coordinators add one more; members are refused privately', async () => {
    await rig.slash('help', {}, { user: PEOPLE.coord });
    const refused = await rig.slash('coordinator add', { member: PEOPLE.ana }, { user: PEOPLE.bob });
    expect(isEphemeral(refused.callback)).toBe(true);
    expect(said(refused.callback)).toBe('Only a coordinator may do that.');
    const added = await rig.slash('coordinator add', { member: PEOPLE.ana }, { user: PEOPLE.coord });
    expect(isEphemeral(added.callback)).toBe(false);
    expect(said(added.callback)).toBe('@Ana is now a coordinator of the alliance.');
    await rig.slash('help', {}, { user: PEOPLE.lucia, permissions: MANAGE_SERVER });
    const listed = await rig.slash('coordinator list', {}, { user: PEOPLE.bob, locale: 'es-419' });
    expect(said(listed.callback)).toBe(
      'Coordinación\nAna (Discord)\nCoordinación (Discord)\nLucía (Discord)\nQuienes administran un espacio de Slack y quienes tienen «Gestionar servidor» en Discord también coordinan.',
    );
  });

  it('GIVEN the alliance renamed and shown THEN the server is listed with its platform', async () => {
    const renamed = await rig.slash('alliance rename', { name: 'Red Andina' }, { user: PEOPLE.coord });
    expect(said(renamed.callback)).toBe('Done: the alliance is now called Red Andina.');
    const shown = await rig.slash('alliance show', {}, { user: PEOPLE.bob });
    expect(isEphemeral(shown.callback)).toBe(true);
    expect(said(shown.callback)).toContain('Alliance Red Andina');
    expect(said(shown.callback)).toContain(`${GUILDS.main.name} (Discord)`);
  });

  it('GIVEN an organization shown, renamed, left and removed THEN history tells it all, newest first', async () => {
    await rig.slash('org add', { slug: 'huertas', name: 'Huertas' }, { user: PEOPLE.coord });
    await rig.slash('org join', { slug: 'huertas' }, { user: PEOPLE.bob });
    const shown = await rig.slash('org show', { slug: 'huertas' }, { user: PEOPLE.bob });
    expect(said(shown.callback)).toContain('Members (1)\nBob (Discord)');
    expect(said((await rig.slash('org rename', { slug: 'huertas', name: 'Huertas del Sur' }, { user: PEOPLE.bob })).callback)).toBe('Only a coordinator may do that.');
    await rig.slash('org rename', { slug: 'huertas', name: 'Huertas del Sur' }, { user: PEOPLE.coord });
    expect(said((await rig.slash('org leave', {}, { user: PEOPLE.bob })).callback)).toBe('@Bob no longer belongs to Huertas del Sur.');
    expect(said((await rig.slash('org remove', { slug: 'huertas' }, { user: PEOPLE.coord })).callback)).toBe('Organization Huertas del Sur (org:huertas) removed.');
    const history = await rig.slash('history', { org: 'huertas' }, { user: PEOPLE.bob });
    expect(isEphemeral(history.callback)).toBe(true);
    const lines = said(history.callback).split('\n');
    expect(lines[0]).toBe('History of org:huertas');
    expect(lines.slice(1).map((line) => line.split(' · ').slice(1).join(' · '))).toEqual([
      'Coordinación (Discord) · removed organization Huertas del Sur (org:huertas)',
      'Bob (Discord) · left Huertas del Sur (org:huertas)',
      'Coordinación (Discord) · renamed org:huertas from Huertas to Huertas del Sur',
      'Bob (Discord) · joined Huertas (org:huertas)',
      'Coordinación (Discord) · added organization Huertas (org:huertas)',
    ]);
  });
});
