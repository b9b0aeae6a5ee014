// `npm run build` (and `npm install`, through `prepare`): compiles the app to dist/ for `npm start`, with the migrations beside it.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { root, stamp } from './sources.mjs';

const began = new Date();
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  // An install without dev dependencies has no compiler: `npm start` then runs the TypeScript through tsx, as before.
  if (process.argv.includes('--if-possible')) {
    console.log('minga: typescript is not installed, so there is no build; npm start will run the sources through tsx.');
    process.exit(0);
  }
  console.error('minga: the build needs typescript (a dev dependency): run npm install.');
  process.exit(1);
}
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
// drizzle reads the SQL migrations beside db/connection.js.
cpSync(join(root, 'db', 'migrations'), join(root, 'dist', 'db', 'migrations'), { recursive: true });
mkdirSync(join(root, 'dist'), { recursive: true });
await makeTemplate();
writeFileSync(stamp, `${began.toISOString()}\n`);
utimesSync(stamp, began, began);

/**
 * A migrated embedded database for new data directories to start from (db/connection.ts, builtTemplate): made once here
 * rather than by initdb and the migrations on a newcomer's first start. Without it Minga still starts, only slower.
 */
async function makeTemplate() {
  const template = join(root, 'dist', 'db', 'pglite-template');
  const scratch = mkdtempSync(join(tmpdir(), 'minga-template-'));
  try {
    const { migrateDatabase, openPglite } = await import(join(root, 'dist', 'db', 'connection.js'));
    // From scratch (initdb, then every migration), never from the template an earlier build left: a template is only ever
    // a copy of what this build's migrations make.
    const database = await openPglite(scratch, { template: join(scratch, 'no-template') });
    try {
      await migrateDatabase(database);
    } finally {
      await database.close();
    }
    rmSync(template, { recursive: true, force: true });
    cpSync(join(scratch, 'pgdata'), template, { recursive: true });
  } catch (err) {
    rmSync(template, { recursive: true, force: true });
    console.warn(`minga: no database template (${err.message}); a new data directory will be made from scratch.`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
