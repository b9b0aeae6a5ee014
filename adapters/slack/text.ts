// Slack's text conventions both ways: what a slash command sends (escaped, with <...> markup) → plain command text and the users it mentions, and our text → safe mrkdwn. Pure.

/** A user mention as Slack escapes it: `<@U123>` or `<@U123|name>`. A name holds no `<`, so a scan stops at the next one. */
const USER_MENTION = /<@([UW][A-Z0-9]+)(?:\|[^<>]*)?>/g;

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

/**
 * The users a command's text mentions, last first, each once, at most `max`: the ones to ask users.info about. A command
 * names at most one member, and always as its last mention (only a date may follow it), so a few are plenty and a line
 * full of mentions costs no more calls than that.
 */
export function mentionedUsers(text: string, max: number): string[] {
  return [...new Set([...text.matchAll(USER_MENTION)].map((match) => match[1]!).reverse())].slice(0, max);
}

/** A channel as Slack escapes it in a slash command: `<#C123|general>`, `<#C123|>` or `<#C123>`. */
const CHANNEL_MENTION = /<#([A-Z0-9]+)(?:\|([^<>|]*))?>/g;

/**
 * The channels a slash command's text names, as Slack escaped them, each once, at most `max`: read from the text as it
 * came (before `fromSlackText`), where a person's own typing of `<#C…>` arrives as `&lt;#C…&gt;` and so never counts.
 * They go to the core as `Requester.channels`: a reminder may go to those and no other channel id.
 */
export function mentionedChannels(escaped: string, max: number): { id: string; name?: string }[] {
  const found = new Map<string, string | undefined>();
  for (const match of escaped.matchAll(CHANNEL_MENTION)) {
    if (found.size >= max) break;
    if (!found.has(match[1]!)) found.set(match[1]!, match[2] || undefined);
  }
  return [...found].map(([id, name]) => ({ id, ...(name && { name }) }));
}

/** An address as written in text, without the punctuation that usually ends the sentence around it. */
const ADDRESS = /\bhttps?:\/\/[^\s<>|]*[^\s<>|.,;:!?'")\]]/g;

/**
 * Our text as mrkdwn, the one way it is made: the three characters Slack reads as markup (`& < >`) escaped, in text
 * anyone wrote, so a title or an option never becomes a disguised link, a mention or an `<!channel>` ping. Names show
 * as the core writes them (`@ana`): typed text could carry any user id, so no text becomes a Slack mention. The text
 * objects built from this are `verbatim` (see blocks.ts), so Slack does not turn a bare @here or #channel into markup
 * either; an address it would have linked becomes a link here, one that shows the address itself. Slack has no escape
 * for `*bold*` and `code` marks: they pass, and format as they would.
 */
export function toMrkdwn(text: string): string {
  if (!text.includes('http')) return escapeMrkdwn(text);
  let out = '';
  let last = 0;
  for (const match of text.matchAll(ADDRESS)) {
    out += escapeMrkdwn(text.slice(last, match.index)) + `<${escapeMrkdwn(match[0])}>`;
    last = match.index + match[0].length;
  }
  return out + escapeMrkdwn(text.slice(last));
}

const MARKUP = /[&<>]/;

/** The three characters Slack reads as markup, escaped: all a code block needs (it shows addresses as text). */
export function escapeMrkdwn(text: string): string {
  if (!MARKUP.test(text)) return text;
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Cuts text to at most `max` UTF-16 units (how Slack counts), ending with an ellipsis when cut, never leaving half a
 * surrogate pair; in mrkdwn (`escaped`) never half an entity (`&am`) or half a link (`<https://ex`) either.
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
