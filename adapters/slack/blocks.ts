// Renders the core's platform-neutral replies as Block Kit messages within Slack's limits. Pure.
import type { types } from '@slack/bolt';
import { t } from '../../src/i18n/index.js';
import type { Button, Reply, ReplyField, ReplyLine } from '../../src/reply.js';
import { cut, toMrkdwn } from './text.js';

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
  /** The notification text of a message with blocks; Slack allows more, people read less. */
  fallbackText: 300,
} as const;

export interface SlackMessage {
  /** Shown in notifications and by clients that cannot show blocks. */
  text: string;
  blocks: types.KnownBlock[];
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

function mrkdwn(text: string, max: number): types.MrkdwnElement {
  return { type: 'mrkdwn', text: cut(text, max) };
}

/** Lines a renderer may lay out: escaped text, and the button if it is kept. */
interface Line {
  text: string;
  button?: types.Button;
}

/**
 * Lines as sections: each line with a button is a section with the button beside it; the first `keepButtons`
 * such lines keep theirs, the rest join their neighbours as plain text, packed up to 3,000 characters a section.
 */
function lineBlocks(lines: Line[], keepButtons: number): types.SectionBlock[] {
  const blocks: types.SectionBlock[] = [];
  let text = '';
  const flush = () => {
    if (text) blocks.push({ type: 'section', text: mrkdwn(text, LIMITS.sectionText) });
    text = '';
  };
  let kept = 0;
  for (const line of lines) {
    if (line.button && kept < keepButtons) {
      kept += 1;
      flush();
      blocks.push({ type: 'section', text: mrkdwn(line.text, LIMITS.sectionText), accessory: line.button });
      continue;
    }
    const joined = text ? `${text}\n${line.text}` : line.text;
    if (text && joined.length > LIMITS.sectionText) {
      flush();
      text = line.text;
    } else text = joined;
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

function actionBlocks(buttons: Button[]): types.ActionsBlock[] {
  const elements = buttons.map(renderButton).filter((button) => button !== undefined);
  const blocks: types.ActionsBlock[] = [];
  for (let i = 0; i < elements.length; i += LIMITS.elementsPerActions) {
    blocks.push({ type: 'actions', elements: elements.slice(i, i + LIMITS.elementsPerActions) });
  }
  return blocks;
}

function contextBlock(texts: string[]): types.ContextBlock {
  return { type: 'context', elements: texts.map((text) => mrkdwn(toMrkdwn(text), LIMITS.contextText)) };
}

function lineOf(line: ReplyLine, index: number, reply: Reply): Line {
  // Errors stand out with a warning sign; an emoji code, not a word, so it needs no translation.
  const text = toMrkdwn(reply.error && index === 0 ? `:warning: ${line.text}` : line.text);
  const button = line.button && renderButton(line.button);
  return { text, ...(button && { button }) };
}

/**
 * The whole reply as one message of at most 50 blocks. When the lines do not fit, buttons go first (from the last
 * line up: those lines stay readable and can be acted on by command), then lines, counted as "…and N more".
 */
export function renderMessage(reply: Reply): SlackMessage {
  const head: types.KnownBlock[] = reply.heading
    ? [{ type: 'header', text: { type: 'plain_text', text: cut(reply.heading, LIMITS.headerText, false), emoji: true } }]
    : [];
  const tail: types.KnownBlock[] = [...fieldBlocks(reply.fields ?? []), ...actionBlocks(reply.buttons ?? [])];
  const lines = reply.lines.map((line, index) => lineOf(line, index, reply));
  const withButtons = lines.filter((line) => line.button).length;
  const room = LIMITS.blocks - head.length - tail.length - (reply.more ? 1 : 0);

  let body: types.SectionBlock[] = [];
  let hidden = 0;
  for (let keep = withButtons; keep >= 0; keep -= 1) {
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

  const more = [...(hidden > 0 ? [t(reply.locale, 'list.more', { count: hidden })] : []), ...(reply.more ? [reply.more] : [])];
  const blocks = [...head, ...body, ...tail, ...(more.length ? [contextBlock(more)] : [])].slice(0, LIMITS.blocks);
  return { text: fallbackText(reply), blocks };
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
