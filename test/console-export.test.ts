// Exports in the console: the CSV is written as a file in the directory Minga runs in, named by alliance and day, never over an existing file.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleAdapter } from '../adapters/console/console-adapter.js';
import { createTestCore } from './support/core.js';
import { openTestDatabase, type TestDatabase } from './support/databases.js';

describe('ConsoleAdapter: files', () => {
  let database: TestDatabase;
  let directory: string;
  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    directory = mkdtempSync(join(tmpdir(), 'minga-export-'));
  });
  afterAll(async () => {
    rmSync(directory, { recursive: true, force: true });
    await database.close();
  });

  async function session(lines: string, options: { directory: string; locale?: 'en' | 'es' }): Promise<string[]> {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk) => (printed += chunk));
    const adapter = new ConsoleAdapter({ user: 'ana', locale: options.locale ?? 'en', input, output, directory: options.directory });
    await adapter.start(createTestCore(database.db));
    input.end(lines);
    await adapter.finished;
    return printed.trimEnd().split('\n');
  }

  it('GIVEN export tasks twice and a file already there THEN each export is a new file, nothing is overwritten, and the console says where', async () => {
    const existing = join(directory, 'x');
    // The console's first member coordinates its alliance; the alliance is named after the workspace.
    const first = await session('task add =SUM(A1) due 2026-12-01\nexport tasks\n', { directory });
    const name = readdirSync(directory).find((file) => file.endsWith('.csv'))!;
    expect(name).toMatch(/-tasks-2026-11-27\.csv$/);
    expect(first.slice(-3)).toEqual(['Export of tasks', '1 row, as a CSV file for a spreadsheet.', `Saved ${name} in ${directory}.`]);
    expect(readFileSync(join(directory, name), 'utf8')).toMatch(/^number,title,status,assigned to,due,created,completed\n1,'=SUM\(A1\),open,,2026-12-01,/);

    writeFileSync(existing, 'keep');
    writeFileSync(join(directory, name.replace('.csv', '-2.csv')), 'keep me too');
    const second = await session('exportar tareas\n', { directory, locale: 'es' });
    const third = name.replace('.csv', '-3.csv');
    expect(second.at(-1)).toBe(`Saved ${third} in ${directory}.`);
    expect(readFileSync(join(directory, name.replace('.csv', '-2.csv')), 'utf8')).toBe('keep me too');
    expect(readFileSync(join(directory, third), 'utf8')).toContain("'=SUM(A1)");
  });

  it('GIVEN a directory that cannot be written THEN the console says so and prints the CSV instead', async () => {
    const missing = join(directory, 'no', 'such', 'dir');
    const printed = await session('export members\n', { directory: missing });
    expect(printed).toContain(`I could not save ${printed.find((line) => line.startsWith('I could not'))!.split(' ')[4]} in ${missing}; here is its text instead.`);
    expect(printed.at(-2)).toBe('name,platform,workspace,role,organizations,joined');
    expect(printed.at(-1)).toMatch(/^ana,console,local,coordinator,,/);
  });
});
