// `npm run build` (and `npm install`, through `prepare`): compiles the app to dist/ for `npm start`, with the migrations beside it.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
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
writeFileSync(stamp, `${began.toISOString()}\n`);
utimesSync(stamp, began, began);
