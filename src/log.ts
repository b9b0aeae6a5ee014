// The process logger: structured JSON lines on stderr (the console workspace keeps stdout for replies), with no secret in any line.
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

export interface LogOptions {
  /** LOG_LEVEL's value. */
  level?: string;
  /** Where lines go: stderr unless given (tests capture them). */
  destination?: DestinationStream;
  /**
   * The deployment's own credentials (see secretsIn), blanked wherever they appear in a line. Read at every line, so a
   * value added later (a MINGA_SECRET generated after the logger was made) counts from then on.
   */
  secrets?: ReadonlySet<string>;
}

export const REDACTED = '[redacted]';

/** Fields that hold a credential, a stored installation or a query's values, wherever a log call puts them (three levels deep). */
const SECRET_FIELDS = [
  'token',
  'botToken',
  'userToken',
  'appToken',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'secret',
  'clientSecret',
  'client_secret',
  'signingSecret',
  'stateSecret',
  'password',
  'authorization',
  'Authorization',
  'cookie',
  'installation',
  'params',
  'parameters',
  'MINGA_SECRET',
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'SLACK_CLIENT_SECRET',
  'SLACK_STATE_SECRET',
  'DISCORD_TOKEN',
  'DATABASE_URL',
];

const REDACT_PATHS = SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]);

export function createLogger(options: LogOptions = {}): Logger {
  const secrets = options.secrets ?? new Set<string>();
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      base: { app: 'minga' },
      serializers: { err: serializeError, error: serializeError },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      hooks: {
        // pino writes a lone error's own message as the line's message: give it the message without values instead.
        logMethod(args, method) {
          const [first] = args;
          const err = first instanceof Error ? first : typeof first === 'object' && first !== null ? (first as { err?: unknown }).err : undefined;
          if (args.length === 1 && err instanceof Error) return method.call(this, first as object, messageWithoutValues(err.message));
          return method.apply(this, args);
        },
        // The last line of defence: whatever carried it (a library's message, a URL, an unforeseen field), no credential is written.
        streamWrite: (line) => scrub(line, secrets),
      },
    },
    options.destination ?? pino.destination(2),
  );
}

/** Values shorter than this are not taken for credentials: blanking them everywhere would garble the log. */
const MIN_SECRET_LENGTH = 12;

/** The credentials in an environment, by name (every *TOKEN, *SECRET and *PASSWORD variable) and DATABASE_URL's password. */
export function secretsIn(env: NodeJS.ProcessEnv): Set<string> {
  const values = Object.entries(env)
    .filter(([name]) => /(TOKEN|SECRET|PASSWORD)$/.test(name))
    .map(([, value]) => value?.trim());
  values.push(urlPassword(env.DATABASE_URL));
  return new Set(values.filter((value): value is string => value !== undefined && value.length >= MIN_SECRET_LENGTH));
}

function urlPassword(url: string | undefined): string | undefined {
  try {
    return url ? decodeURIComponent(new URL(url).password) : undefined;
  } catch {
    return undefined;
  }
}

