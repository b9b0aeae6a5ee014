// Serves the operators' routes (/healthz, /metrics) on PORT: through Slack's own server when it listens there, else on a small node:http server of their own.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Adapter, OpsRoute } from '../src/adapter.js';
import type { Logger } from '../src/log.js';

/** The port platform adapters listen on when PORT is unset, as Slack's receiver does. */
export const DEFAULT_PORT = 3000;

/** Whether the routes are served at all: with any platform (on PORT, or 3000), and with the console alone only when PORT is set. */
export function opsWanted(port: number | undefined, adapters: Pick<Adapter, 'platform'>[]): boolean {
  return port !== undefined || adapters.some((adapter) => adapter.platform !== 'console');
}

/**
 * Where a server of their own must serve the routes, or undefined when none should: an adapter already serves them
 * (Slack over HTTP, or in Socket Mode, on PORT), or only the console runs and PORT is unset (`npm start` opens no port).
 */
export function opsPort(port: number | undefined, adapters: Pick<Adapter, 'platform' | 'servesRoutes'>[]): number | undefined {
  if (adapters.some((adapter) => adapter.servesRoutes)) return undefined;
  if (port !== undefined) return port;
  return adapters.some((adapter) => adapter.platform !== 'console') ? DEFAULT_PORT : undefined;
}

/** Answers a request with the route at its path (GET or HEAD); false when no route has that path, for the caller to answer. */
export async function serveRoute(routes: OpsRoute[], req: IncomingMessage, res: ServerResponse, log: Logger): Promise<boolean> {
  const path = new URL(req.url ?? '/', 'http://minga').pathname;
  const route = routes.find((candidate) => candidate.path === path);
  if (!route) return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return true;
  }
  try {
    const answer = await route.respond();
    res.writeHead(answer.status, { 'content-type': answer.contentType, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : answer.body);
  } catch (err) {
    log.error({ err, path }, 'operators route failed');
    if (!res.headersSent) res.writeHead(500);
    res.end();
  }
  return true;
}

export interface OpsServer {
  /** The port it listens on (the real one when asked for 0). */
  port: number;
  stop(): Promise<void>;
}

/** Starts a server for the routes alone on `port` (all interfaces unless `host`); resolves once it listens. */
export async function startOpsServer(routes: OpsRoute[], port: number, log: Logger, host?: string): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    void serveRoute(routes, req, res, log).then((served) => {
      if (!served) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
