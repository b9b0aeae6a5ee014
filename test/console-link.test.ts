// Two console workspaces (MINGA_CONSOLE_WORKSPACE) as one alliance, through the console adapter: one links, the other joins, both see one task list.
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleAdapter } from '../adapters/console/console-adapter.js';
import { createTestCore, type TestCore } from './support/core.js';
import { openTestDatabase, type TestDatabase } from './support/databases.js';

describe('two console workspaces', () => {
  let database: TestDatabase;
  let core: TestCore;
  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    core = createTestCore(database.db);
  });
  afterAll(() => database.close());

  /** One console session in `workspace`: the lines typed, what it printed. */
  async function session(workspace: string, lines: string): Promise<string> {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk) => (printed += chunk));
    const adapter = new ConsoleAdapter({ user: 'local', workspace, locale: 'en', input, output });
    await adapter.start(core);
    input.end(lines);
    await adapter.finished;
    return printed;
  }

  it('GIVEN MINGA_CONSOLE_WORKSPACE=ong-a and =ong-b THEN they are two workspaces, and `alliance join` makes them one alliance', async () => {
    expect(await session('ong-b', 'task add Only in B\n')).toContain('Task #1 added: Only in B');
    const linked = await session('ong-a', 'alliance link\n');
    const code = /`([0-9A-Z]{4}(?:-[0-9A-Z]{4}){7})`/.exec(linked)?.[1];
    expect(code).toBeDefined();
    // B holds a task of its own: refused, nothing merged.
    expect(await session('ong-b', `alliance join ${code}\n`)).toContain('already has work of its own (1 tasks, 0 polls');
    const joined = await session('ong-b', `task delete 1\nalliance join ${code}\ntask add Shared work\n`);
    expect(joined).toContain('This workspace is now part of the alliance ong-a');
    expect(joined).toContain('Task #1 added: Shared work');
    expect(await session('ong-a', 'task list\n')).toBe('Open tasks\n#1 Shared work\n');
    expect(ConsoleAdapter.conversation('ong-b')).toBe('console:ong-b:main');
  });
});
