// A platform API for benchmarks: a local HTTP server answering every call after a delay, recording when each recipient's message was accepted; and the call an adapter's sender makes to it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakePlatform {
  url: string;
  /** When each recipient's messages were accepted (ms since the epoch), by recipient. */
  accepted: Map<string, number[]>;
  /** How many of the expected recipients have a message. */
  reached(expected: Iterable<string>): number;
  close(): Promise<void>;
}

/**
 * Answers every call after `delayMs`, as a platform API on a good day. Calls to `path` are recorded by the recipient
 * `recipientOf` reads in their JSON body (a member for reminders, a channel for digests).
 */
export async function startFakePlatform(delayMs: number, path: string, recipientOf: (body: Record<string, unknown>) => string): Promise<FakePlatform> {
  const accepted = new Map<string, number[]>();
  let refs = 0;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      setTimeout(() => {
        if (request.url === path) {
          const recipient = recipientOf(JSON.parse(body) as Record<string, unknown>);
          const times = accepted.get(recipient) ?? [];
          times.push(Date.now());
          accepted.set(recipient, times);
        }
        response.end(String(++refs));
      }, delayMs);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    accepted,
    reached: (expected) => [...expected].filter((recipient) => accepted.has(recipient)).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One call to the fake platform, as an adapter's sender makes one: a POST answered after its delay. */
export async function callPlatform(platform: string, path: string, body: unknown): Promise<string> {
  const response = await fetch(`${platform}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`fake platform answered ${response.status}`);
  return response.text();
}
