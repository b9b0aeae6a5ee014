// Slack's text conventions both ways: what a slash command sends (escaped, with <...> markup) → plain command text, and our text → safe mrkdwn. Pure.

/** A user mention as Slack escapes it: `<@U123>` or `<@U123|name>`. */
const USER_MENTION = /<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/g;

/**
 * Turns a slash command's escaped text (the manifest sets should_escape) into the text a person meant.
 * User mentions stay as `<@U…|name>` because the command parser reads them; channel, group and link markup
 * become what the person saw; `&amp; &lt; &gt;` become the characters.
 */
export function fromSlackText(text: string): string {
  const plain = text.replace(/<([^<>]*)>/g, (whole, inner: string) => {
    if (inner.startsWith('@')) return whole;
    const [target = '', label] = inner.split('|', 2);
    if (target.startsWith('#')) return label ? `#${label}` : target;
    if (target.startsWith('!')) return label ?? `@${target.slice(1).split('^')[0]}`;
    return target;
  });
  return plain.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The user ids mentioned without a name (`<@U123>`), so the adapter can look their names up. */
export function unnamedMentions(text: string): string[] {
  return [...new Set([...text.matchAll(USER_MENTION)].filter((m) => !m[2]).map((m) => m[1]!))];
}

/** Puts looked-up names into unnamed mentions: `<@U123>` → `<@U123|ana>`. */
export function nameMentions(text: string, names: ReadonlyMap<string, string>): string {
  return text.replace(USER_MENTION, (whole, id: string, name?: string) => {
    const known = names.get(id);
    return name || !known ? whole : `<@${id}|${known.replace(/[|>]/g, '')}>`;
  });
}

/**
 * A mention as Slack escapes it, or a bare `@U0ABC123` (how the core names a member whose display name it has not
 * learned yet): an uppercase id with at least one digit, so words such as @UNICEF stay words.
 */
const ANY_MENTION = /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>|(?<![\w@])@([UW](?=[A-Z0-9]*\d)[A-Z0-9]{5,})(?![A-Za-z0-9])/g;

/**
 * Our text as mrkdwn: `& < >` escaped, so a task title can never become a link or an @channel ping; user mentions
 * become Slack mentions, which show the person's current name. `*bold*` and `code` marks pass as they are.
 */
export function toMrkdwn(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(ANY_MENTION)) {
    out += escapeMrkdwn(text.slice(last, match.index)) + `<@${match[1] ?? match[2]}>`;
    last = match.index + match[0].length;
  }
  return out + escapeMrkdwn(text.slice(last));
}

/** The three characters Slack wants escaped in any text it reads as markup, code blocks included. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Cuts text to at most `max` UTF-16 units (how Slack counts), ending with an ellipsis when cut, never leaving half a
 * surrogate pair; in escaped mrkdwn (`escaped`) never half an entity (`&am`) or half a mention (`<@U1`) either.
 */
export function cut(text: string, max: number, escaped = true): string {
  if (text.length <= max) return text;
  let kept = '';
  for (const char of text) {
    if (kept.length + char.length > max - 1) break;
    kept += char;
  }
  return `${escaped ? kept.replace(/&[a-z]*$|<[^>]*$/, '') : kept}…`;
}
