// Hands a reply's file (a CSV export) over on Slack: uploaded into the asker's direct messages (through the sender: files.uploadV2, paced and counted), or, when that fails, shown as text.
import { t } from '../../src/i18n/index.js';
import type { Logger } from '../../src/log.js';
import type { Reply } from '../../src/reply.js';

/**
 * Uploads the reply's file and answers with the reply saying where it went, without the file. The file goes to the
 * asker's direct messages, not the channel the command was typed in: an export is for whoever asked (a coordinator), and
 * a file shared in a channel is seen by everyone there. When the upload fails (no `files:write` on an older install, a
 * Slack outage), the reply says so and keeps its file, which renderMessage shows as text: the asker still gets the data.
 */
export async function deliverFile(
  uploadDirect: (file: { name: string; content: string }, comment?: string) => Promise<void>,
  reply: Reply,
  log: Logger,
): Promise<Reply> {
  const { file } = reply;
  if (!file || reply.error) return reply;
  try {
    await uploadDirect(file, reply.heading);
    const { file: _sent, ...rest } = reply;
    return { ...rest, lines: [...reply.lines, { text: t(reply.locale, 'file.sentDirect', { name: file.name }) }] };
  } catch (err) {
    log.warn({ err, file: file.name }, 'slack file upload failed');
    return { ...reply, lines: [...reply.lines, { text: t(reply.locale, 'file.uploadFailed', { name: file.name }) }] };
  }
}
