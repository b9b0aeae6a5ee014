// The console workspace as a newcomer meets it: `npm start` with piped input, state kept across runs, one process per data directory.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleAdapter } from '../adapters/console/console-adapter.js';
import { renderText } from '../adapters/console/render-text.js';
import { createTestCore } from './support/core.js';
import { openTestDatabase, type TestDatabase } from './support/databases.js';

const root = join(import.meta.dirname, '..');

/** Runs Minga as `npm start` does (tsx adapters/main.ts), feeding it `input`; resolves with what it printed and its exit code. */
function runMinga(input: string, env: Record<string, string>): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
    child.stdin.end(input);
  });
}

// Each test starts real `npm start` processes: cold start-up is seconds, and far more on a busy machine, so these get a wide budget (not a timing assertion).
describe('the console workspace', { timeout: 120_000 }, () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'minga-console-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('GIVEN piped commands THEN it answers each, exits 0, and keeps the tasks for the next run', async () => {
    const env = { MINGA_DATA_DIR: dataDir };
    const first = await runMinga('task add Buy banners for the march due 2099-12-01\ntask list\n', env);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`Minga is running: database embedded PGlite in ${dataDir}; adapters console.`);
    expect(first.stdout).toContain('Task #1 added: Buy banners for the march');
    expect(first.stdout).toContain('#1 Buy banners for the march · due');

    const second = await runMinga('tareas\n', { ...env, MINGA_USER: 'ana', MINGA_LOCALE: 'es' });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Minga está en marcha');
    expect(second.stdout).toContain('Tareas abiertas\n#1 Buy banners for the march · vence el');
  });

  it('GIVEN a second process on the same data directory THEN it is refused with a clear message', async () => {
    const env = { MINGA_DATA_DIR: dataDir };
    const holder = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], { cwd: root, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    await new Promise<void>((resolve) => holder.stdout.on('data', (chunk) => String(chunk).includes('Minga is running') && resolve()));
    const second = await runMinga('task list\n', env);
    holder.stdin.end();
    await new Promise((resolve) => holder.on('close', resolve));
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('is in use by another Minga process');
  });

  it('GIVEN bad configuration THEN start-up stops with a message naming the variable', async () => {
    const result = await runMinga('', { MINGA_DATA_DIR: dataDir, MINGA_LOCALE: 'fr' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('MINGA_LOCALE');
  });
});

describe('ConsoleAdapter', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase('pglite');
  });
  afterAll(() => database.close());

  it('GIVEN lines on its input THEN it answers them in order as the configured user', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk) => (printed += chunk));
    const adapter = new ConsoleAdapter({ user: 'rosa', locale: 'es', input, output, platformLocale: 'es_PE.UTF-8' });
    await adapter.start(createTestCore(database.db));
    input.end('tarea nueva Preparar el acta\nfoo\n');
    await adapter.finished;
    expect(printed).toBe('Tarea #1 creada: Preparar el acta\nAsignada a: nadie todavía\n! No conozco «foo». Escribe `ayuda` para ver lo que puedo hacer.\n');
  });

  it('GIVEN lines piped in at once THEN each carries the moment it arrived, not the later moment its turn came', async () => {
    const input = new PassThrough();
    const core = createTestCore(database.db);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stamps: (number | undefined)[] = [];
    const adapter = new ConsoleAdapter({ user: 'rosa', locale: 'en', input, output: new PassThrough() });
    // The first line is held until the test lets it go, so the others wait for their turn meanwhile.
    await adapter.start({ ...core, handleText: async (text, who) => (stamps.push(who.actedAt), await gate, core.handleText(text, who)) });
    input.end('help\nhelp\nhelp\n');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const turnsBegin = Date.now() * 1000;
    release();
    await adapter.finished;
    expect(stamps).toHaveLength(3);
    const [first, second, third] = stamps as number[];
    expect(first).toBeLessThan(second!);
    expect(second).toBeLessThan(third!);
    expect(third).toBeLessThan(turnsBegin);
  });

  it('GIVEN a post on Minga\'s own initiative THEN it is printed with where it went', async () => {
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk) => (printed += chunk));
    const adapter = new ConsoleAdapter({ user: 'rosa', locale: 'en', input: new PassThrough(), output });
    await adapter.post(ConsoleAdapter.conversation(), { visibility: 'public', locale: 'en', heading: 'Digest', lines: [{ text: 'All good' }] });
    expect(printed).toBe('Minga posted in console:local:main:\nDigest\nAll good\n');
    expect(renderText({ visibility: 'ephemeral', locale: 'en', lines: [{ text: '*bold*' }] })).toBe('bold');
  });
});

// Digests in the console's one channel, in both languages; the digest itself is the renderer's (see render/digest.ts), so only its place is checked here.
describe('ConsoleAdapter: digests', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase('pglite');
  });
  afterAll(() => database.close());

  async function session(lines: string, platformLocale?: string): Promise<string[]> {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk) => (printed += chunk));
    const adapter = new ConsoleAdapter({ user: 'ana', locale: 'en', input, output, ...(platformLocale && { platformLocale }) });
    await adapter.start(createTestCore(database.db));
    input.end(lines);
    await adapter.finished;
    return printed.trimEnd().split('\n');
  }

  it('GIVEN digest on, digest, digest preview and digest off THEN each answers in English, in order', async () => {
    const printed = await session('digest on friday 17:00\ndigest\ndigest preview\ndigest off\n');
    expect(printed[0]).toBe('Weekly digest on for this channel: every Friday at 17:00 (UTC), in English. The first one comes on Fri, Nov 27, 17:00.');
    expect(printed[1]).toBe('This channel gets the weekly digest every Friday at 17:00 (UTC), in English. Next one: Fri, Nov 27, 17:00.');
    expect(printed.length).toBeGreaterThan(3);
    expect(printed.at(-1)).toBe('Weekly digest off for this channel.');
  });

  it('GIVEN resumen activar, resumen, resumen vista previa and resumen desactivar THEN each answers in Spanish, in order', async () => {
    const printed = await session('resumen activar a las 8 --idioma es\nresumen\nresumen vista previa\nresumen desactivar\nresumen\n', 'es_PE.UTF-8');
    expect(printed[0]).toBe('Resumen semanal activado en este canal: cada lunes a las 08:00 (UTC), en español. El primero llegará el lun, 30 nov, 08:00.');
    expect(printed[1]).toBe('Este canal recibe el resumen semanal cada lunes a las 08:00 (UTC), en español. El próximo: lun, 30 nov, 08:00.');
    expect(printed.slice(-2)).toEqual([
      'Resumen semanal desactivado en este canal.',
      'Este canal no recibe el resumen semanal. La coordinación puede activarlo con `resumen activar` (los lunes a las 09:00) o eligiendo el momento: `resumen activar viernes 17:00`.',
    ]);
  });
});
