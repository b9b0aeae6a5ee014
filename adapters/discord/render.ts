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
import type { PollSuggestion } from '../../src/polls.js';
import type { Button, Reply } from '../../src/reply.js';
import type { TaskSuggestion } from '../../src/tasks.js';
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

export function renderMessage(reply: Reply): DiscordMessage {
  const ephemeral = reply.visibility === 'ephemeral' || reply.error === true;
  const files = reply.file ? [{ name: reply.file.name, contentType: reply.file.mimeType, data: Buffer.from(reply.file.content, 'utf8') }] : [];
  if (isShort(reply)) {
    const line = reply.lines[0]!;
    return { content: truncate(markdown(line.text), LIMITS.content), embeds: [], components: renderComponents(reply, reply.lines), ephemeral, files };
  }
  const { embed, shownLines } = renderEmbed(reply);
  return { embeds: [embed], components: renderComponents(reply, shownLines), ephemeral, files };
}

/** One line and nothing else reads best as plain text (confirmations, errors); anything more gets an embed. */
function isShort(reply: Reply): boolean {
  return !reply.heading && !reply.fields?.length && !reply.more && reply.lines.length === 1;
}

function renderEmbed(reply: Reply): { embed: APIEmbed; shownLines: Reply['lines'] } {
  const title = reply.heading ? truncate(markdown(reply.heading), LIMITS.embedTitle) : undefined;
  const footer = reply.more ? truncate(reply.more, LIMITS.footer) : undefined;
  let fields: APIEmbedField[] = (reply.fields ?? []).slice(0, LIMITS.fields).map((field) => ({
    name: truncate(field.label, LIMITS.fieldName),
    value: truncate(markdown(field.value), LIMITS.fieldValue),
    inline: true,
  }));
  const fixed = () => (title?.length ?? 0) + (footer?.length ?? 0) + fields.reduce((sum, f) => sum + f.name.length + f.value.length, 0);
  // Fields are the extras: drop them before the lines lose their room.
  while (fields.length && LIMITS.embedTotal - fixed() < LIMITS.embedDescription / 4) fields = fields.slice(0, -1);
  const budget = Math.min(LIMITS.embedDescription, LIMITS.embedTotal - fixed());
  const fitted = fitLines(
    reply.lines.map((line) => markdown(line.text)),
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

/**
 * Fits lines into `budget` characters: all of them if they fit; else the longest cut to one common length (a long title loses its end);
 * else the first ones that fit, then "…and N more".
 */
export function fitLines(lines: string[], budget: number, more: (count: number) => string): { text: string; kept: number } {
  const size = (cap: number, count = lines.length) =>
    lines.slice(0, count).reduce((sum, line) => sum + Math.min(line.length, cap), 0) + Math.max(0, count - 1);
  const longest = Math.max(0, ...lines.map((line) => line.length));
  if (size(longest) <= budget) return { text: lines.join('\n'), kept: lines.length };
  // The largest per-line length at which every line fits.
  let low = 0;
  let high = longest;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (size(mid) <= budget) low = mid;
    else high = mid - 1;
  }
  if (low >= MIN_LINE) return { text: lines.map((line) => truncate(line, low)).join('\n'), kept: lines.length };
  for (let kept = lines.length - 1; kept >= 0; kept--) {
    const tail = more(lines.length - kept);
    if (size(MIN_LINE, kept) + (kept ? 1 : 0) + tail.length <= budget) {
      return { text: [...lines.slice(0, kept).map((line) => truncate(line, MIN_LINE)), tail].join('\n'), kept };
    }
  }
  return { text: truncate(more(lines.length), budget), kept: 0 };
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
    const text = markdown(line.text);
    return [{ button: line.button, id, label: lineButtonLabel(line.button.label, text), option: { label: text, description: line.button.label } }];
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

/** The core writes Slack's *bold*; Discord reads single asterisks as italics. */
export function markdown(text: string): string {
  // As in Slack: the marks hug the words (`*bold*`), so "2 * 3 * 4" stays arithmetic.
  return text.replace(/(^|\s)\*([^*\s](?:[^*\n]*[^*\s])?)\*(?=$|\s|[.,:;!?])/g, '$1**$2**');
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
