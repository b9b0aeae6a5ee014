// Renders the core's platform-neutral replies as Discord messages (content or an embed, buttons, a select menu) within Discord's limits. Pure.
import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIApplicationCommandOptionChoice,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIEmbedField,
  type APISelectMenuOption,
} from 'discord.js';
import { t } from '../../src/i18n/index.js';
import type { MemberSuggestion } from '../../src/identity.js';
import type { PollSuggestion } from '../../src/polls.js';
import type { Button, Reply, ReplyLine, ReplySection } from '../../src/reply.js';
import type { TaskSuggestion } from '../../src/tasks.js';
import { nextFinder } from '../../src/commands/tokens.js';
import { cutSections, renderLines, type SectionCut } from '../cut-sections.js';
import { customIdFor } from './custom-ids.js';

/** Discord's limits, from its documentation. */
export const LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedTotal: 6000,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  rows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  selectOptions: 25,
  optionLabel: 100,
  optionDescription: 100,
  placeholder: 150,
  choices: 25,
  choiceName: 100,
  embeds: 10,
  /** One line of a long reply (a digest): as long as a field's value; longer reads as a paragraph, and is cut. */
  sectionLine: 1024,
} as const;

/** Below this many characters a cut line stops saying what it is about: drop lines instead, and count them. */
const MIN_LINE = 60;

const COLOR = 0x2f9e44;
const ERROR_COLOR = 0xed4245;

/** Custom id of the select menu that carries the line buttons that did not fit; its values follow the button convention. */
export const MORE_SELECT_ID = 'more';

export type ActionRow = APIActionRowComponent<APIComponentInMessageActionRow>;

export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components: ActionRow[];
  /** Seen only by the person who asked: answers to questions, and every error. Channel posts ignore it. */
  ephemeral: boolean;
  /** Attachments (a CSV export), uploaded with the message. */
  files: { name: string; contentType: string; data: Buffer }[];
}

/** Whether Discord shows a reply to the asker alone: answers to questions, and every error. */
export function isEphemeral(reply: Reply): boolean {
  return reply.visibility === 'ephemeral' || reply.error === true;
}

export function renderMessage(reply: Reply): DiscordMessage {
  const ephemeral = isEphemeral(reply);
  const files = reply.file ? [{ name: reply.file.name, contentType: reply.file.mimeType, data: Buffer.from(reply.file.content, 'utf8') }] : [];
  if (reply.sections?.length) {
    return { embeds: renderSections(reply, reply.sections), components: renderComponents(reply, []), ephemeral, files };
  }
  if (isShort(reply)) {
    const line = reply.lines[0]!;
    return { content: truncateMarkdown(line.text, LIMITS.content), embeds: [], components: renderComponents(reply, reply.lines), ephemeral, files };
  }
  const { embed, shownLines } = renderEmbed(reply);
  return { embeds: [embed], components: renderComponents(reply, shownLines), ephemeral, files };
}

/** One line and nothing else reads best as plain text (confirmations, errors); anything more gets an embed. */
function isShort(reply: Reply): boolean {
  return !reply.heading && !reply.fields?.length && !reply.more && reply.lines.length === 1;
}

function renderEmbed(reply: Reply): { embed: APIEmbed; shownLines: Reply['lines'] } {
  const title = reply.heading ? truncateMarkdown(reply.heading, LIMITS.embedTitle) : undefined;
  // A footer shows its text as written: Discord reads no markdown there.
  const footer = reply.more ? truncate(reply.more, LIMITS.footer) : undefined;
  let fields: APIEmbedField[] = (reply.fields ?? []).slice(0, LIMITS.fields).map((field) => ({
    name: truncateMarkdown(field.label, LIMITS.fieldName),
    value: truncateMarkdown(field.value, LIMITS.fieldValue),
    inline: true,
  }));
  const fixed = () => (title?.length ?? 0) + (footer?.length ?? 0) + fields.reduce((sum, f) => sum + f.name.length + f.value.length, 0);
  // Fields are the extras: drop them before the lines lose their room.
  while (fields.length && LIMITS.embedTotal - fixed() < LIMITS.embedDescription / 4) fields = fields.slice(0, -1);
  const budget = Math.min(LIMITS.embedDescription, LIMITS.embedTotal - fixed());
  const fitted = fitLines(
    reply.lines.map((line) => line.text),
    budget,
    (count) => t(reply.locale, 'list.more', { count }),
  );
  const embed: APIEmbed = {
    color: reply.error ? ERROR_COLOR : COLOR,
    ...(title && { title }),
    ...(fitted.text && { description: fitted.text }),
    ...(fields.length && { fields }),
    ...(footer && { footer: { text: footer } }),
  };
  return { embed, shownLines: reply.lines.slice(0, fitted.kept) };
}

