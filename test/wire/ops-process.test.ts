// `npm start` with Discord alone serves /healthz and /metrics on PORT from a server of its own, and stops cleanly on SIGTERM: the composition in adapters/main.ts, on both databases.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord.js';
import { createEmptyServerDatabase, databaseTargets } from '../support/databases.js';
import { APP_ID, GUILDS, TOKEN } from '../support/discord.js';
import { freePort } from '../support/ports.js';

const root = join(import.meta.dirname, '..', '..');


// A real process starts cold: seconds, far more on a busy machine. Wide budgets, no timing assertion.
describe.each(databaseTargets())('npm start with Discord alone, on %s', { timeout: 180_000 }, (kind) => {
  let fake: FakeDiscord;
  let child: ChildProcess;
  let exited: Promise<number | null>;
  let base: string;
  let stderr = '';
  const cleanups: (() => Promise<void> | void)[] = [];

  beforeAll(async () => {
    fake = await startFakeDiscord({ applicationId: APP_ID, guilds: Object.values(GUILDS) });
    let database: Record<string, string>;
    if (kind === 'pglite') {
      const dataDir = mkdtempSync(join(tmpdir(), 'minga-ops-'));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      database = { MINGA_DATA_DIR: dataDir };
    } else {
      const server = await createEmptyServerDatabase();
      cleanups.push(server.drop);
      database = { DATABASE_URL: server.url };
    }
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'warn', DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.restUrl, DISCORD_GUILD_ID: GUILDS.main.id, PORT: String(port), ...database },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  }, 180_000);
  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
    await fake?.close();
    for (const cleanup of cleanups) await cleanup();
  });

  it('GIVEN it started THEN /healthz is 200 with the gateway ready and /metrics answers; SIGTERM THEN it exits 0', async () => {
    const response = await vi.waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`Minga exited: ${stderr}`);
        return fetch(`${base}/healthz`);
      },
      { timeout: 150_000, interval: 250 },
    );
    const report = (await response.json()) as { ok: boolean; adapters: unknown[] };
    expect({ status: response.status, report }).toMatchObject({ status: 200, report: { ok: true, adapters: [{ platform: 'discord', ok: true, state: 'ready' }] } });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(metrics).toMatch(/^minga_scheduler_lag_seconds\{measure="oldest_due"\} 0$/m);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