/** Credentials by their shape, for those no variable names (each workspace's token from the Slack install flow). */
const SHAPES: [RegExp, string][] = [
  // Slack tokens: bot, user and app-level ones, and refresh tokens (xoxe.xoxp-…).
  [/\bx(?:ox[a-z](?:\.xox[a-z])?|app)-[A-Za-z0-9-]+/g, REDACTED],
  // The value of an Authorization header.
  [/\b(Bearer|Bot|Basic) [A-Za-z0-9._~+/-]{20,}=*/g, `$1 ${REDACTED}`],
  // Discord bot tokens (and any JWT): three dot-separated base64url parts.
  [/\b[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{20,}/g, REDACTED],
  // A Discord interaction's or webhook's token, in a URL path.
  [/\/(webhooks|interactions)\/(\d+)\/[A-Za-z0-9_.-]{20,}/g, `/$1/$2/${REDACTED}`],
  // A secret or password given by name, in JSON or a form body (Slack's web client logs oauth.v2.access's client_secret so).
  [/(\b\w*(?:secret|password)(?:\\?":\\?"|=))[^"\\&\s]+/gi, `$1${REDACTED}`],
  // A password in a URL (postgres://user:password@host).
  [/(\/\/[^\s:/@"]+:)[^\s/@"]+@/g, `$1${REDACTED}@`],
];

/** Text with the given secret values and anything shaped like a credential blanked. */
export function scrub(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    out = out.replaceAll(secret, REDACTED);
    // As it reads inside a JSON string, should it hold a quote or a backslash.
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) out = out.replaceAll(escaped, REDACTED);
  }
  for (const [shape, replacement] of SHAPES) out = out.replace(shape, replacement);
  return out;
}

/** drizzle's DrizzleQueryError appends the query's bound values to its message: everything from there is dropped. */
function messageWithoutValues(message: string): string {
  const params = message.indexOf('\nparams: ');
  return params === -1 ? message : message.slice(0, params);
}

/**
 * The plain fields of an error worth writing: what failed and where, never with what values. Everything else is left
 * out: a query's `params` (postgres.js `parameters`, PGlite `query`/`params`), Postgres' `detail` ("Failing row
 * contains …"), discord.js' `requestBody`, response headers and bodies.
 */
const ERROR_FIELDS = [
  'code',
  'errno',
  'syscall',
  'address',
  'port',
  'severity',
  'routine',
  'schema',
  'table',
  'column',
  'constraint',
  'schema_name',
  'table_name',
  'column_name',
  'constraint_name',
  'status',
  'statusCode',
  'method',
  'url',
  'retryAfter',
];

/** Errors an error wraps, written in turn: its cause (drizzle's is the driver's error) and @slack/web-api's `original`. */
const WRAPPED = ['cause', 'original'];

const MAX_DEPTH = 5;

/** pino's `err` serializer: an error (and the errors it wraps) as type, message, stack frames and the fields above. */
export function serializeError(err: unknown): unknown {
  return serialize(err, new Set(), 0);
}

function serialize(value: unknown, seen: Set<object>, depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value) || depth > MAX_DEPTH) return { type: 'omitted' };
  seen.add(value);
  const err = value as Record<string, unknown>;
  const name = typeof err.name === 'string' ? err.name : undefined;
  const constructorName = typeof err.constructor === 'function' ? err.constructor.name : '';
  // A bundled library's classes may be minified to a letter (PGlite's errors): its `name` says more then.
  const type = constructorName.length > 2 ? constructorName : (name ?? (constructorName || 'Object'));
  const out: Record<string, unknown> = { type };
  if (typeof err.message === 'string') out.message = messageWithoutValues(err.message);
  // The stack starts with the message again: keep only its frames, under the message without values.
  if (typeof err.stack === 'string') {
    const frames = err.stack.split('\n').filter((line) => /^\s+at /.test(line));
    // Its first line as the error would print it (`DiscordAPIError[10003]`), unless the name is a bare "Error".
    out.stack = [`${name && name !== 'Error' ? name : type}: ${out.message ?? ''}`, ...frames].join('\n');
  }
  for (const field of ERROR_FIELDS) {
    const fieldValue = err[field];
    if (typeof fieldValue === 'string' || typeof fieldValue === 'number' || typeof fieldValue === 'boolean') out[field] = fieldValue;
  }
  for (const key of WRAPPED) {
    if (err[key] !== undefined && err[key] !== null) out[key] = serialize(err[key], seen, depth + 1);
  }
  if (Array.isArray(err.errors)) out.errors = err.errors.slice(0, 10).map((inner) => serialize(inner, seen, depth + 1));
  return out;
}

/** An error's message as it may be kept outside the process (a job's last error): without query values or credentials. */
export function errorMessage(err: unknown): string {
  return scrub(messageWithoutValues(err instanceof Error ? err.message : String(err)));
}

/** An error as text for a person (a failed start-up, on stderr): its stack and its causes', without values or credentials. */
export function errorText(err: unknown, secrets: Iterable<string> = []): string {
  const parts: string[] = [];
  let current = serializeError(err);
  while (typeof current === 'object' && current !== null && parts.length <= MAX_DEPTH) {
    const written = current as { type?: string; message?: string; stack?: string; cause?: unknown; original?: unknown };
    parts.push(written.stack ?? `${written.type}: ${written.message ?? ''}`);
    current = written.cause ?? written.original;
  }
  if (typeof current !== 'object' && current !== undefined) parts.push(String(current));
  return scrub(parts.join('\ncaused by: '), secrets);
}
