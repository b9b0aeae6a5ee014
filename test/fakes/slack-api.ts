// Local fake of Slack's Web API (plus response_url endpoints) on node:http, so wire-level tests can run a real Bolt app offline.
import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One Web API call as the fake received it. Failed and retried attempts are recorded too. */
export interface RecordedCall {
  method: string;
  body: Record<string, unknown>;
  token?: string;
  /** Set when this call was answered with a failure injected by `failNext`. */
  injected?: InjectedFailure;
}

/** One POST to a response_url handed out by `responseUrl()`. */
export interface RecordedResponse {
  id: string;
  body: Record<string, unknown>;
}

/** A file uploaded as `files.uploadV2` does it: an upload URL asked for, the bytes POSTed there, the upload completed into a channel. */
export interface UploadedFile {
  id: string;
  filename: string;
  title?: string;
  /** Where completeUploadExternal shared it; undefined when it was completed without a channel (private to the uploader). */
  channel?: string;
  initialComment?: string;
  /** The bytes POSTed to the upload URL, as UTF-8 text. */
  content: string;
}

/** A user as `users.info` knows it. Only `id` and `name` are required; the rest get realistic defaults. */
export interface FakeUser {
  id: string;
  name: string;
  team_id?: string;
  real_name?: string;
  tz?: string;
  tz_offset?: number;
  locale?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  is_bot?: boolean;
  deleted?: boolean;
}

/** A failure to inject: an HTTP 429 with a Retry-After header, a server error (5xx, as when Slack has an incident), or a 200 with `ok:false`. */
export type InjectedFailure = { status: 429; retryAfter: number } | { status: 500 | 502 | 503 } | { error: string };

export interface FakeSlackOptions {
  teamId?: string;
  teamName?: string;
  teamDomain?: string;
  botUserId?: string;
  botId?: string;
  appId?: string;
  users?: FakeUser[];
  /** The WebSocket URL `apps.connections.open` hands out (see slack-socket.ts); unset, Socket Mode is refused. */
  socketModeUrl?: string;
  /**
   * The channels Minga is a member of. Unset: every channel (posts anywhere succeed). Set: `conversations.info` answers
   * `is_member` from it, and chat.postMessage to a channel outside it fails with not_in_channel, as Slack's does.
   */
  memberOf?: string[];
}

export interface FakeSlack {
  /** Base URL for `clientOptions.slackApiUrl` / `new WebClient(token, { slackApiUrl })`, ends with `/api/`. */
  url: string;
  /** Server root, e.g. `http://127.0.0.1:PORT`. */
  origin: string;
  calls: RecordedCall[];
  responses: RecordedResponse[];
  /** Emits 'call' (RecordedCall) and 'response' (RecordedResponse) as they arrive, for benchmarks that cannot poll. */
  events: EventEmitter;
  callsTo(method: string): RecordedCall[];
  addUser(user: FakeUser): void;
  /** Make the next `times` calls of `method` fail (they are still recorded). */
  failNext(method: string, failure: InjectedFailure, times?: number): void;
  /** A response_url on this fake; POSTs to it land in `responses` with this id. */
  responseUrl(id?: string): string;
  /** The DM channel id `conversations.open` (and chat.postMessage to a user id) returns for a user. */
  dmChannelFor(userId: string): string;
  /** Files whose upload was completed (files.completeUploadExternal), in order. */
  uploadedFiles(): UploadedFile[];
  /** Minga joins (`true`) or leaves a channel: `conversations.info` and posts there answer accordingly from then on. */
  setMember(channelId: string, member: boolean): void;
  /** The channel is archived: `conversations.info` says so, and posts there fail with is_archived. */
  archive(channelId: string): void;
  /** The channel is deleted: `conversations.info` and posts there fail with channel_not_found. */
  removeChannel(channelId: string): void;
  /** Polls every ~10 ms until `find()` returns something truthy, and resolves with it. */
  waitFor<T>(find: () => T | undefined | null | false, timeoutMs?: number, what?: string): Promise<T>;
  /** Waits for a recorded call of `method` matching `match` (any call of it if omitted). */
  waitForCall(method: string, match?: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /** Waits for a recorded response_url POST matching `match` (any if omitted). */
  waitForResponse(match?: (response: RecordedResponse) => boolean, timeoutMs?: number): Promise<RecordedResponse>;
  close(): Promise<void>;
}

type Answer = Record<string, unknown>;

// Web API clients send form fields and JSON-stringify nested values (blocks, view, attachments...).
// Decode those back into objects so tests can assert on structure. `text` is left alone because a
// message text such as "[1, 2]" is plain text, not JSON.
function decodeFormValue(key: string, value: string): unknown {
  if (key === 'text') return value;
  const first = value.trimStart()[0];
  if (first !== '{' && first !== '[') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType.includes('application/json')) {
    const parsed = JSON.parse(raw) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : { value: parsed };
  }
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) body[key] = decodeFormValue(key, value);
  return body;
}

