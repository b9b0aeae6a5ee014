// A Minga instance in a child process for crash tests: told a database, the crash platform and a time, it runs one tick of every job handler there, and is killed with SIGKILL by the test while the jobs run.
import { openPostgres } from '../../db/connection.js';
import { crashScheduler } from './crash-instances.js';

export interface CrashWorkerCommand {
  url: string;
  platform: string;
  /** The instance's clock, fixed (ms since the epoch). */
  now: number;
}

process.on('message', (command: CrashWorkerCommand) => {
  void (async () => {
    const database = await openPostgres(command.url, 8);
    const scheduler = crashScheduler(database.db, command.platform, new Date(command.now));
    process.send!({ kind: 'ticking' });
    await scheduler.tick();
    process.send!({ kind: 'ticked' });
  })().catch((err: unknown) => process.send!({ kind: 'failed', message: String(err) }));
});
