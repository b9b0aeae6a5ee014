// Platform-neutral replies: what the core answers, already in the reader's language, for each adapter to render its own way.
import { t, type Locale } from './i18n/index.js';

/** A click the core understands: `action` names what to do, `value` carries only an id, re-checked against the database. */
export interface Button {
  label: string;
  action: ButtonAction;
  value: string;
  style?: 'primary' | 'danger';
}

export type ButtonAction = 'task.done' | 'task.reopen' | 'poll.vote';

export interface ReplyLine {
  text: string;
  /** A button that acts on this line's item, e.g. Done beside an open task. */
  button?: Button;
  /**
   * What the line is, for renderers that lay lines out by their part (an option on a line or block of its own, notes in
   * small print): a side note such as a poll's marks, or one of a poll's options. Unset: plain text.
   */
  role?: 'note' | 'option';
}

export interface ReplyField {
  label: string;
  value: string;
}

/** A form to fill (a Slack modal; elsewhere the command's text form). */
export interface ReplyForm {
  /** Which command the submitted form becomes (see `formCommand`). */
  id: 'task.add' | 'poll.create';
  title: string;
  submitLabel: string;
  cancelLabel: string;
  inputs: FormInput[];
}

export interface FormInput {
  id: string;
  label: string;
  /** `lines`: several lines of text (one item per line); `checkbox`: yes or no. */
  kind: 'text' | 'lines' | 'user' | 'date' | 'checkbox';
  optional?: boolean;
  maxLength?: number;
}

/** A titled part of a long reply (a digest's overdue tasks, its decisions), each laid out on its own by renderers. */
export interface ReplySection {
  title: string;
  lines: ReplyLine[];
  /**
   * How many items of the section's list the core left out. Renderers say "…and N more" (`list.more`) in the reply's
   * language, adding the lines they must drop themselves to fit the platform, so the count is always the whole rest.
   */
  hidden?: number;
}

export interface Reply {
  /** Ephemeral replies are seen only by the person who asked; public ones by the whole channel. */
  visibility: 'ephemeral' | 'public';
  locale: Locale;
  heading?: string;
  lines: ReplyLine[];
  fields?: ReplyField[];
  /** Parts after the lines, in order (a digest); renderers cut them to the platform's limits, counting what they leave out. */
  sections?: ReplySection[];
  buttons?: Button[];
  /** Set when a list was cut: how many items did not fit, already worded as "…and N more". */
  more?: string;
  form?: ReplyForm;
  /** Marks an error reply, so adapters can style it and never post it publicly. */
  error?: boolean;
  /** A file to hand over (a CSV export); platforms that cannot attach files show its text. */
  file?: { name: string; mimeType: string; content: string };
}

export function textReply(locale: Locale, text: string, visibility: Reply['visibility'] = 'ephemeral'): Reply {
  return { visibility, locale, lines: [{ text }] };
}

/** Every text of a reply, in reading order: for plain-text renderers and for tests. */
export function replyTexts(reply: Reply): string[] {
  return [
    ...(reply.heading ? [reply.heading] : []),
    ...reply.lines.map((line) => line.text),
    ...(reply.fields ?? []).map((field) => `${field.label}: ${field.value}`),
    ...(reply.sections ?? []).flatMap((section) => [section.title, ...section.lines.map((line) => line.text), ...(section.hidden ? [t(reply.locale, 'list.more', { count: section.hidden })] : [])]),
    ...(reply.more ? [reply.more] : []),
  ];
}
