// A TCP port free a moment ago, for servers that must be told a port (a second PostgreSQL cluster, a process started with PORT, Bolt's Socket Mode server).
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
