// Renders the core's platform-neutral replies as Block Kit messages within Slack's limits. Pure.
import type { types } from '@slack/bolt';
import { t, type Locale } from '../../src/i18n/index.js';
import type { Button, Reply, ReplyField, ReplyLine, ReplySection } from '../../src/reply.js';
import { cutSections, renderLines, type SectionCut } from '../cut-sections.js';
import { cut, escapeMrkdwn, toMrkdwn } from './text.js';

/** Block Kit limits (https://docs.slack.dev/reference/block-kit). */
export const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  fieldsPerSection: 10,
  fieldText: 2000,
  contextText: 3000,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  elementsPerActions: 25,
  selectOptions: 100,
  optionText: 75,
  /** Slack's reference says 150; @slack/types says 75. The smaller is safe either way. */
  optionValue: 75,
  placeholder: 150,
  /** Beyond this many buttons in a row (a poll's options), one menu reads better than a row that wraps. */
  buttonsInRow: 5,
  /** The notification text of a message with blocks; Slack allows more, people read less. */
  fallbackText: 300,
  /**
   * A message's `text`: Slack truncates it beyond this, with a warning
   * (https://api.slack.com/changelog/2018-04-truncating-really-long-messages). A digest's whole text goes there.
   */
  messageText: 40_000,
  /**
   * All of a message's blocks as JSON. Past an undocumented total, chat.postMessage refuses the message
   * (msg_blocks_too_long), however few blocks it has: reports place it between 15,561 and 17,694 characters of JSON (9,597
   * and 11,341 of text; slackapi/bolt-js#2509, #2867). A digest stays below both guesses; its `text` carries the rest.
   */
  blocksJson: 10_000,
  /** A section's title in a long reply (a digest): no longer than a header, so it reads as a title. */
  sectionTitle: 150,
} as const;

/** The action_id of the menu that stands in for many buttons; the chosen option's value says which button it was. */
export const SELECT_ACTION_ID = 'minga.select:buttons';

export interface SlackMessage {
  /** Shown in notifications and by clients that cannot show blocks. */
  text: string;
  blocks: types.KnownBlock[];
  /** No automatic parsing of `text` (chat.update would parse it as a client does): what is written shows as written. */
  parse: 'none';
}

/** A click the core understands: `action_id` is `task.done:42`, unique within the message; `value` repeats the id. */
export function actionIdOf(button: Pick<Button, 'action' | 'value'>): string {
  return `${button.action}:${button.value}`;
}

/** Splits an action_id of ours back into the core's action and value; undefined for anyone else's. */
export function parseActionId(actionId: string): { action: string; value: string } | undefined {
  const match = /^([a-z]+\.[a-z]+):(.*)$/s.exec(actionId);
  return match ? { action: match[1]!, value: match[2]! } : undefined;
}

/** What a block_actions element asks of the core: a button by its action_id; our menu by the chosen option, which carries a button's action_id. */
export function chosenAction(element: { action_id: string; selected_option?: { value?: string } | null }): { action: string; value: string } | undefined {
  if (element.action_id !== SELECT_ACTION_ID) return parseActionId(element.action_id);
  const chosen = element.selected_option?.value;
  return chosen && chosen !== SELECT_ACTION_ID ? parseActionId(chosen) : undefined;
}

export function renderButton(button: Button): types.Button | undefined {
  const actionId = actionIdOf(button);
  // An id that does not fit cannot be clicked correctly: better no button than a wrong one.
  if (actionId.length > LIMITS.actionId || button.value.length > LIMITS.buttonValue) return undefined;
  return {
    type: 'button',
    action_id: actionId,
    value: button.value,
    text: { type: 'plain_text', text: cut(button.label, LIMITS.buttonText, false), emoji: true },
    ...(button.style && { style: button.style }),
  };
}

/** Every mrkdwn text object Minga sends, from text already made mrkdwn (toMrkdwn): verbatim, so Slack adds no links or mentions of its own. */
function mrkdwn(text: string, max: number): types.MrkdwnElement {
  return { type: 'mrkdwn', text: cut(text, max), verbatim: true };
}

function plain(text: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: cut(text, max, false), emoji: true };
}

/** Lines a renderer may lay out: escaped text, the button if it is kept, and the line's part in the reply. */
interface Line {
  text: string;
  button?: types.Button;
  role?: ReplyLine['role'];
}

/** A line that gets a section of its own when there is room: one with a button beside it, or a poll's option with its bar. */
const standsAlone = (line: Line) => line.button !== undefined || line.role === 'option';

