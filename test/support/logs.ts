// The process logger (src/log.ts, configured as src/app.ts does) writing into memory, so tests can read every line it wrote.
import { createLogger, secretsIn, type Logger } from '../../src/log.js';

export interface CapturedLog {
  log: Logger;
  /** The values the logger blanks: the environment's credentials; add one to see it blanked from then on. */
  secrets: Set<string>;
  /** Every line as written, unparsed: what a secret must not be found in. */
  lines: string[];
  text(): string;
  entries(): Record<string, unknown>[];
  /** The first line with this message; throws if there is none, listing what was written. */
  find(msg: string): Record<string, unknown>;
}

export function captureLog(options: { level?: string; env?: NodeJS.ProcessEnv } = {}): CapturedLog {
  const lines: string[] = [];
  const secrets = secretsIn(options.env ?? {});
  const log = createLogger({ level: options.level ?? 'trace', destination: { write: (line: string) => void lines.push(line) }, secrets });
  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return {
    log,
    secrets,
    lines,
    text: () => lines.join(''),
    entries,
    find(msg) {
      const entry = entries().find((candidate) => candidate.msg === msg);
      if (!entry) throw new Error(`no log line "${msg}"; written:\n${entries().map((e) => `  ${String(e.msg)}`).join('\n')}`);
      return entry;
    },
  };
}
