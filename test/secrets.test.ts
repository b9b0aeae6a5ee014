// The deployment secret: MINGA_SECRET, or with the embedded database a file generated once in its data directory, beside the database files and never among them.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMinga } from '../src/app.js';
import { loadSecret, SECRET_FILE } from '../src/secrets.js';

/** Every file under a directory. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

const quiet = () => new Writable({ write: (_chunk, _encoding, done) => done() });

describe('loadSecret', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'minga-secret-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('GIVEN MINGA_SECRET THEN it is the secret, and no file is written', () => {
    expect(loadSecret({ secret: 'x'.repeat(32), dataDir })).toBe('x'.repeat(32));
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('GIVEN DATABASE_URL and no MINGA_SECRET THEN there is none, and no file is written', () => {
    expect(loadSecret({ databaseUrl: 'postgres://minga@db/minga', dataDir })).toBeUndefined();
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('GIVEN the embedded database and no MINGA_SECRET THEN one is generated into a file only its owner can read, and read back after', () => {
    const secret = loadSecret({ dataDir });
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    const path = join(dataDir, SECRET_FILE);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe(`${secret}\n`);
    expect(readdirSync(dataDir)).toEqual([SECRET_FILE]);
    expect(loadSecret({ dataDir })).toBe(secret);
  });

  it('GIVEN a secret file that holds no secret THEN start-up stops naming it, rather than replace it', () => {
    writeFileSync(join(dataDir, SECRET_FILE), '\n');
    expect(() => loadSecret({ dataDir })).toThrow(`${join(dataDir, SECRET_FILE)} does not hold a secret`);
  });
});

describe('the secret of an embedded deployment', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'minga-secret-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('GIVEN Minga starts twice on the embedded database THEN the secret is made once, beside the database files, and none of them holds it', async () => {
    const env = { MINGA_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
    await (await startMinga(() => [], env, quiet())).stop();
    const path = join(dataDir, SECRET_FILE);
    const secret = readFileSync(path, 'utf8');
    expect(statSync(path).mode & 0o777).toBe(0o600);

    await (await startMinga(() => [], env, quiet())).stop();
    expect(readFileSync(path, 'utf8')).toBe(secret);
    // PGlite keeps its files in pgdata: a copy of those alone does not carry the secret.
    const databaseFiles = filesUnder(join(dataDir, 'pgdata'));
    expect(databaseFiles.length).toBeGreaterThan(0);
    expect(databaseFiles.filter((file) => readFileSync(file).includes(secret.trim()))).toEqual([]);
    expect(readdirSync(dataDir).sort()).toEqual(['minga-secret', 'pgdata']);
  }, 120_000);
});
