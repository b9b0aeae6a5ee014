// Exports and resources on Discord at the wire: the CSV as an attachment of the ephemeral interaction reply (multipart to the fake), and the resource subcommands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCore } from '../support/core.js';
import { databaseTargets, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { isEphemeral, MANAGE_SERVER, PEOPLE, said, startDiscordRig, type DiscordRig } from '../support/discord.js';

describe.each(databaseTargets())('exports and resources on Discord, on %s', (kind) => {
  let database: TestDatabase;
  let rig: DiscordRig;
  const coord = { user: PEOPLE.coord, permissions: MANAGE_SERVER };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    rig = await startDiscordRig(createTestCore(database.db));
  });
  afterAll(async () => {
    await rig?.stop();
    await database?.close();
  });

  it('GIVEN resources shared with the slash command THEN search finds them by words and #tags, and removal follows the rules', async () => {
    const shared = await rig.slash('resource share', { link: 'https://example.org/guia-organizaciones', title: 'Guía para organizaciones', tags: '#Organización, #agua' }, { user: PEOPLE.ana, locale: 'es-419' });
    expect(isEphemeral(shared.callback)).toBe(false);
    expect(said(shared.callback)).toContain('Recurso #1 compartido: Guía para organizaciones');
    const found = await rig.slash('resource search', { words: 'organización #agua' }, { user: PEOPLE.ana, locale: 'es-419' });
    expect(isEphemeral(found.callback)).toBe(true);
    expect(said(found.callback)).toContain('#1 Guía para organizaciones');
    const refused = await rig.slash('resource share', { link: 'javascript:alert(1)', title: 'x' }, { user: PEOPLE.ana });
    expect(said(refused.callback)).toContain('is not a web link');
    const notYours = await rig.slash('resource remove', { number: 1 }, { user: PEOPLE.bob });
    expect(said(notYours.callback)).toContain('Only whoever shared it or a coordinator may do that.');
    const removed = await rig.slash('resource remove', { number: 1 }, coord);
    expect(said(removed.callback)).toContain('Resource #1 removed: Guía para organizaciones');
  });

  it('GIVEN a coordinator\'s /minga export THEN the CSV arrives as an attachment of the private reply, with its content', async () => {
    await rig.slash('task add', { title: '@SUM(1)' }, coord);
    const { callback } = await rig.slash('export', { what: 'tasks' }, coord);
    expect(isEphemeral(callback)).toBe(true);
    expect(said(callback)).toContain('1 row, as a CSV file for a spreadsheet.');
    expect(callback.body.data.attachments).toEqual([{ id: '0' }]);
    expect(callback.files).toHaveLength(1);
    const [file] = callback.files!;
    expect(file!.field).toBe('files[0]');
    expect(file!.name).toMatch(/-tasks-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(file!.content).toMatch(/^number,title,status,assigned to,due,created,completed\n1,'@SUM\(1\),open,,,/);
  });

  it('GIVEN Discord refuses the attachment THEN the reply goes again without it, saying so, and nothing crashes', async () => {
    rig.fake.limitAttachments(10);
    try {
      const { payload, callback } = await rig.slash('export', { what: 'members' }, coord);
      expect(callback.status).toBe(413);
      const path = `/interactions/${payload.id}/${payload.token}/callback`;
      const retried = await rig.fake.waitFor((request) => request.path === path && request.status === 204);
      expect(retried.files ?? []).toEqual([]);
      expect(isEphemeral(retried)).toBe(true);
      expect(said(retried)).toMatch(/Discord did not take .*-members-.*\.csv as an attachment\. Try again in a moment\.$/);
    } finally {
      rig.fake.limitAttachments(10 * 1024 * 1024);
    }
  });

  it('GIVEN a member who does not coordinate THEN /minga export is refused with no attachment', async () => {
    const { callback } = await rig.slash('export', { what: 'members' }, { user: PEOPLE.lucia });
    expect(said(callback)).toContain('Only a coordinator may do that.');
    expect(callback.files ?? []).toEqual([]);
  });
});
