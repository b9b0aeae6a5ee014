// Boots Minga: configuration, database and migrations, the core, and the adapters that have credentials.
import { ConsoleAdapter } from '../adapters/console/console-adapter.js';
import { migrateDatabase, openDatabase, type Database } from '../db/connection.js';
import type { Adapter } from './adapter.js';
import { loadConfig, type Config } from './config.js';
import { createCore, type Core } from './handler.js';
import { t } from './i18n/index.js';
import { createLogger, type Logger } from './log.js';

export interface Minga {
  config: Config;
  database: Database;
  core: Core;
  adapters: Adapter[];
  log: Logger;
  /** Resolves when Minga has nothing left to serve (the console's input ended). */
  done: Promise<void>;
  stop(): Promise<void>;
}

export async function startMinga(env: NodeJS.ProcessEnv = process.env, out: NodeJS.WritableStream = process.stdout): Promise<Minga> {
  const config = loadConfig(env);
  const log = createLogger(config.LOG_LEVEL);
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.MINGA_DATA_DIR });
  try {
    await migrateDatabase(database, config.DATABASE_URL);
  } catch (err) {
    await database.close();
    throw err;
  }
  const core = createCore({ db: database.db, defaults: { locale: config.MINGA_LOCALE, timeZone: config.MINGA_TIME_ZONE }, log });

  const consoleAdapter = new ConsoleAdapter({ user: config.MINGA_USER, locale: config.MINGA_LOCALE, platformLocale: env.LANG });
  const adapters: Adapter[] = [consoleAdapter];
  out.write(
    `${t(config.MINGA_LOCALE, 'start.line', {
      database: database.description,
      adapters: adapters.map((adapter) => adapter.description).join(', '),
    })}\n`,
  );
  for (const adapter of adapters) await adapter.start(core);

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      for (const adapter of adapters) await adapter.stop().catch((err) => log.error({ err }, 'adapter stop failed'));
      await database.close();
    })());
  return { config, database, core, adapters, log, done: consoleAdapter.finished, stop };
}
