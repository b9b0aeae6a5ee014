// Socket Mode at the wire: the adapter connects out to a fake Slack WebSocket, acks a slash command's envelope and answers on its response_url.
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackAdapter } from '../../adapters/slack/slack-adapter.js';
import { tasks } from '../../db/schema.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack-api.js';
import { startFakeSocketMode, type FakeSocketMode } from '../fakes/slack-socket.js';
import { slashCommandBody } from '../fakes/slack-requests.js';
import { createTestCore } from '../support/core.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { BOT_TOKEN, blockTexts, PEOPLE, TEAM } from '../support/slack.js';

describe('Slack adapter in Socket Mode', () => {
  let database: TestDatabase;
  let socket: FakeSocketMode;
  let fake: FakeSlack;
  let adapter: SlackAdapter;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    socket = await startFakeSocketMode();
    fake = await startFakeSlack({ teamId: TEAM, users: Object.values(PEOPLE), socketModeUrl: socket.url });
    // No signing secret and no port: Socket Mode needs neither.
    adapter = new SlackAdapter({
      env: { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_APP_TOKEN: 'xapp-1-A0MINGA-1-secret', SLACK_API_URL: fake.url },
      database,
      log: pino({ level: 'silent' }),
      locale: 'es',
    });
    await adapter.start(createTestCore(database.db));
    await socket.connected();
  });
  afterAll(async () => {
    await adapter?.stop();
    await socket?.close();
    await fake?.close();
    await database?.close();
  });

  it('GIVEN the app token THEN the adapter opens the connection with it and describes itself as Socket Mode', () => {
    expect(adapter.description).toBe('Slack (modo Socket)');
    expect(fake.callsTo('apps.connections.open')[0]?.token).toBe('xapp-1-A0MINGA-1-secret');
  });

  it('GIVEN a slash command envelope THEN it is acked on the socket with the answer in the ack, and the task stored', async () => {
    const form = new URLSearchParams(
      slashCommandBody({ text: 'task add Rent the hall', teamId: TEAM, userId: PEOPLE.ana.id, responseUrl: fake.responseUrl('socket-1') }),
    );
    const envelope = socket.send('slash_commands', Object.fromEntries(form));
    const ack = await socket.waitForAck(envelope);
    expect(ack.envelope_id).toBe(envelope);
    const answer = ack.payload as Record<string, unknown>;
    expect(answer.response_type).toBe('in_channel');
    expect(blockTexts(answer)[0]).toBe('Task #1 added: Rent the hall');
    expect(await database.db.select({ title: tasks.title }).from(tasks).where(eq(tasks.number, 1))).toEqual([{ title: 'Rent the hall' }]);
  });
});
