// A platform over local HTTP for crash tests: it records every post and direct message, and accepts it or not, answering or never answering, as the test sets; and the Delivery that calls it from any process.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Delivery } from '../../src/delivery.js';
import { replyTexts } from '../../src/reply.js';

/**
 * How the platform treats a post or a direct message (edits are always accepted and answered: repeating one is harmless):
 * - `hang`: received, never accepted (nothing shows), never answered: the caller dies before the platform accepted it;
 * - `acceptAndHang`: accepted (it shows) but never answered: the caller dies after the platform accepted it, before it knew;
 * - `answer`: accepted and answered at once.
 */
export type PlatformMode = 'hang' | 'acceptAndHang' | 'answer';

export interface CallSeen {
  path: string;
  /** Where it went: the conversation of a post, `dm:<user>` for a direct message. */
  to: string;
  text: string;
  accepted: boolean;
}

export interface CrashPlatform {
  url: string;
  mode: PlatformMode;
  calls: CallSeen[];
  /** How many posts and direct messages to `to` the platform accepted: what the people there saw. */
  shown(to: string): number;
  close(): Promise<void>;
}

export async function startCrashPlatform(): Promise<CrashPlatform> {
  const held: ServerResponse[] = [];
  let refs = 0;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const call = JSON.parse(body) as { to: string; text: string };
      if (request.url === '/edit') {
        response.end('');
        return;
      }
      const accepted = platform.mode !== 'hang';
      platform.calls.push({ path: request.url ?? '', to: call.to, text: call.text, accepted });
      if (platform.mode === 'answer') response.end(`ref${++refs}`);
      else held.push(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const platform: CrashPlatform = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    mode: 'answer',
    calls: [],
    shown: (to) => platform.calls.filter((call) => call.to === to && call.accepted).length,
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of held) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return platform;
}

/** A Delivery whose every call is a request to the crash platform at `url`. */
export function crashDelivery(url: string): Delivery {
  const call = async (path: string, to: string, text: string) => {
    const response = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to, text }) });
    if (!response.ok) throw new Error(`crash platform answered ${response.status}`);
    return response.text();
  };
  return {
    post: (conversation, reply) => call('/post', conversation, replyTexts(reply).join('\n')),
    edit: async (conversation, ref, reply) => void (await call('/edit', conversation, replyTexts(reply).join('\n'))),
    sendDirect: (_platform, _workspaceId, userId, reply) => call('/dm', `dm:${userId}`, replyTexts(reply).join('\n')),
    canPost: async () => true,
  };
}