/**
 * Lines as blocks: the first `keepAlone` lines that stand alone get a section each (a button beside the line, if any);
 * notes become small print (context); the rest join their neighbours as text, packed up to 3,000 characters a block.
 */
function lineBlocks(lines: Line[], keepAlone: number): (types.SectionBlock | types.ContextBlock)[] {
  const blocks: (types.SectionBlock | types.ContextBlock)[] = [];
  let pending = '';
  let pendingKind: 'text' | 'note' = 'text';
  const flush = () => {
    if (pending && pendingKind === 'note') blocks.push({ type: 'context', elements: [mrkdwn(pending, LIMITS.contextText)] });
    else if (pending) blocks.push({ type: 'section', text: mrkdwn(pending, LIMITS.sectionText) });
    pending = '';
  };
  let kept = 0;
  for (const line of lines) {
    if (line.role !== 'note' && standsAlone(line) && kept < keepAlone) {
      kept += 1;
      flush();
      const button = line.button && { accessory: line.button };
      blocks.push({ type: 'section', text: mrkdwn(line.text, LIMITS.sectionText), ...button });
      continue;
    }
    const kind = line.role === 'note' ? 'note' : 'text';
    const max = kind === 'note' ? LIMITS.contextText : LIMITS.sectionText;
    if (pending && (kind !== pendingKind || `${pending}\n${line.text}`.length > max)) flush();
    pending = pending ? `${pending}\n${line.text}` : line.text;
    pendingKind = kind;
  }
  flush();
  return blocks;
}

function fieldBlocks(fields: ReplyField[]): types.SectionBlock[] {
  const blocks: types.SectionBlock[] = [];
  for (let i = 0; i < fields.length; i += LIMITS.fieldsPerSection) {
    blocks.push({
      type: 'section',
      fields: fields
        .slice(i, i + LIMITS.fieldsPerSection)
        .map((field) => mrkdwn(`*${toMrkdwn(field.label)}*\n${toMrkdwn(field.value)}`, LIMITS.fieldText)),
    });
  }
  return blocks;
}

/**
 * Many buttons as one menu: each option's value is the button's action_id, so a choice comes back like a click. The core
 * offers at most 25 (a poll's options); past Slack's 100 options, or with a value too long to carry, an option is left out.
 */
export function renderSelect(buttons: Button[], locale: Locale): types.StaticSelect | undefined {
  const options = buttons
    .map((button) => ({ text: plain(button.label, LIMITS.optionText), value: actionIdOf(button) }))
    .filter((option) => option.value.length <= LIMITS.optionValue)
    .slice(0, LIMITS.selectOptions);
  if (options.length === 0) return undefined;
  return { type: 'static_select', action_id: SELECT_ACTION_ID, placeholder: plain(t(locale, 'slack.poll.choose'), LIMITS.placeholder), options };
}

/** The reply's own buttons (a poll's options): one row of up to five, else a menu. */
function actionBlocks(buttons: Button[], locale: Locale): types.ActionsBlock[] {
  const elements: types.ActionsBlock['elements'] =
    buttons.length > LIMITS.buttonsInRow
      ? [renderSelect(buttons, locale)].filter((select) => select !== undefined)
      : buttons.map(renderButton).filter((button) => button !== undefined);
  return elements.length ? [{ type: 'actions', elements }] : [];
}

function contextBlock(texts: string[]): types.ContextBlock {
  return { type: 'context', elements: texts.map((text) => mrkdwn(toMrkdwn(text), LIMITS.contextText)) };
}

/** A header is plain text of at most 150 characters; a longer heading (a poll's question may have 300) shows whole, in bold. */
function headingBlocks(heading: string | undefined): types.KnownBlock[] {
  if (!heading) return [];
  if (heading.length <= LIMITS.headerText) return [{ type: 'header', text: plain(heading, LIMITS.headerText) }];
  return [{ type: 'section', text: mrkdwn(`*${toMrkdwn(heading)}*`, LIMITS.sectionText) }];
}

const FENCE = '```';

/**
 * A file's text (a CSV export) as code blocks of whole rows, in at most `room` blocks; how many rows did not fit. What
 * the asker sees when the upload of the file itself failed (see files.ts).
 */
