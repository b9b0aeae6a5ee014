// The `npm start` entry point: starts Minga with the adapters that have credentials, stops cleanly at end of input or on a signal.
import { existsSync } from 'node:fs';
import { DatabaseInUseError } from '../db/connection.js';
import { startMinga, type Minga } from '../src/app.js';
import { ConfigError } from '../src/config.js';
import { errorText, scrub, secretsIn } from '../src/log.js';
import { faultHandlers, type FaultHandlers } from '../src/process-faults.js';
import { ConsoleAdapter } from './console/console-adapter.js';
import { opsPort, opsWanted, startOpsServer, type OpsServer } from './ops-server.js';
import { selectAdapters } from './registry.js';

/** A signal asks for an exit within 10 s: what is in flight gets most of that, then the process leaves anyway. */
const STOP_DEADLINE_MS = 9_000;

// Settings may sit in a .env file beside package.json; the environment wins over it.
if (existsSync('.env')) process.loadEnvFile('.env');

let minga: Minga | undefined;
let opsServer: OpsServer | undefined;
let stopping: Promise<void> | undefined;

// The last resort for failures nothing caught (see src/process-faults.ts): logged with context; a rejection never stops
// Minga, an uncaught exception other than the database driver's known races stops it cleanly with exit code 1.
let faults: FaultHandlers | undefined;
process.on('unhandledRejection', (reason) => {
  if (faults) faults.onRejection(reason);
  else report('error', { err: reason, kind: 'unhandledRejection' }, 'unhandled rejection');
});
process.on('uncaughtException', (err, origin) => {
  if (faults) return faults.onException(err, origin);
  report('fatal', { err, kind: origin }, 'uncaught exception while starting');
  process.exit(1);
});

// Listened for from the start: a signal while Minga starts stops it as soon as it is up (startMinga undoes a failed start).
let signalled: NodeJS.Signals | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    signalled = signal;
    if (minga) void shutdown(0, signal);
  });
}

try {
  minga = await startMinga(selectAdapters, process.env, process.stdout, async ({ config, adapters }) => {
    if (!opsWanted(config.PORT, adapters)) return undefined;
    // prom-client costs about a tenth of a second and a dozen MB: the console without PORT never loads it.
    const [{ createMetrics }, { opsRoutes }] = await Promise.all([import('./metrics.js'), import('./ops-routes.js')]);
    const metrics = createMetrics();
    return { observer: metrics.observer, routes: (status) => opsRoutes(status, metrics) };
  });
  // /healthz and /metrics on PORT: Slack's server serves them when it listens there, else a server of their own does.
  const port = opsPort(minga.config.PORT, minga.adapters);
  if (port !== undefined) opsServer = await startOpsServer(minga.routes, port, minga.log);
  if (signalled) await shutdown(0, signalled);
  faults = faultHandlers(minga.log, () => void shutdown(1));
  // The console serves until its input ends; platform adapters serve until a signal.
  const consoleAdapter = minga.adapters.find((adapter) => adapter instanceof ConsoleAdapter);
  if (consoleAdapter) {
    void consoleAdapter.replied.then(() => minga?.phase('first reply'));
    await consoleAdapter.finished;
    await shutdown(0);
  }
} catch (err) {
  // Written beside the log, and as careful: no query values, no credential.
  const secrets = secretsIn(process.env);
  if (err instanceof ConfigError || err instanceof DatabaseInUseError) {
    process.stderr.write(`${scrub(err.message, secrets)}\n`);
  } else {
    process.stderr.write(`Minga could not start: ${errorText(err, secrets)}\n`);
  }
  process.exit(1);
}


/** Stops once (a second signal or an exception while stopping joins the first), within the deadline whatever happens. */
function shutdown(code: number, signal?: NodeJS.Signals): Promise<void> {
  stopping ??= (async () => {
    const started = performance.now();
    if (signal) minga?.log.info({ signal }, 'stopping: no new jobs, finishing what is in flight');
    const deadline = setTimeout(() => {
      report('error', { deadlineMs: STOP_DEADLINE_MS }, 'stop took too long; exiting with work unfinished');
      process.exit(1);
    }, STOP_DEADLINE_MS);
    deadline.unref();
    try {
      await opsServer?.stop();
      await minga?.stop();
      // Said for a signal, where an operator or a supervisor waits for it; a console session just ends.
      if (signal) minga?.log.info({ signal, ms: Math.round(performance.now() - started) }, 'stopped cleanly');
    } catch (err) {
      report('error', { err }, 'stop failed');
      code = code || 1;
    }
    process.exit(code);
  })();
  return stopping;
}

/** To the log once started; before that (or if the log itself fails), a scrubbed line on stderr. */
function report(level: 'error' | 'fatal', fields: Record<string, unknown>, message: string): void {
  try {
    if (minga) {
      minga.log[level](fields, message);
      return;
    }
  } catch {
    // Fall through to stderr.
  }
  process.stderr.write(`${message}: ${errorText(fields.err, secretsIn(process.env))}\n`);
}
