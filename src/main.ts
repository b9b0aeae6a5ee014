// The `npm start` entry point: starts Minga, stops cleanly at end of input or on a signal, and reports start-up problems plainly.
import { startMinga } from './app.js';
import { ConfigError } from './config.js';
import { DatabaseInUseError } from '../db/connection.js';
import { existsSync } from 'node:fs';

// Settings may sit in a .env file beside package.json; the environment wins over it.
if (existsSync('.env')) process.loadEnvFile('.env');

try {
  const minga = await startMinga();
  const shutdown = async () => {
    await minga.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  await minga.done;
  await shutdown();
} catch (err) {
  if (err instanceof ConfigError || err instanceof DatabaseInUseError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    process.stderr.write(`Minga could not start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
}