/** A section as Discord shows it: its title (none for the reply's own lines), its lines as markdown, and how many the core left out. */
interface DiscordSection {
  title?: string;
  /** The first lines, those that could show (see renderLines). */
  lines: string[];
  /** How many items it has in all: its lines, and those the core left out. */
  items: number;
}

/**
 * A long reply in parts (a digest) as embeds: the first has the heading as its title and the reply's own lines (the
 * summary) as its description, then each section is an embed of its own, titled, its lines as the description. An embed
 * per section rather than fields: a description holds 4,096 characters where a field holds 1,024, and each section
 * stands apart with its own colour bar. Past ten embeds the last sections share the tenth, each under its title in bold.
 * Within 6,000 characters in all, cut as cutSections says: the longest lists lose their last lines first, and each list
 * says how many of its items are not shown ("…and N more"), counting those the core left out. Line buttons are not
 * shown: a long reply is read, and acted on by command.
 */
function renderSections(reply: Reply, parts: ReplySection[]): APIEmbed[] {
  const color = reply.error ? ERROR_COLOR : COLOR;
  const heading = reply.heading ? truncateMarkdown(reply.heading, LIMITS.embedTitle) : undefined;
  const footer = reply.more ? truncate(reply.more, LIMITS.footer) : undefined;
  let fields: APIEmbedField[] = (reply.fields ?? []).slice(0, LIMITS.fields).map((field) => ({
    name: truncateMarkdown(field.label, LIMITS.fieldName),
    value: truncateMarkdown(field.value, LIMITS.fieldValue),
    inline: true,
  }));
  // Fields are the extras: they keep at most a quarter of the room.
  const fieldsSize = () => fields.reduce((sum, field) => sum + field.name.length + field.value.length, 0);
  while (fields.length && fieldsSize() > LIMITS.embedTotal / 4) fields = fields.slice(0, -1);
  const more = (count: number) => markdown(t(reply.locale, 'list.more', { count }));
  const lines = (items: ReplyLine[]) => renderLines(items, (line) => truncateMarkdown(line.text, LIMITS.sectionLine), LIMITS.embedTotal);
  const sections: DiscordSection[] = [
    { lines: lines(reply.lines), items: reply.lines.length },
    ...parts.map((section) => {
      const title = section.title.trim() && truncateMarkdown(section.title.trim(), LIMITS.embedTitle);
      return { ...(title && { title }), lines: lines(section.lines), items: section.lines.length + (section.hidden ?? 0) };
    }),
  ];

  const layout = (plan: SectionCut): APIEmbed[] => {
    const first = heading || sections[0]!.lines.length || fields.length ? 1 : 0;
    // Every section an embed when they all fit; else the one at `last` and those after it share the last embed.
    const room = LIMITS.embeds - first;
    const last = plan.shown - 1 > room ? room : Infinity;
    const embeds: { title?: string; lines: string[] }[] = [{ ...(heading && { title: heading }), lines: [] }];
    sections.slice(0, plan.shown).forEach((section, index) => {
      const kept = plan.kept[index] ?? 0;
      const out = section.items - kept;
      const shown = [...section.lines.slice(0, kept), ...(out > 0 ? [more(out)] : [])];
      if (index === 0) embeds[0]!.lines.push(...shown);
      else if (index < last) embeds.push({ ...(section.title && { title: section.title }), lines: shown });
      else if (index === last) embeds.push({ lines: [...(section.title ? [`**${section.title}**`] : []), ...shown] });
      else embeds.at(-1)!.lines.push(...(section.title ? [`**${section.title}**`] : []), ...shown);
    });
    const rest = sections.slice(plan.shown).reduce((sum, section) => sum + section.items, 0);
    if (rest > 0) embeds.at(-1)!.lines.push(more(rest));
    const built: APIEmbed[] = embeds.map(({ title, lines }, index) => {
      const description = lines.join('\n');
      return {
        color,
        ...(title && { title }),
        ...(description && { description }),
        ...(index === 0 && fields.length && { fields }),
      };
    });
    const shownEmbeds = built.filter((embed) => embed.title || embed.description || embed.fields);
    if (footer) {
      const closing = shownEmbeds.at(-1);
      if (closing) closing.footer = { text: footer };
      else shownEmbeds.push({ color, footer: { text: footer } });
    }
    return shownEmbeds;
  };
  const fits = (plan: SectionCut) => {
    const embeds = layout(plan);
    return embeds.length <= LIMITS.embeds && embeds.every((embed) => (embed.description?.length ?? 0) <= LIMITS.embedDescription) && embedsSize(embeds) <= LIMITS.embedTotal;
  };
  const costs = sections.map((section) => section.lines.map((line) => line.length + 1));
  return layout(cutSections(costs, fits, LIMITS.embedTotal)).slice(0, LIMITS.embeds);
}

