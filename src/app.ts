// Boots Minga: configuration, database and migrations, the core, and the adapters it is given.
import { migrateDatabase, openDatabase, type Database } from '../db/connection.js';
import type { Adapter, OpsRoute } from './adapter.js';
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
import { checkHealth, type HealthReport } from './health.js';
import type { Observer } from './observe.js';
import { createScheduler, type SchedulerLag } from './scheduler/scheduler.js';
import { loadSecret } from './secrets.js';
import { readWhen } from './time/read.js';

export interface Minga {
  config: Config;
  database: Database;
  core: Core;
  adapters: Adapter[];
  log: Logger;
  /** The operators' routes (health, metrics), served by an adapter that listens on PORT, else by a server of their own. */
  routes: OpsRoute[];
  health(): Promise<HealthReport>;
  /** Logs a start-up step's duration under LOG_LEVEL=debug (the entry point adds the first reply). */
  phase: PhaseTimer;
  stop(): Promise<void>;
}

/** How a running Minga is doing, for the operators' routes. */
export interface MingaStatus {
  health(): Promise<HealthReport>;
  schedulerLag(): Promise<SchedulerLag>;
}

/** What operators see: hooks that count the work, and the routes built on the status (outside src/: HTTP and metrics). */
export interface OpsOptions {
  observer?: Observer;
  routes?: (status: MingaStatus) => OpsRoute[];
}

/** Decides, once the adapters are chosen, whether operators get anything (the console alone may not): undefined for nothing. */
export type OpsFactory = (context: { config: Config; adapters: Adapter[] }) => Promise<OpsOptions | undefined>;

/**
 * Chooses the adapters to run from the environment; lives outside src/ so the core never imports platform code.
 * `secret` is the deployment secret (see secrets.ts), for adapters that keep credentials in the database.
 */
export type AdapterFactory = (context: { env: NodeJS.ProcessEnv; config: Config; database: Database; log: Logger; secret: string | undefined }) => Adapter[] | Promise<Adapter[]>;

export async function startMinga(
  selectAdapters: AdapterFactory,
  env: NodeJS.ProcessEnv = process.env,
  out: NodeJS.WritableStream = process.stdout,
  opsFactory?: OpsFactory,
): Promise<Minga> {
  const config = loadConfig(env);
  // Every credential in the environment is blanked wherever it might turn up in a log line; a generated secret joins below.
  const secrets = secretsIn(env);
  const log = createLogger({ level: config.LOG_LEVEL, secrets });
  const phase = phaseTimer(log);
  phase('imports');
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.MINGA_DATA_DIR, prepare: config.DATABASE_PREPARE });
  phase('database open');
  let adapters: Adapter[] = [];
  let secret: string | undefined;
  let ops: OpsOptions = {};
  try {
    // Read after the database is open: with the embedded one, its data directory is then ours alone.
    secret = loadSecret({ secret: config.MINGA_SECRET, databaseUrl: config.DATABASE_URL, dataDir: config.MINGA_DATA_DIR });
    if (secret) secrets.add(secret);
    await migrateDatabase(database, config.DATABASE_URL);
    phase('migrations');
    await upgradeLegacyBallots(database.db, secret, log);
    phase('legacy ballots');
    // Adapters check their own credentials here, so a bad token stops start-up before anything listens.
    adapters = await selectAdapters({ env, config, database, log, secret });
    phase('adapters chosen');
    ops = (await opsFactory?.({ config, adapters })) ?? {};
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
    ...(ops.observer && { observer: ops.observer }),
    handlers: {
      ...pollJobHandlers({ db: database.db, delivery, defaults, log, now, secret }),
      ...reminderJobHandlers({ db: database.db, delivery, defaults, log, now }),
      ...digestJobHandlers({ db: database.db, delivery, defaults, log, now }),
    },
  });
  const inFlight = new InFlight();
  const core = inFlight.track(
    createCore({ db: database.db, defaults, log, kick: (keys) => scheduler.kick(keys), secret, canPost: (conversation) => delivery.canPost(conversation), ...(ops.observer && { observer: ops.observer }) }),
  );

  out.write(
    `${t(config.MINGA_LOCALE, 'start.line', {
      database: database.description,
      adapters: adapters.map((adapter) => adapter.description).join(', '),
    })}\n`,
  );
  const started: Adapter[] = [];
  const health = () => checkHealth({ db: database.db, adapters: () => started, scheduler });
  const routes = ops.routes?.({ health, schedulerLag: () => scheduler.lag() }) ?? [];
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      phase.restart();
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
      phase('stop');
    })());
  try {
    for (const adapter of adapters) {
      await adapter.start(core, { routes, ...(ops.observer && { observer: ops.observer }) });
      started.push(adapter);
    }
    scheduler.start();
  } catch (err) {
    await stop();
    throw err;
  }
  phase('adapters started');
  // Off the start-up path: a person takes longer than this to type a first command, and a piped `help` never needs dates.
  setTimeout(warmUpTimeReader, WARM_UP_DELAY_MS).unref();
  return { config, database, core, adapters, log, routes, health, phase, stop };
}

export interface PhaseTimer {
  (name: string): void;
  /** Counts the next step from now (the start of shutdown) rather than from the step before. */
  restart(): void;
}

/**
 * Logs, under LOG_LEVEL=debug, how long each step took since the one before it. The first step counts from the
 * process's start, so it covers loading the code.
 */
export function phaseTimer(log: Logger): PhaseTimer {
  let last = 0;
  const phase = (name: string) => {
    const now = performance.now();
    const ms = Math.round(now - last);
    log.debug({ phase: name, ms }, `${name} in ${ms} ms`);
    last = now;
  };
  return Object.assign(phase, { restart: () => void (last = performance.now()) });
}

const WARM_UP_DELAY_MS = 1000;

/**
 * V8 compiles a regex on its first run and again, to machine code, on a later one; chrono-node has hundreds. Cold, the
 * first two or three dates read cost 0.4 to 0.8 s in all (one command alone up to 0.5 s, measured on a busy 2-core
 * machine), then about 1 ms each. Two readings that go through both languages' parsers pay that here, soon after start-up
 * rather than during it (it took 0.2 to 0.8 s of a cold console's first reply).
 */
function warmUpTimeReader(): void {
  for (let i = 0; i < 2; i++) readWhen('the day after the assembly, at noon', { now: new Date(), timeZone: 'UTC', locale: 'en' });
}
