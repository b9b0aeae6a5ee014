// A PostgreSQL cluster of a test's own (initdb and pg_ctl on a temporary directory and a free port), to stop and start at will; never the machine's main server.
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports.js';

const run = promisify(execFile);

export interface PgCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server if it runs and deletes its directory. */
  destroy(): Promise<void>;
}

/** The directory holding initdb and pg_ctl (the newest installed version), or why there is none. */
export function findPgBin(): { bin: string } | { missing: string } {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const bin = join(root, version, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return { bin };
  }
  return { missing: `no initdb and pg_ctl under ${root}/*/bin` };
}


/**
 * PostgreSQL refuses to run as root: then the cluster runs as the `postgres` system user, which owns its directory.
 * Trust authentication on 127.0.0.1 only, and its socket in its own directory, so nothing else on the machine is touched.
 */
export async function createPgCluster(bin: string): Promise<PgCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'minga-pgcluster-'));
  const data = join(dir, 'data');
  const asUser = process.getuid?.() === 0 ? await postgresUser() : undefined;
  if (asUser) chownSync(dir, asUser.uid, asUser.gid);
  const exec = (file: string, args: string[]) => run(join(bin, file), args, { ...(asUser && { uid: asUser.uid, gid: asUser.gid }), cwd: dir, env: { ...process.env, LC_ALL: 'C' } });
  const port = await freePort();
  await exec('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = async () => void (await exec('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', '-t', '30', 'start']));
  // Fast: sessions are cut at once, as in a restart by an operator or a managed service's failover.
  const stop = async () => void (await exec('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']));
  await start();
  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: async () => {
      await start();
      running = true;
    },
    stop: async () => {
      await stop();
      running = false;
    },
    destroy: async () => {
      if (running) await stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}
