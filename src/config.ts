// The environment, validated once into a typed object; empty strings count as unset and errors name the variable.
import { z } from 'zod';

const optional = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().optional());

/** PORT as every config reads it: a port number, or unset (empty means unset). */
export const portSetting = optional.pipe(
  z
    .string()
    .regex(/^\d{1,5}$/, 'should be a port number such as 3000')
    .transform(Number)
    .refine((port) => port <= 65535, 'should be a port number up to 65535')
    .optional(),
);

const schema = z.object({
  DATABASE_URL: optional.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  /**
   * Whether statements are prepared on the server (see db/connection.ts). Off only behind a pooler in transaction mode that
   * cannot keep prepared statements (PgBouncer before 1.21, or without max_prepared_statements).
   */
  DATABASE_PREPARE: optional.pipe(z.enum(['true', 'false']).optional()).transform((v) => v !== 'false'),
  MINGA_DATA_DIR: optional.transform((v) => v ?? './.minga'),
  MINGA_LOCALE: optional.pipe(z.enum(['en', 'es']).optional()).transform((v) => v ?? 'en'),
  MINGA_USER: optional.transform((v) => v ?? 'local'),
  /** Which console workspace this is; two names are two workspaces (of one alliance once linked with `alliance join`). */
  MINGA_CONSOLE_WORKSPACE: optional.transform((v) => v ?? 'local'),
  MINGA_TIME_ZONE: optional
    .refine((v) => v === undefined || isTimeZone(v), { message: 'is not an IANA time zone such as America/Lima' })
    .transform((v) => v ?? 'UTC'),
  /**
   * The deployment's own secret: keys anonymous ballots and encrypts stored platform tokens. It never goes in the database.
   * Unset with the embedded database: generated once into a file in MINGA_DATA_DIR (see secrets.ts).
   */
  MINGA_SECRET: optional.refine((v) => v === undefined || v.length >= 32, { message: 'must be at least 32 characters, e.g. from: openssl rand -hex 32' }),
  /** Scheduled jobs (reminders, poll posts) one instance runs at once; each mostly waits on a platform, so more than cores. */
  MINGA_JOB_CONCURRENCY: optional.transform((v) => v ?? '32').pipe(z.coerce.number<string>().int().min(1).max(256)),
  /**
   * Where /healthz and /metrics are served (and Slack's requests, which adapters/slack/config.ts reads). No default here:
   * platforms use 3000 when unset, while the console opens no port unless PORT is set.
   */
  PORT: portSetting,
  LOG_LEVEL: optional.pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional()).transform((v) => v ?? 'info'),
});

export type Config = z.output<typeof schema>;

/** A configuration mistake a person must fix; the message names the variable. */
export class ConfigError extends Error {}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration. ${problems.join('; ')}`);
  }
  return parsed.data;
}
