// Renders the core's platform-neutral replies as plain text for a terminal.
import { t } from '../../src/i18n/index.js';
import { replyTexts, type Reply } from '../../src/reply.js';

export function renderText(reply: Reply): string {
  const texts = [
    ...replyTexts({ ...reply, sections: undefined, more: undefined }),
    // A section (a digest's overdue tasks, its decisions) stands apart after a blank line: its title, its lines, what was left out.
    ...(reply.sections ?? []).flatMap((section) => [
      '',
      section.title,
      ...section.lines.map((line) => line.text),
      ...(section.hidden ? [t(reply.locale, 'list.more', { count: section.hidden })] : []),
    ]),
    ...(reply.more ? [reply.more] : []),
  ];
  // In a terminal, Slack-style *bold* and `code` marks are just noise.
  const lines = texts.map((text) => text.replace(/\*([^*\n]+)\*/g, '$1'));
  if (reply.error) lines[0] = `! ${lines[0] ?? ''}`;
  if (reply.file) lines.push(reply.file.content.trimEnd());
  return lines.join('\n');
}
