// Where `npm start` looks to tell whether the compiled JavaScript in dist/ is older than the TypeScript it came from.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..');
/** Written by the build, dated when the build began: an edit made during the build still counts as newer. */
export const stamp = join(root, 'dist', '.built');

const SOURCES = ['src', 'adapters', 'db', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

/** The newest modification time among the sources, in milliseconds (a few milliseconds for the whole tree). */
export function newestSource() {
  let newest = 0;
  for (const source of SOURCES) {
    const path = join(root, source);
    const stat = statSync(path);
    newest = Math.max(newest, stat.mtimeMs);
    if (!stat.isDirectory()) continue;
    for (const entry of readdirSync(path, { recursive: true })) newest = Math.max(newest, statSync(join(path, entry)).mtimeMs);
  }
  return newest;
}

/** Whether dist/ holds a build of the sources as they are now. */
export function builtIsCurrent() {
  return existsSync(stamp) && statSync(stamp).mtimeMs >= newestSource();
}
