// Minga as it boots (src/app.ts) on the console: a reminder that fell due while Minga was stopped is printed once when it starts again, marked late.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleAdapter } from '../adapters/console/console-adapter.js';
import { openPglite } from '../db/connection.js';
import { startMinga } from '../src/app.js';
import { insertReminder, memberRow } from './support/reminders.js';

/** Starts Minga on the console with `lines` as ana's input, lets the input end, stops it; resolves with what it printed. */
async function runOnce(dataDir: string, lines: string): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk) => (printed += chunk));
  const adapter = new ConsoleAdapter({ user: 'ana', locale: 'en', input, output });
  const minga = await startMinga(() => [adapter], { MINGA_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, new PassThrough());
  input.end(lines);
  await adapter.finished;
  // Stopping delivers what is due before leaving, as a piped session does.
  await minga.stop();
  return printed;
}

describe('a reminder across a restart of Minga', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'minga-restart-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('GIVEN a reminder that fell due while Minga was stopped THEN the next start prints it once, late, and the one after prints nothing', async () => {
    await runOnce(dataDir, 'help\n');
    // Set while Minga was running, due two minutes ago: Minga has been stopped since.
    const database = await openPglite(dataDir);
    try {
      const ana = await memberRow(database.db, 'console', 'local', 'ana');
      const due = new Date(Math.floor((Date.now() - 2 * 60_000) / 60_000) * 60_000);
      await insertReminder(database.db, { allianceId: ana.allianceId, createdBy: ana.id, target: { member: ana.id }, text: 'Book the hall', nextAt: due });
    } finally {
      await database.close();
    }

    const printed = await runOnce(dataDir, '');
    expect(printed.match(/Minga wrote to @ana:\nReminder: Book the hall \(late: was due .+\)\n/g)).toHaveLength(1);
    expect(await runOnce(dataDir, '')).not.toContain('Book the hall');
  });
});
