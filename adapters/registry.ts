// Picks the adapters to run from the credentials present: each platform whose variables are set, else the console workspace.
import type { Adapter } from '../src/adapter.js';
import type { AdapterFactory } from '../src/app.js';
import { ConsoleAdapter } from './console/console-adapter.js';

export const selectAdapters: AdapterFactory = ({ env, config }) => {
  const adapters: Adapter[] = [];
  // Platform adapters register here, each when its credentials are set.
  if (adapters.length === 0) {
    adapters.push(new ConsoleAdapter({ user: config.MINGA_USER, locale: config.MINGA_LOCALE, platformLocale: env.LANG }));
  }
  return adapters;
};
