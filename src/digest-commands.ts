// Runs the digest commands inside the command's transaction: subscribe this channel, stop, post now, preview, show.
import type { Command, CommandContext } from './commands/command.js';
import type { Reply } from './reply.js';

type DigestCommand = Extract<Command, { kind: `digest.${string}` }>;

export async function executeDigest(context: CommandContext, command: DigestCommand): Promise<Reply> {
  void context;
  throw new Error(`not yet: ${command.kind}`);
}
