// Boots Minga: configuration, database and migrations, the core, and the adapters it is given.
import { migrateDatabase, openDatabase, type Database } from '../db/connection.js';
import type { Adapter } from './adapter.js';
import { loadConfig, type Config } from './config.js';
import { createCore, type Core } from './handler.js';
import { t } from './i18n/index.js';
import { createLogger, secretsIn, type Logger } from './log.js';
import { createDelivery } from './delivery.js';
import { InFlight } from './in-flight.js';
import { digestJobHandlers } from './digest-jobs.js';
import { upgradeLegacyBallots } from './legacy-ballots.js';
import { pollJobHandlers } from './poll-jobs.js';
import { reminderJobHandlers } from './reminder-jobs.js';
import { createScheduler } from './scheduler/scheduler.js';
import { loadSecret } from './secrets.js';
import { readWhen } from './time/read.js';

export interface Minga {
  config: Config;
  database: Database;
  core: Core;
  adapters: Adapter[];
  log: Logger;
  stop(): Promise<void>;
}

/**
 * Chooses the adapters to run from the environment; lives outside src/ so the core never imports platform code.
 * `secret` is the deployment secret (see secrets.ts), for adapters that keep credentials in the database.
 */
export type AdapterFactory = (context: { env: NodeJS.ProcessEnv; config: Config; database: Database; log: Logger; secret: string | undefined }) => Adapter[];

export async function startMinga(
  selectAdapters: AdapterFactory,
  env: NodeJS.ProcessEnv = process.env,
  out: NodeJS.WritableStream = process.stdout,
): Promise<Minga> {
  const config = loadConfig(env);
  // Every credential in the environment is blanked wherever it might turn up in a log line; a generated secret joins below.
  const secrets = secretsIn(env);
  const log = createLogger({ level: config.LOG_LEVEL, secrets });
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.MINGA_DATA_DIR });
  let adapters: Adapter[] = [];
  let secret: string | undefined;
  try {
    // Read after the database is open: with the embedded one, its data directory is then ours alone.
    secret = loadSecret({ secret: config.MINGA_SECRET, databaseUrl: config.DATABASE_URL, dataDir: config.MINGA_DATA_DIR });
    if (secret) secrets.add(secret);
    await migrateDatabase(database, config.DATABASE_URL);
    await upgradeLegacyBallots(database.db, secret, log);
    // Adapters check their own credentials here, so a bad token stops start-up before anything listens.
    adapters = selectAdapters({ env, config, database, log, secret });
  } catch (err) {
    await database.close();
    throw err;
  }
  const defaults = { locale: config.MINGA_LOCALE, timeZone: config.MINGA_TIME_ZONE };
  const delivery = createDelivery(() => adapters);
  const now = () => new Date();
  const scheduler = createScheduler({
    db: database.db,
    log,
    concurrency: config.MINGA_JOB_CONCURRENCY,
    handlers: {
      ...pollJobHandlers({ db: database.db, delivery, defaults, log, now, secret }),
      ...reminderJobHandlers({ db: database.db, delivery, defaults, log, now }),
      ...digestJobHandlers({ db: database.db, delivery, defaults, log, now }),
    },
  });
  const inFlight = new InFlight();
  const core = inFlight.track(
    createCore({ db: database.db, defaults, log, kick: (keys) => scheduler.kick(keys), secret, canPost: (conversation) => delivery.canPost(conversation) }),
  );
  warmUpTimeReader();

  out.write(
    `${t(config.MINGA_LOCALE, 'start.line', {
      database: database.description,
      adapters: adapters.map((adapter) => adapter.description).join(', '),
    })}\n`,
  );
  const started: Adapter[] = [];
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      // No new jobs; those running finish. Then the commands being answered finish while their platform is still
      // connected to carry the answer (Discord's replies need the client that stop() destroys).
      await scheduler.stop();
      await inFlight.current();
      // Deliver what is already due (a poll just posted in a piped console session) before leaving.
      await scheduler.drain().catch((err) => log.error({ err }, 'final delivery failed'));
      for (const adapter of started.reverse()) await adapter.stop().catch((err) => log.error({ err }, 'adapter stop failed'));
      // A command that came in while the adapters were stopping.
      await inFlight.settled();
      await database.close();
    })());
  try {
    for (const adapter of adapters) {
      await adapter.start(core);
      started.push(adapter);
    }
    scheduler.start();
  } catch (err) {
    await stop();
    throw err;
  }
  return { config, database, core, adapters, log, stop };
}

/**
 * V8 compiles a regex on its first run and again, to machine code, on a later one; chrono-node has hundreds. Cold, the
 * first two or three dates read cost 0.4 to 0.8 s in all (one command alone up to 0.5 s, measured on a busy 2-core
 * machine), then about 1 ms each. Two readings that go through both languages' parsers pay that here, before anyone waits.
 */
function warmUpTimeReader(): void {
  for (let i = 0; i < 2; i++) readWhen('the day after the assembly, at noon', { now: new Date(), timeZone: 'UTC', locale: 'en' });
}
