// Renders the core's platform-neutral replies as plain text for a terminal.
import { replyTexts, type Reply } from '../../src/reply.js';

export function renderText(reply: Reply): string {
  const texts = replyTexts(reply);
  // In a terminal, Slack-style *bold* and `code` marks are just noise.
  const lines = texts.map((text) => text.replace(/\*([^*\n]+)\*/g, '$1'));
  if (reply.error) lines[0] = `! ${lines[0] ?? ''}`;
  if (reply.file) lines.push(reply.file.content.trimEnd());
  return lines.join('\n');
}
