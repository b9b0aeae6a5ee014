// The `npm start` entry point: starts Minga with the adapters that have credentials, stops cleanly at end of input or on a signal.
import { existsSync } from 'node:fs';
import { DatabaseInUseError } from '../db/connection.js';
import { startMinga } from '../src/app.js';
import { ConfigError } from '../src/config.js';
import { errorText, scrub, secretsIn } from '../src/log.js';
import { ConsoleAdapter } from './console/console-adapter.js';
import { opsPort, opsWanted, startOpsServer, type OpsServer } from './ops-server.js';
import { selectAdapters } from './registry.js';

// Settings may sit in a .env file beside package.json; the environment wins over it.
if (existsSync('.env')) process.loadEnvFile('.env');

try {
  const minga = await startMinga(selectAdapters, process.env, process.stdout, async ({ config, adapters }) => {
    if (!opsWanted(config.PORT, adapters)) return undefined;
    // prom-client costs about a tenth of a second and a dozen MB: the console without PORT never loads it.
    const [{ createMetrics }, { opsRoutes }] = await Promise.all([import('./metrics.js'), import('./ops-routes.js')]);
    const metrics = createMetrics();
    return { observer: metrics.observer, routes: (status) => opsRoutes(status, metrics) };
  });
  // /healthz and /metrics on PORT: Slack's server serves them when it listens there, else a server of their own does.
  let server: OpsServer | undefined;
  const port = opsPort(minga.config.PORT, minga.adapters);
  if (port !== undefined) server = await startOpsServer(minga.routes, port, minga.log).catch(async (err: unknown) => {
    await minga.stop();
    throw err;
  });
  const shutdown = async () => {
    await server?.stop();
    await minga.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  // The console serves until its input ends; platform adapters serve until a signal.
  const consoleAdapter = minga.adapters.find((adapter) => adapter instanceof ConsoleAdapter);
  if (consoleAdapter) {
    void consoleAdapter.replied.then(() => minga.phase('first reply'));
    await consoleAdapter.finished;
    await shutdown();
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
