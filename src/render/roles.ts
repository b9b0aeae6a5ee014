// Renders who may do what, from the one table of rules (permissions.ts), for help. Pure.
import { t, type Locale, type MessageKey } from '../i18n/index.js';
import { actionsByRule } from '../permissions.js';
import type { ReplyLine } from '../reply.js';

/** A heading and one line per rule, listing the commands it governs in the reader's words. */
export function roleLines(locale: Locale): ReplyLine[] {
  return [
    { text: `*${t(locale, 'help.roles')}*` },
    ...actionsByRule()
      .filter(([, actions]) => actions.length > 0)
      .map(([rule, actions]) => ({
        text: `• ${t(locale, `help.roles.${rule}`, { actions: actions.map((action) => t(locale, `roles.${action}` as MessageKey)).join(', ') })}`,
      })),
  ];
}