/** What Discord counts against the 6,000 characters of a message's embeds. */
export function embedsSize(embeds: APIEmbed[]): number {
  return embeds.reduce(
    (sum, embed) =>
      sum +
      (embed.title?.length ?? 0) +
      (embed.description?.length ?? 0) +
      (embed.footer?.text.length ?? 0) +
      (embed.author?.name.length ?? 0) +
      (embed.fields ?? []).reduce((size, field) => size + field.name.length + field.value.length, 0),
    0,
  );
}

/**
 * Fits lines (the core's text, made markdown here) into `budget` characters: all of them if they fit; else the longest cut
 * to one common length (a long title loses its end); else the first ones that fit, then "…and N more".
 */
export function fitLines(lines: string[], budget: number, more: (count: number) => string): { text: string; kept: number } {
  const shown = lines.map(markdown);
  const size = (cap: number, count = shown.length) =>
    shown.slice(0, count).reduce((sum, line) => sum + Math.min(line.length, cap), 0) + Math.max(0, count - 1);
  const longest = Math.max(0, ...shown.map((line) => line.length));
  if (size(longest) <= budget) return { text: shown.join('\n'), kept: lines.length };
  // The largest per-line length at which every line fits.
  let low = 0;
  let high = longest;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (size(mid) <= budget) low = mid;
    else high = mid - 1;
  }
  if (low >= MIN_LINE) return { text: lines.map((line) => truncateMarkdown(line, low)).join('\n'), kept: lines.length };
  for (let kept = lines.length - 1; kept >= 0; kept--) {
    const tail = markdown(more(lines.length - kept));
    if (size(MIN_LINE, kept) + (kept ? 1 : 0) + tail.length <= budget) {
      return { text: [...lines.slice(0, kept).map((line) => truncateMarkdown(line, MIN_LINE)), tail].join('\n'), kept };
    }
  }
  return { text: truncateMarkdown(more(lines.length), budget), kept: 0 };
}

/** One click to offer: as a button (its label) or, when the buttons do not fit, as a select option (its text and description). */
interface Clickable {
  button: Button;
  id: string;
  label: string;
  option: { label: string; description?: string };
}

/**
 * The reply's own buttons first (a poll's options), then a button per line (Done beside a task), five to a row. Whichever
 * needs more rows than are left gets a select menu in the last row for the rest: Discord allows five rows of five buttons,
 * and a menu of 25 options. Only one menu can appear: the reply's own buttons use one only when they take every row.
 */
function renderComponents(reply: Reply, shownLines: Reply['lines']): ActionRow[] {
  const used = new Set<string>();
  const unique = (button: Button) => {
    const id = customIdFor(button);
    if (!id || used.has(id)) return undefined;
    used.add(id);
    return id;
  };
  const own: Clickable[] = (reply.buttons ?? []).flatMap((button) => {
    const id = unique(button);
    return id ? [{ button, id, label: button.label, option: { label: button.label } }] : [];
  });
  const perLine: Clickable[] = shownLines.flatMap((line) => {
    const id = line.button && unique(line.button);
    if (!line.button || !id) return [];
    // Labels and menu options are plain text: they show the line as written, with no markdown to escape.
    return [{ button: line.button, id, label: lineButtonLabel(line.button.label, line.text), option: { label: line.text, description: line.button.label } }];
  });
  const rows = placeInRows(own, LIMITS.rows, reply.locale);
  return [...rows, ...placeInRows(perLine, LIMITS.rows - rows.length, reply.locale)];
}

