// Forms as Slack modals, generically: a ReplyForm → a modal view, and a submitted view → the values the core turns into a command. Pure.
import type { types, ViewStateValue } from '@slack/bolt';
import type { FormValues } from '../../src/forms.js';
import { t, type Locale } from '../../src/i18n/index.js';
import type { FormInput, ReplyForm } from '../../src/reply.js';
import { cut } from './text.js';

/** Modal limits: title, submit and close 24 characters; labels 2,000; private_metadata 3,000. */
const TITLE_MAX = 24;
const LABEL_MAX = 2000;
const METADATA_MAX = 3000;

const CALLBACK_PREFIX = 'minga.form:';
export const FORM_CALLBACK = /^minga\.form:/;

/** Every form the core can ask for; a new form id fails to compile here until it is listed. */
const FORM_IDS = { 'task.add': true, 'poll.create': true } satisfies Record<ReplyForm['id'], true>;

/** Where the form was opened from, kept in the modal's private_metadata so the result can be answered there. */
export interface FormOrigin {
  channelId?: string;
  /** The response_url of the command or click that opened the form (valid 30 minutes, 5 posts). */
  responseUrl?: string;
}

function plain(text: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: cut(text, max, false), emoji: true };
}

const CHECKED = 'yes';

function element(input: FormInput, locale: Locale): types.InputBlock['element'] {
  const maxLength = input.maxLength ? { max_length: input.maxLength } : {};
  switch (input.kind) {
    case 'text':
      return { type: 'plain_text_input', action_id: input.id, ...maxLength };
    case 'lines':
      return { type: 'plain_text_input', action_id: input.id, multiline: true, ...maxLength };
    case 'user':
      return { type: 'users_select', action_id: input.id };
    case 'date':
      return { type: 'datepicker', action_id: input.id };
    case 'checkbox':
      // The block's label says what is being switched on; the one box beside it just says yes.
      return { type: 'checkboxes', action_id: input.id, options: [{ text: plain(t(locale, 'slack.form.yes'), LABEL_MAX), value: CHECKED }] };
  }
}

/** The modal for a form; each input is an input block whose block_id and action_id are the input's id. */
export function renderModal(form: ReplyForm, locale: Locale, origin: FormOrigin): types.ModalView {
  return {
    type: 'modal',
    callback_id: `${CALLBACK_PREFIX}${form.id}`,
    title: plain(form.title, TITLE_MAX),
    submit: plain(form.submitLabel, TITLE_MAX),
    close: plain(form.cancelLabel, TITLE_MAX),
    private_metadata: formOrigin(origin),
    blocks: form.inputs.map((input) => ({
      type: 'input',
      block_id: input.id,
      label: plain(input.label, LABEL_MAX),
      // An unticked box is an answer too (no), so a checkbox is never required.
      optional: input.optional === true || input.kind === 'checkbox',
      element: element(input, locale),
    })),
  };
}

function formOrigin(origin: FormOrigin): string {
  const full = JSON.stringify(origin);
  // A response_url is short in practice; should one not fit, the answer still reaches the channel.
  return full.length <= METADATA_MAX ? full : JSON.stringify({ channelId: origin.channelId });
}

/** The form a submitted view belongs to, if it is one of ours. */
export function formIdOf(callbackId: string): ReplyForm['id'] | undefined {
  const id = callbackId.startsWith(CALLBACK_PREFIX) ? callbackId.slice(CALLBACK_PREFIX.length) : '';
  return Object.hasOwn(FORM_IDS, id) ? (id as ReplyForm['id']) : undefined;
}

/** Reads private_metadata back; anything unexpected is treated as no origin. */
export function readFormOrigin(privateMetadata: string): FormOrigin {
  try {
    const parsed = JSON.parse(privateMetadata) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return {};
    const { channelId, responseUrl } = parsed as Record<string, unknown>;
    return {
      ...(typeof channelId === 'string' && channelId && { channelId }),
      ...(typeof responseUrl === 'string' && responseUrl && { responseUrl }),
    };
  } catch {
    return {};
  }
}

/** The submitted values by input id, whatever element each input used: text as typed, a checkbox as true or false. */
export function formValues(state: Record<string, Record<string, ViewStateValue>>): FormValues {
  const values: FormValues = {};
  for (const actions of Object.values(state)) {
    for (const [actionId, value] of Object.entries(actions)) {
      const read = value.type === 'checkboxes' ? (value.selected_options ?? []).some((option) => option.value === CHECKED) : stateValue(value);
      if (read !== undefined) values[actionId] = read;
    }
  }
  return values;
}

function stateValue(value: ViewStateValue): string | undefined {
  const single =
    value.value ?? value.selected_user ?? value.selected_date ?? value.selected_time ?? value.selected_option?.value ??
    value.selected_conversation ?? value.selected_channel;
  if (single) return single;
  const many = value.selected_users ?? value.selected_options?.map((option) => option.value) ?? value.selected_conversations ?? value.selected_channels;
  return many?.length ? many.join(',') : undefined;
}