async function readRaw(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(payload));
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const teamId = options.teamId ?? 'T0MINGA';
  const teamName = options.teamName ?? 'Minga Test';
  const teamDomain = options.teamDomain ?? 'minga-test';
  const botUserId = options.botUserId ?? 'U0MINGABOT';
  const botId = options.botId ?? 'B0MINGABOT';
  const appId = options.appId ?? 'A0MINGA';

  const calls: RecordedCall[] = [];
  const events = new EventEmitter();
  const responses: RecordedResponse[] = [];
  const users = new Map<string, FakeUser>();
  const failures = new Map<string, InjectedFailure[]>();
  // Membership: everywhere unless `memberOf` is given; `setMember` adds exceptions either way.
  const joined = new Set(options.memberOf ?? []);
  const left = new Set<string>();
  const archived = new Set<string>();
  const removed = new Set<string>();
  const isMember = (channel: string) => !left.has(channel) && (options.memberOf === undefined || joined.has(channel));
  let tsCounter = 0;
  let viewCounter = 0;
  let fileCounter = 0;
  /** Upload URLs handed out, by file id, and what was POSTed to each. */
  const pendingFiles = new Map<string, { filename: string; length: number; content?: string }>();
  const uploadedFiles: UploadedFile[] = [];
  let responseCounter = 0;

  // Real message timestamps are "seconds.microseconds" strings that only grow; tests rely on ordering.
  function nextTs(): string {
    tsCounter += 1;
    const micros = tsCounter * 100;
    const seconds = 1_700_000_000 + Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  function dmChannelFor(userId: string): string {
    return `D${userId.replace(/^[UW]/, '')}`;
  }

  // Slack accepts a user id as chat.postMessage channel and posts into the DM with that user.
  function resolveChannel(channel: string): string {
    return /^[UW]/.test(channel) ? dmChannelFor(channel) : channel;
  }

  function userInfo(user: FakeUser, includeLocale: boolean): Answer {
    const realName = user.real_name ?? user.name;
    const info: Answer = {
      id: user.id,
      team_id: user.team_id ?? teamId,
      name: user.name,
      deleted: user.deleted ?? false,
      real_name: realName,
      tz: user.tz ?? 'Europe/Berlin',
      tz_label: 'Local Time',
      tz_offset: user.tz_offset ?? 3600,
      profile: { real_name: realName, display_name: user.name, team: user.team_id ?? teamId },
      is_admin: user.is_admin ?? false,
      is_owner: user.is_owner ?? false,
      is_bot: user.is_bot ?? false,
      is_app_user: false,
    };
    // Like the real API, locale is only present when asked for with include_locale=true.
    if (includeLocale) info.locale = user.locale ?? 'en-US';
    return info;
  }

  function buildView(view: Record<string, unknown>, id?: string): Answer {
    viewCounter += 1;
    const viewId = id ?? `V${String(viewCounter).padStart(8, '0')}`;
    return {
      id: viewId,
      team_id: teamId,
      type: view.type ?? 'modal',
      title: view.title,
      submit: view.submit ?? null,
      close: view.close ?? null,
      blocks: view.blocks ?? [],
      private_metadata: view.private_metadata ?? '',
      callback_id: view.callback_id ?? '',
      external_id: view.external_id ?? '',
      state: { values: {} },
      hash: `${Date.now()}.hash${viewCounter}`,
      clear_on_close: false,
      notify_on_close: false,
      root_view_id: viewId,
      previous_view_id: null,
      app_id: appId,
      app_installed_team_id: teamId,
      bot_id: botId,
    };
  }

  function botMessage(body: Record<string, unknown>, ts: string): Answer {
    return {
      type: 'message',
      user: botUserId,
      bot_id: botId,
      app_id: appId,
      team: teamId,
      text: body.text ?? '',
      ts,
      ...(body.blocks !== undefined ? { blocks: body.blocks } : {}),
      ...(body.thread_ts !== undefined ? { thread_ts: body.thread_ts } : {}),
    };
  }

  // Each handler returns the answer without `ok`; `ok: true` is added unless an `error` is present.
  const handlers: Record<string, (body: Record<string, unknown>) => Answer> = {
    // The OAuth install flow's code exchange: any code installs the bot in `code-<team id>`'s team, else the fake's own.
    'oauth.v2.access': (body) => {
      const code = str(body.code);
      if (!code) return { error: 'invalid_code' };
      const team = /^code-(T\w+)$/.exec(code)?.[1] ?? teamId;
      return {
        app_id: appId,
        authed_user: { id: 'U0INSTALLER' },
        scope: str(body.scope) ?? 'commands,chat:write,im:write,users:read,channels:read,groups:read,files:write',
        token_type: 'bot',
        access_token: `xoxb-installed-${team}`,
        bot_user_id: botUserId,
        team: { id: team, name: `${teamName} ${team}` },
        enterprise: null,
        is_enterprise_install: false,
      };
    },
    'apps.connections.open': () => (options.socketModeUrl ? { url: options.socketModeUrl } : { error: 'not_allowed_token_type' }),
    'auth.test': () => ({
      url: `https://${teamDomain}.slack.com/`,
      team: teamName,
      user: 'minga',
      team_id: teamId,
      user_id: botUserId,
      bot_id: botId,
      is_enterprise_install: false,
    }),
    'chat.postMessage': (body) => {
      const channel = str(body.channel);
      if (!channel || removed.has(channel)) return { error: 'channel_not_found' };
      if (archived.has(channel)) return { error: 'is_archived' };
      // Direct messages (a user id, a D… channel) are Minga's own; only channels have members.
      if (/^[CG]/.test(channel) && !isMember(channel)) return { error: 'not_in_channel' };
      if (body.text === undefined && body.blocks === undefined && body.attachments === undefined) return { error: 'no_text' };
      const ts = nextTs();
      return { channel: resolveChannel(channel), ts, message: botMessage(body, ts) };
    },
    'chat.update': (body) => {
      const channel = str(body.channel);
      const ts = str(body.ts);
      if (!channel) return { error: 'channel_not_found' };
      if (!ts) return { error: 'message_not_found' };
      return { channel, ts, text: body.text ?? '', message: botMessage(body, ts) };
    },
    'chat.postEphemeral': (body) => {
      if (!str(body.channel)) return { error: 'channel_not_found' };
      if (!str(body.user)) return { error: 'user_not_in_channel' };
      return { message_ts: nextTs() };
    },
    'chat.delete': (body) => {
      const channel = str(body.channel);
      const ts = str(body.ts);
      if (!channel) return { error: 'channel_not_found' };
      if (!ts) return { error: 'message_not_found' };
      return { channel, ts };
    },
    'users.info': (body) => {
      const user = users.get(String(body.user));
      if (!user) return { error: 'user_not_found' };
      const includeLocale = body.include_locale === true || body.include_locale === 'true';
      return { user: userInfo(user, includeLocale) };
    },
    // What a bot token with channels:read and groups:read learns of a channel (a few fields of Slack's answer).
    'conversations.info': (body) => {
      const id = str(body.channel);
      if (!id || removed.has(id)) return { error: 'channel_not_found' };
      return {
        channel: {
          id,
          name: `channel-${id.toLowerCase()}`,
          is_channel: id.startsWith('C'),
          is_group: id.startsWith('G'),
          is_im: id.startsWith('D'),
          is_private: id.startsWith('G'),
          is_archived: archived.has(id),
          is_general: false,
          is_member: isMember(id),
          created: 1_700_000_000,
          creator: 'U0CREATOR',
          context_team_id: teamId,
        },
      };
    },
    'conversations.open': (body) => {
      const ids = (str(body.users) ?? '').split(',').filter((id) => id !== '');
      if (ids.length === 0) return str(body.channel) ? { channel: { id: body.channel } } : { error: 'users_list_not_supplied' };
      if (ids.length > 1) return { channel: { id: `G${ids.join('').replace(/[UW]/g, '').slice(0, 10)}` } };
      return { no_op: true, already_open: true, channel: { id: dmChannelFor(ids[0] ?? '') } };
    },
    // files.uploadV2, step 1: a URL to POST the bytes to, per file.
    'files.getUploadURLExternal': (body) => {
      const filename = str(body.filename);
      const length = Number(body.length);
      if (!filename || !Number.isInteger(length) || length < 1) return { error: 'invalid_arguments' };
      fileCounter += 1;
      const id = `F0FILE${fileCounter}`;
      pendingFiles.set(id, { filename, length });
      return { upload_url: `${origin}/upload/${id}`, file_id: id };
    },
    // Step 3: the uploaded files shared in a channel (or kept private when no channel is given).
    'files.completeUploadExternal': (body) => {
      const files = Array.isArray(body.files) ? (body.files as { id?: string; title?: string }[]) : [];
      if (files.length === 0) return { error: 'invalid_arguments' };
      const channel = str(body.channel_id);
      if (channel && !isMember(channel) && !/^D/.test(channel)) return { error: 'not_in_channel' };
      const done: UploadedFile[] = [];
      for (const file of files) {
        const pending = file.id ? pendingFiles.get(file.id) : undefined;
        if (!pending || pending.content === undefined) return { error: 'file_not_found' };
        done.push({
          id: file.id!,
          filename: pending.filename,
          content: pending.content,
          ...(file.title && { title: file.title }),
          ...(channel && { channel }),
          ...(str(body.initial_comment) && { initialComment: str(body.initial_comment) }),
        });
      }
      for (const file of done) pendingFiles.delete(file.id);
      uploadedFiles.push(...done);
      return { files: done.map((file) => ({ id: file.id, name: file.filename, title: file.title ?? file.filename })) };
    },
    'views.open': (body) => {
      if (!str(body.trigger_id) && !str(body.interactivity_pointer)) return { error: 'invalid_arguments' };
      if (typeof body.view !== 'object' || body.view === null) return { error: 'invalid_arguments' };
      return { view: buildView(body.view as Record<string, unknown>) };
    },
    'views.update': (body) => {
      if (!str(body.view_id) && !str(body.external_id)) return { error: 'invalid_arguments' };
      if (typeof body.view !== 'object' || body.view === null) return { error: 'invalid_arguments' };
      return { view: buildView(body.view as Record<string, unknown>, str(body.view_id)) };
    },
    'views.publish': (body) => {
      if (!str(body.user_id)) return { error: 'invalid_arguments' };
      if (typeof body.view !== 'object' || body.view === null) return { error: 'invalid_arguments' };
      return { view: buildView(body.view as Record<string, unknown>) };
    },
  };

  function answerApi(method: string, body: Record<string, unknown>, injected: InjectedFailure | undefined, res: ServerResponse): void {
    if (injected && 'retryAfter' in injected) {
      sendJson(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(injected.retryAfter) });
      return;
    }
    if (injected && 'status' in injected) {
      res.writeHead(injected.status, { 'content-type': 'text/html' });
      res.end('<html><body>Slack is having trouble</body></html>');
      return;
    }
    if (injected) {
      sendJson(res, 200, { ok: false, error: injected.error });
      return;
    }
    const handler = handlers[method];
    // The real API answers unknown methods with HTTP 200 and ok:false, so clients throw a platform error.
    if (!handler) {
      sendJson(res, 200, { ok: false, error: 'unknown_method' });
      return;
    }
    const answer = handler(body);
    sendJson(res, 200, 'error' in answer ? { ok: false, ...answer } : { ok: true, ...answer });
  }

  /** files.uploadV2, step 2: the bytes, as multipart/form-data (the client's FormData) or raw; 200 and "OK" as Slack's file server. */
  async function receiveUpload(id: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const pending = pendingFiles.get(id);
    if (!pending) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const type = String(req.headers['content-type'] ?? '');
    let content = raw.toString('utf8');
    if (type.startsWith('multipart/form-data')) {
      const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
      const part = [...form.values()].find((value) => typeof value !== 'string');
      content = part ? await part.text() : '';
    }
    pending.content = content;
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${Buffer.byteLength(content)}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const upload = /^\/upload\/(F\w+)$/.exec(path);
    if (upload?.[1] && req.method === 'POST') {
      await receiveUpload(upload[1], req, res);
      return;
    }
    const raw = await readRaw(req);
    const body = parseBody(raw, String(req.headers['content-type'] ?? ''));

    const apiMatch = /^\/api\/(.+)$/.exec(path);
    if (apiMatch?.[1]) {
      const method = apiMatch[1];
      // @slack/web-api sends the token as a Bearer header; older clients put it in the form body.
      const header = req.headers.authorization;
      const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : str(body.token);
      const injected = failures.get(method)?.shift();
      const call: RecordedCall = { method, body };
      if (token !== undefined) call.token = token;
      if (injected !== undefined) call.injected = injected;
      calls.push(call);
      events.emit('call', call);
      answerApi(method, body, injected, res);
      return;
    }

    const responseMatch = /^\/response\/(.+)$/.exec(path);
    if (responseMatch?.[1] && req.method === 'POST') {
      const response = { id: decodeURIComponent(responseMatch[1]), body };
      responses.push(response);
      events.emit('response', response);
      sendJson(res, 200, { ok: true });
      return;
    }

    sendJson(res, 404, { ok: false, error: 'not_found' });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the fake or a malformed body: answer 500 so the client fails loudly instead of hanging.
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  for (const user of options.users ?? []) users.set(user.id, user);

  function summary(): string {
    const methods = calls.map((call) => call.method).join(', ') || 'none';
    return `recorded calls: [${methods}]; responses: ${responses.length}`;
  }

  async function waitFor<T>(find: () => T | undefined | null | false, timeoutMs = 3000, what = 'condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found) return found;
      if (Date.now() >= deadline) throw new Error(`waitFor: no ${what} within ${timeoutMs} ms (${summary()})`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  return {
    url: `${origin}/api/`,
    origin,
    calls,
    responses,
    events,
    callsTo: (method) => calls.filter((call) => call.method === method),
    uploadedFiles: () => [...uploadedFiles],
    addUser: (user) => {
      users.set(user.id, user);
    },
    failNext: (method, failure, times = 1) => {
      const queue = failures.get(method) ?? [];
      for (let i = 0; i < times; i += 1) queue.push(failure);
      failures.set(method, queue);
    },
    responseUrl: (id) => {
      responseCounter += 1;
      return `${origin}/response/${encodeURIComponent(id ?? `r${responseCounter}`)}`;
    },
    setMember: (channelId, member) => {
      if (member) {
        joined.add(channelId);
        left.delete(channelId);
      } else {
        left.add(channelId);
        joined.delete(channelId);
      }
    },
    archive: (channelId) => void archived.add(channelId),
    removeChannel: (channelId) => void removed.add(channelId),
    dmChannelFor,
    waitFor,
    waitForCall: (method, match = () => true, timeoutMs) =>
      waitFor(() => calls.find((call) => call.method === method && match(call)), timeoutMs, `matching ${method} call`),
    waitForResponse: (match = () => true, timeoutMs) =>
      waitFor(() => responses.find(match), timeoutMs, 'matching response_url POST'),
    close: () =>
      new Promise<void>((resolve, reject) => {
        // fetch keeps connections alive; drop them so close() does not wait for the keep-alive timeout.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