/** Buttons five to a row in at most `free` rows; when they need more, the last row is a select menu carrying the rest. */
function placeInRows(items: Clickable[], free: number, locale: Reply['locale']): ActionRow[] {
  if (free <= 0 || items.length === 0) return [];
  const asButtons = items.length <= free * LIMITS.buttonsPerRow ? items : items.slice(0, (free - 1) * LIMITS.buttonsPerRow);
  const rows = chunk(asButtons.map(({ button, id, label }) => buttonComponent(button, id, label)), LIMITS.buttonsPerRow).map(actionRow);
  const rest = items.slice(asButtons.length, asButtons.length + LIMITS.selectOptions);
  if (rest.length === 0) return rows;
  // Select values follow the button convention, so a choice comes back exactly like a click.
  const options: APISelectMenuOption[] = rest.map(({ id, option }) => ({
    label: truncate(option.label, LIMITS.optionLabel),
    value: id,
    ...(option.description && { description: truncate(option.description, LIMITS.optionDescription) }),
  }));
  return [
    ...rows,
    actionRow([
      {
        type: ComponentType.StringSelect,
        custom_id: MORE_SELECT_ID,
        placeholder: truncate(t(locale, 'discord.select.more'), LIMITS.placeholder),
        options,
      },
    ]),
  ];
}

/** A row of five "Done" buttons would not say which task each finishes: name the item (#3) when the line starts with one. */
function lineButtonLabel(label: string, lineText: string): string {
  const item = /^#\d+/.exec(lineText)?.[0];
  return truncate(item ? `${label} ${item}` : `${label}: ${lineText}`, LIMITS.buttonLabel);
}

function buttonComponent(button: Button, customId: string, label: string): APIButtonComponentWithCustomId {
  const style = button.style === 'primary' ? ButtonStyle.Primary : button.style === 'danger' ? ButtonStyle.Danger : ButtonStyle.Secondary;
  return { type: ComponentType.Button, style, custom_id: customId, label: truncate(label, LIMITS.buttonLabel) };
}

