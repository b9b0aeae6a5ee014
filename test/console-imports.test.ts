// The console starts without platform code: `npm start` with no credentials never loads @slack/bolt or discord.js.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

// A module hook that writes down every module the process resolves, one URL a line, in the file MINGA_IMPORT_LOG names.
const hooks = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.MINGA_IMPORT_LOG, result.url + '\\n');
  return result;
}`;
const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;

function runConsole(dir: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    // Registered after tsx, so its hook runs first and sees each module's final URL.
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', `data:text/javascript,${encodeURIComponent(register)}`, 'adapters/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, MINGA_DATA_DIR: join(dir, 'data'), MINGA_IMPORT_LOG: join(dir, 'imports.txt') },
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    child.on('error', reject);
    child.on('close', resolve);
    child.stdin.end('help\n');
  });
}

describe('the console start-up', { timeout: 120_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'minga-imports-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('GIVEN no platform credentials THEN npm start answers without loading Slack or Discord code', async () => {
    expect(await runConsole(dir)).toBe(0);
    const loaded = readFileSync(join(dir, 'imports.txt'), 'utf8').split('\n');
    // The hook saw the console itself, so an empty list cannot pass for a clean one.
    expect(loaded.some((url) => url.includes('/adapters/console/console-adapter'))).toBe(true);
    expect(loaded.filter((url) => /@slack\/|discord\.js|\/adapters\/(slack|discord)\/(?!config)/.test(url))).toEqual([]);
  });
});
