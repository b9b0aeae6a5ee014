// Local fake of Slack's Socket Mode WebSocket: says hello, sends envelopes as Slack does, and records the app's acks.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export interface FakeSocketMode {
  /** What `apps.connections.open` should return as `url` (pass it to startFakeSlack's `socketModeUrl`). */
  url: string;
  /** Resolves when an app has connected and been greeted. */
  connected(): Promise<void>;
  /** Sends an envelope (`slash_commands`, `interactive`, `events_api`) with this payload; returns its envelope id. */
  send(type: string, payload: Record<string, unknown>): string;
  acks: SocketAck[];
  waitForAck(envelopeId: string, timeoutMs?: number): Promise<SocketAck>;
  close(): Promise<void>;
}

export async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server });
  const acks: SocketAck[] = [];
  let socket: WebSocket | undefined;
  let greeted: () => void = () => {};
  const greeting = new Promise<void>((resolve) => (greeted = resolve));
  let counter = 0;

  wss.on('connection', (connection) => {
    socket = connection;
    connection.on('message', (data) => acks.push(JSON.parse(String(data)) as SocketAck));
    connection.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake', approximate_connection_time: 3600 } }));
    greeted();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `ws://127.0.0.1:${port}/link`,
    connected: () => greeting,
    send(type, payload) {
      if (!socket) throw new Error('no app connected');
      counter += 1;
      const envelopeId = `env-${counter}`;
      socket.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api' }));
      return envelopeId;
    },
    acks,
    async waitForAck(envelopeId, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const ack = acks.find((candidate) => candidate.envelope_id === envelopeId);
        if (ack) return ack;
        if (Date.now() > deadline) throw new Error(`no ack of ${envelopeId} within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