function actionRow(components: APIComponentInMessageActionRow[]): ActionRow {
  return { type: ComponentType.ActionRow, components };
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Autocomplete choices for task numbers: `#3 Buy banners`, valued by the number. */
export function renderTaskChoices(suggestions: TaskSuggestion[]): APIApplicationCommandOptionChoice<number>[] {
  return suggestions.slice(0, LIMITS.choices).map((task) => ({ name: truncate(`#${task.number} ${task.title}`, LIMITS.choiceName), value: task.number }));
}

/** Autocomplete choices for a member of any linked workspace: `@Ana (Slack)`, valued by the name the core finds them by. */
export function renderMemberChoices(suggestions: MemberSuggestion[]): APIApplicationCommandOptionChoice<string>[] {
  return suggestions.slice(0, LIMITS.choices).map((member) => ({ name: truncate(member.label, LIMITS.choiceName), value: truncate(member.name, LIMITS.choiceName) }));
}

/** Autocomplete choices for poll numbers: `#2 Where do we meet?`, valued by the number. */
export function renderPollChoices(suggestions: PollSuggestion[]): APIApplicationCommandOptionChoice<number>[] {
  return suggestions.slice(0, LIMITS.choices).map((poll) => ({ name: truncate(`#${poll.number} ${poll.question}`, LIMITS.choiceName), value: poll.number }));
}

/** Autocomplete choices for a vote: the poll's options (`2. Cusco`) whose number or label matches what was typed, valued by position. */
export function renderVoteChoices(poll: PollSuggestion, typed: string): APIApplicationCommandOptionChoice<string>[] {
  const wanted = typed.trim().replace(/^#/, '').toLowerCase();
  return poll.options
    .filter((option) => !wanted || String(option.position).startsWith(wanted) || option.label.toLowerCase().includes(wanted))
    .slice(0, LIMITS.choices)
    .map((option) => ({ name: truncate(`${option.position}. ${option.label}`, LIMITS.choiceName), value: String(option.position) }));
}

/** Characters Discord reads as markup wherever they stand: emphasis, strike, spoilers, code, masked links, mentions. */
const INLINE_MARKUP = new Set(['\\', '*', '_', '~', '`', '|', '[', ']', '<']);

/** An address as Discord's own parser reads one: everything up to a space or `<`, where a backslash would end up in the link. */
const ADDRESS = /https?:\/\/[^\s<]+[^<.,:;"')\]\s]/y;

/**
 * The core's text as Discord markdown, the one way it is made. Every character Discord would read as markup is escaped
 * with a backslash, in text anyone wrote, so a title or an option shows as typed: `[x](https://evil)` is no disguised
 * link, `**`, `||`, `# ` and `> ` format nothing, `<@1>`, `@everyone` and `@here` mention no one (allowed_mentions
 * already keeps them silent). Two marks the core's own messages use are kept: Slack-style `*bold*` (words hugged by one
 * asterisk, which Discord would read as italics) becomes `**bold**`, and `code` between single backticks stays code,
 * where Discord shows everything as written. An address keeps its underscores, as Discord links it. One pass over the text.
 */
export function markdown(text: string): string {
  const next = nextFinder(text);
  // Where single backticks stand, in order: an opening one pairs with the next, as in Discord's parser.
  const ticks: number[] = [];
  for (let i = 0; i < text.length; i++) if (text[i] === '`' && text[i - 1] !== '`' && text[i + 1] !== '`') ticks.push(i);
  let tick = 0;
  let out = '';
  let lineStart = true;
  for (let i = 0; i < text.length; ) {
    const char = text[i]!;
    if (lineStart && (char === ' ' || char === '\t')) {
      out += char;
      i += 1;
      continue;
    }
    const startsLine = lineStart;
    lineStart = char === '\n';
    if (startsLine && startsBlock(text, i)) {
      out += `\\${char}`;
      i += 1;
      continue;
    }
    if (char === '`') {
      while (tick < ticks.length && ticks[tick]! < i) tick += 1;
      const close = ticks[tick] === i ? ticks[tick + 1] : undefined;
      if (close !== undefined) {
        out += text.slice(i, close + 1);
        tick += 2;
        i = close + 1;
        continue;
      }
    }
    const bold = char === '*' ? boldEnd(text, i, next) : undefined;
    if (bold !== undefined) {
      out += `**${escapeAll(text.slice(i + 1, bold))}**`;
      i = bold + 1;
      continue;
    }
    if (char === 'h') {
      ADDRESS.lastIndex = i;
      const address = ADDRESS.exec(text);
      if (address) {
        // An underscore is common in addresses and harmless in one; the rare rest is escaped even there.
        out += address[0].replace(/[\\*~`|[\]]/g, '\\$&');
        i += address[0].length;
        continue;
      }
    }
    out += INLINE_MARKUP.has(char) || (char === '@' && /^@(everyone|here)/i.test(text.slice(i, i + 9))) ? `\\${char}` : char;
    i += 1;
  }
  return out;
}

/** A line that opens a heading (`# `, `## `, `### `), small print (`-# `), a quote (`>`) or a list (`- `, `+ `). */
function startsBlock(text: string, at: number): boolean {
  return /^(#{1,3} |-#|>|[-+] )/.test(text.slice(at, at + 4));
}

/** The core's `*bold*`: an asterisk after a space or the start, words, and the next asterisk on the line before a space, punctuation or the end. */
function boldEnd(text: string, at: number, next: (char: string, from: number) => number): number | undefined {
  const first = text[at + 1];
  if ((at > 0 && !/\s/.test(text[at - 1]!)) || first === undefined || first === '*' || /\s/.test(first)) return undefined;
  const close = next('*', at + 1);
  const lineEnd = next('\n', at + 1);
  if (close < 0 || (lineEnd >= 0 && lineEnd < close) || /\s/.test(text[close - 1]!)) return undefined;
  return close + 1 === text.length || /[\s.,:;!?]/.test(text[close + 1]!) ? close : undefined;
}

/** Inside the core's bold nothing else is markup: every character Discord could read as such is escaped. */
function escapeAll(text: string): string {
  return text.replace(/[\\*_~`|[\]<@]/g, '\\$&');
}


/**
 * The core's text as markdown of at most `max` characters: whole if it fits, else the longest beginning that fits with an
 * ellipsis. Cut before it is made markdown, so a cut never leaves half an escape or a code span without its end.
 */
export function truncateMarkdown(text: string, max: number): string {
  const whole = markdown(text);
  if (whole.length <= max) return whole;
  const chars = [...text];
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (markdown(chars.slice(0, mid).join('')).length + 1 <= max) low = mid;
    else high = mid - 1;
  }
  return `${markdown(chars.slice(0, low).join(''))}…`;
}

/** Cuts to at most `max` UTF-16 units with an ellipsis, never splitting a character. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const char of text) {
    if (out.length + char.length > max - 1) break;
    out += char;
  }
  return `${out}…`;
}
