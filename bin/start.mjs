// `npm start`: runs the compiled app in dist/ when it is a build of the current sources, else the TypeScript through tsx.
import { builtIsCurrent } from './sources.mjs';

// Compiled, Minga starts in about half the time and memory (tsx compiles every file and keeps a loader thread; see the
// README's Performance section). An edited source is never run stale: the sources themselves run until the next build.
if (builtIsCurrent()) {
  await import('../dist/adapters/main.js');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../adapters/main.ts');
}