function fileBlocks(content: string, room: number): { blocks: types.SectionBlock[]; hidden: number } {
  const rows = content.replace(/\n$/, '').split('\n');
  // Three backticks in a cell would end the code block early; a zero-width space between them keeps it whole.
  const shown = rows.map((row) => escapeMrkdwn(row).replace(/`(?=``)/g, '`\u200b'));
  const max = LIMITS.sectionText - 2 * FENCE.length - 2;
  const blocks: types.SectionBlock[] = [];
  let chunk: string[] = [];
  let length = 0;
  const flush = () => {
    if (chunk.length) blocks.push({ type: 'section', text: mrkdwn(`${FENCE}\n${chunk.join('\n')}\n${FENCE}`, LIMITS.sectionText) });
    chunk = [];
    length = 0;
  };
  let index = 0;
  for (; index < shown.length; index += 1) {
    const row = cut(shown[index]!, max);
    if (chunk.length && length + 1 + row.length > max) {
      if (blocks.length + 1 >= room) break;
      flush();
    }
    length += (chunk.length ? 1 : 0) + row.length;
    chunk.push(row);
  }
  if (room > 0) flush();
  return { blocks, hidden: room > 0 ? shown.length - index : shown.length };
}

function lineOf(line: ReplyLine, index: number, reply: Reply): Line {
  // Errors stand out with a warning sign; an emoji code, not a word, so it needs no translation.
  const text = toMrkdwn(reply.error && index === 0 ? `:warning: ${line.text}` : line.text);
  const button = line.button && renderButton(line.button);
  return { text, ...(button && { button }), ...(line.role && { role: line.role }) };
}

/**
 * The whole reply as one message of at most 50 blocks. When the lines do not fit, lines standing alone are packed
 * together first (from the last line up: buttons go, the lines stay readable and can be acted on by command), then
 * lines are dropped and counted as "…and N more". A file's text comes after the lines, in the room they leave.
 */
export function renderMessage(reply: Reply): SlackMessage {
  if (reply.sections?.length) return renderSections(reply, reply.sections);
  const head = headingBlocks(reply.heading);
  const tail: types.KnownBlock[] = [...fieldBlocks(reply.fields ?? []), ...actionBlocks(reply.buttons ?? [], reply.locale)];
  const lines = reply.lines.map((line, index) => lineOf(line, index, reply));
  const alone = lines.filter(standsAlone).length;
  const room = LIMITS.blocks - head.length - tail.length - (reply.more ? 1 : 0);

  let body: types.KnownBlock[] = [];
  let hidden = 0;
  for (let keep = alone; keep >= 0; keep -= 1) {
    body = lineBlocks(lines, keep);
    if (body.length <= room) break;
  }
  if (body.length > room) {
    // Even as packed text the lines do not fit: drop lines from the end, leaving room to say how many.
    const roomWithCount = room - (reply.more ? 0 : 1);
    do {
      hidden += 1;
      body = lineBlocks(lines.slice(0, lines.length - hidden), 0);
    } while (body.length > roomWithCount && hidden < lines.length);
  }
  // One block is kept back for the count of rows that may not fit (the reply's own "more" already has its block).
  const file = reply.file ? fileBlocks(reply.file.content, room - body.length - (reply.more ? 0 : 1)) : { blocks: [], hidden: 0 };

  const more = [
    ...[hidden, file.hidden].filter((count) => count > 0).map((count) => t(reply.locale, 'list.more', { count })),
    ...(reply.more ? [reply.more] : []),
  ];
  const blocks = [...head, ...body, ...file.blocks, ...tail, ...(more.length ? [contextBlock(more)] : [])].slice(0, LIMITS.blocks);
  return { text: fallbackText(reply), blocks, parse: 'none' };
}

/** A section as Slack shows it: its title in bold (none for the reply's own lines), its lines, and how many the core left out. */
interface SlackSection {
  title?: string;
  /** The first lines, those that could show (see renderLines). */
  lines: string[];
  /** How many items it has in all: its lines, and those the core left out. */
  items: number;
}

/**
 * A long reply in parts (a digest): the heading as a header, the reply's own lines (the summary), then each section as
 * its bold title over its lines, packed into sections of up to 3,000 characters; a section starts a block of its own,
 * so it stands apart without a divider, and a title costs no block. Within 50 blocks and the total Slack accepts (see
 * LIMITS.blocksJson), cut as cutSections says: the longest lists lose their last lines first, and each list says how
 * many of its items are not shown ("…and N more"), counting those the core left out. Sections beyond the blocks left
 * share the last one. Line buttons are not shown: a long reply is read, and acted on by command. The message's `text`
 * has all of it, for notifications and for clients without blocks.
 */
function renderSections(reply: Reply, parts: ReplySection[]): SlackMessage {
  const head = headingBlocks(reply.heading);
  const tail: types.KnownBlock[] = [
    ...fieldBlocks(reply.fields ?? []),
    ...actionBlocks(reply.buttons ?? [], reply.locale),
    ...(reply.more ? [contextBlock([reply.more])] : []),
  ];
  const more = (count: number) => toMrkdwn(t(reply.locale, 'list.more', { count }));
  const lines = (items: ReplyLine[], render: (line: ReplyLine, index: number) => string) =>
    renderLines(items.map((line, index) => ({ line, index })), ({ line, index }) => cut(render(line, index), LIMITS.sectionText), LIMITS.blocksJson);
  const sections: SlackSection[] = [
    { lines: lines(reply.lines, (line, index) => lineOf(line, index, reply).text), items: reply.lines.length },
    ...parts.map((section) => {
      const title = section.title.trim() && `*${cut(toMrkdwn(section.title.trim()), LIMITS.sectionTitle)}*`;
      return { ...(title && { title }), lines: lines(section.lines, (line) => toMrkdwn(line.text)), items: section.lines.length + (section.hidden ?? 0) };
    }),
  ];
  const room = LIMITS.blocks - head.length - tail.length;

  const body = (plan: SectionCut): types.SectionBlock[] => {
    // The summary has a block of its own when it shows; every section another, the last sharing what remains.
    const last = Math.max(1, room - (sections[0]!.lines.length ? 1 : 0));
    const groups: string[][] = [];
    sections.slice(0, plan.shown).forEach((section, index) => {
      const kept = plan.kept[index] ?? 0;
      const out = section.items - kept;
      (groups[Math.min(index, last)] ??= []).push(...(section.title ? [section.title] : []), ...section.lines.slice(0, kept), ...(out > 0 ? [more(out)] : []));
    });
    const rest = sections.slice(plan.shown).reduce((sum, section) => sum + section.items, 0);
    if (rest > 0) (groups[groups.length - 1] ??= []).push(more(rest));
    return groups.flatMap((lines) => packed(lines).map((text) => ({ type: 'section' as const, text: mrkdwn(text, LIMITS.sectionText) })));
  };
  const fits = (plan: SectionCut) => {
    const blocks = [...head, ...body(plan), ...tail];
    return blocks.length <= LIMITS.blocks && JSON.stringify(blocks).length <= LIMITS.blocksJson;
  };
  const costs = sections.map((section) => section.lines.map((line) => line.length + 1));
  const blocks = [...head, ...body(cutSections(costs, fits, LIMITS.blocksJson)), ...tail].slice(0, LIMITS.blocks);
  return { text: wholeText(reply, parts), blocks, parse: 'none' };
}

/** Lines joined into texts of at most 3,000 characters (each line already fits one); none only blank. */
function packed(lines: string[]): string[] {
  const texts: string[] = [];
  let pending: string | undefined;
  for (const line of lines) {
    if (pending !== undefined && pending.length + 1 + line.length <= LIMITS.sectionText) pending = `${pending}\n${line}`;
    else {
      if (pending !== undefined) texts.push(pending);
      pending = line;
    }
  }
  if (pending !== undefined) texts.push(pending);
  return texts.filter((text) => text.trim() !== '');
}

/** A long reply as one mrkdwn text, all of it: heading, summary, each section's title, lines and the core's own count. */
function wholeText(reply: Reply, parts: ReplySection[]): string {
  const text = [
    ...(reply.heading ? [`*${toMrkdwn(reply.heading)}*`] : []),
    ...reply.lines.map((line, index) => lineOf(line, index, reply).text),
    ...parts.flatMap((section) => [
      '',
      ...(section.title.trim() ? [`*${toMrkdwn(section.title.trim())}*`] : []),
      ...section.lines.map((line) => toMrkdwn(line.text)),
      ...(section.hidden ? [toMrkdwn(t(reply.locale, 'list.more', { count: section.hidden }))] : []),
    ]),
    ...(reply.more ? ['', toMrkdwn(reply.more)] : []),
  ].join('\n');
  return cut(text.trim(), LIMITS.messageText);
}

/** What a notification shows: the heading, or the first line. */
export function fallbackText(reply: Reply): string {
  const first = reply.heading ?? reply.lines[0]?.text ?? reply.more ?? '';
  return cut(toMrkdwn(reply.error ? `:warning: ${first}` : first), LIMITS.fallbackText);
}

/** A reply as an answer on a response_url: seen by the channel when public, else only by the person. Errors are never public. */
export function responseMessage(reply: Reply): SlackMessage & { response_type: 'in_channel' | 'ephemeral' } {
  return { response_type: reply.visibility === 'public' && !reply.error ? 'in_channel' : 'ephemeral', ...renderMessage(reply) };
}
