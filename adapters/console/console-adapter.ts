// The console workspace: one person (MINGA_USER) typing commands in a terminal, or lines piped in; replies are printed as text.
import { writeFile } from 'node:fs/promises';
import { join, parse } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Adapter } from '../../src/adapter.js';
import { conversationId } from '../../src/conversation.js';
import type { Core } from '../../src/handler.js';
import { t, type Locale } from '../../src/i18n/index.js';
import type { Requester } from '../../src/identity.js';
import type { Reply } from '../../src/reply.js';
import { renderText } from './render-text.js';
import { receiptClock } from '../../src/acted.js';

export const CONSOLE_WORKSPACE = 'local';
export const CONSOLE_CHANNEL = 'main';

export interface ConsoleOptions {
  user: string;
  /** The console workspace's name (MINGA_CONSOLE_WORKSPACE); CONSOLE_WORKSPACE when unset. */
  workspace?: string;
  locale: Locale;
  input?: Readable;
  output?: Writable;
  /** What the terminal's environment says about language (e.g. LANG=es_PE.UTF-8), passed on as the platform's locale. */
  platformLocale?: string;
  /** Where files a reply hands over (a CSV export) are written; the current directory unless a test says otherwise. */
  directory?: string;
}

/** How many numbered names (`tasks-2.csv`, `tasks-3.csv`, …) are tried before giving up on writing a file. */
const FILE_NAME_TRIES = 100;

export class ConsoleAdapter implements Adapter {
  readonly platform = 'console' as const;
  readonly description = 'console';
  /** Resolves when the input ends (end of a pipe, Ctrl-D, or `exit`). */
  readonly finished: Promise<void>;
  /** Resolves when the first reply has been written (the entry point times start-up to it). */
  readonly replied: Promise<void>;
  private finish!: () => void;
  private markReplied!: () => void;
  private readonly input: Readable;
  private readonly output: Writable;
  private closeInput?: () => void;

  constructor(private readonly options: ConsoleOptions) {
    this.input = options.input ?? process.stdin;
    this.output = options.output ?? process.stdout;
    this.finished = new Promise((resolve) => (this.finish = resolve));
    this.replied = new Promise((resolve) => (this.markReplied = resolve));
  }

  async start(core: Core): Promise<void> {
    const interactive = 'isTTY' in this.input && this.input.isTTY === true;
    const lines = createInterface({ input: this.input, output: interactive ? this.output : undefined, terminal: interactive });
    this.closeInput = () => lines.close();
    const prompt = () => interactive && lines.prompt();
    lines.setPrompt(t(this.options.locale, 'console.prompt'));
    // Each line is timed as it arrives, not when its turn comes: a piped script's lines wait for the replies before them.
    const received = receiptClock();
    const arrivals: number[] = [];
    lines.on('line', () => arrivals.push(received()));
    void (async () => {
      prompt();
      // One line at a time, in order: a piped script must see each reply before the next command runs.
      for await (const line of lines) {
        const text = line.trim();
        const actedAt = arrivals.shift();
        if (interactive && ['exit', 'quit', 'salir'].includes(text.toLowerCase())) break;
        if (text) this.write(renderText(await this.saveFile(await core.handleText(text, this.requester(actedAt)))));
        prompt();
      }
      lines.close();
      this.finish();
    })();
  }

  async stop(): Promise<void> {
    this.closeInput?.();
  }

  async post(conversation: string, reply: Reply): Promise<string> {
    this.write(`${t(reply.locale, 'console.from', { conversation })}\n${renderText(reply)}`);
    return String(Date.now());
  }

  async sendDirect(_workspaceId: string, userId: string, reply: Reply): Promise<string> {
    this.write(`${t(reply.locale, 'console.direct', { user: `@${userId}` })}\n${renderText(reply)}`);
    return String(Date.now());
  }

  /** A terminal cannot change what it printed; `poll results` shows the current state instead. */
  async edit(): Promise<void> {}

  /** The conversation id of a console workspace's one channel. */
  static conversation(workspace = CONSOLE_WORKSPACE): string {
    return conversationId({ platform: 'console', workspaceId: workspace, channelId: CONSOLE_CHANNEL });
  }

  private requester(actedAt: number | undefined): Requester {
    return {
      platform: 'console',
      workspaceId: this.options.workspace ?? CONSOLE_WORKSPACE,
      userId: this.options.user,
      userName: this.options.user,
      channelId: CONSOLE_CHANNEL,
      ...(this.options.platformLocale && { platformLocale: this.options.platformLocale }),
      ...(actedAt !== undefined && { actedAt }),
    };
  }

  /**
   * Writes a reply's file (a CSV export) into the directory and says where, instead of printing it. An existing file is
   * never overwritten: the name gets a number (`-2`, `-3`, …). When it cannot be written, the reply says so and its text
   * is printed instead.
   */
  private async saveFile(reply: Reply): Promise<Reply> {
    if (!reply.file || reply.error) return reply;
    const directory = this.options.directory ?? process.cwd();
    const { name: stem, ext } = parse(reply.file.name);
    for (let attempt = 1; attempt <= FILE_NAME_TRIES; attempt += 1) {
      const name = attempt === 1 ? reply.file.name : `${stem}-${attempt}${ext}`;
      try {
        // `wx`: fails if the file exists, so two sessions writing at once never overwrite each other either.
        await writeFile(join(directory, name), reply.file.content, { flag: 'wx' });
        const { file: _written, ...rest } = reply;
        return { ...rest, lines: [...reply.lines, { text: t(reply.locale, 'file.saved', { name, directory }) }] };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') break;
      }
    }
    return { ...reply, lines: [...reply.lines, { text: t(reply.locale, 'file.saveFailed', { name: reply.file.name, directory }) }] };
  }

  private write(text: string): void {
    this.output.write(`${text}\n`);
    this.markReplied();
  }
}
