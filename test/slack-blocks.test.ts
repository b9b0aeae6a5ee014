// The Slack renderers, pure: replies as Block Kit within Slack's limits, forms as modals and back, and Slack's text conventions.
import { describe, expect, it } from 'vitest';
import { actionIdOf, chosenAction, LIMITS, parseActionId, renderMessage, responseMessage, SELECT_ACTION_ID, type SlackMessage } from '../adapters/slack/blocks.js';
import { formIdOf, formValues, readFormOrigin, renderModal } from '../adapters/slack/modal.js';
import { cut, fromSlackText, mentionedChannels, mentionedUsers, toMrkdwn } from '../adapters/slack/text.js';
import { renderPoll } from '../src/render/polls.js';
import type { Reply, ReplyForm, ReplyLine } from '../src/reply.js';
import { samplePollView } from './support/poll-fixtures.js';

const reply = (overrides: Partial<Reply> = {}): Reply => ({ visibility: 'ephemeral', locale: 'en', lines: [], ...overrides });
const taskLine = (n: number, text = `#${n} Task number ${n}`): ReplyLine => ({
  text,
  button: { label: 'Done', action: 'task.done', value: String(1000 + n), style: 'primary' },
});

describe('renderMessage', () => {
  it('GIVEN a heading, lines and fields THEN a header, one packed section and a fields section', () => {
    const message = renderMessage(
      reply({ heading: 'Task #1 added', lines: [{ text: 'first' }, { text: 'second' }], fields: [{ label: 'Due', value: 'Tue, Dec 1' }] }),
    );
    expect(message).toEqual({
      parse: 'none',
      text: 'Task #1 added',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Task #1 added', emoji: true } },
        { type: 'section', text: { type: 'mrkdwn', verbatim: true, text: 'first\nsecond' } },
        { type: 'section', fields: [{ type: 'mrkdwn', verbatim: true, text: '*Due*\nTue, Dec 1' }] },
      ],
    });
  });

  it('GIVEN a task list THEN each open task is a section with its Done button: action_id task.done:<id>, value <id>', () => {
    const message = renderMessage(reply({ heading: 'Open tasks', lines: [taskLine(1), { text: '#2 Finished · done' }] }));
    expect(message.blocks[1]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', verbatim: true, text: '#1 Task number 1' },
      accessory: { type: 'button', action_id: 'task.done:1001', value: '1001', text: { type: 'plain_text', text: 'Done', emoji: true }, style: 'primary' },
    });
    expect(message.blocks[2]).toEqual({ type: 'section', text: { type: 'mrkdwn', verbatim: true, text: '#2 Finished · done' } });
  });

  it('GIVEN the reply\'s own "…and N more" THEN it closes the message as context', () => {
    const message = renderMessage(reply({ lines: [{ text: 'one' }], more: '…and 7 more' }));
    expect(message.blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', verbatim: true, text: '…and 7 more' }] });
  });

  it('GIVEN 50 tasks with buttons, a heading and a "more" THEN it stays within 50 blocks, the last tasks lose their buttons but stay listed', () => {
    const lines = Array.from({ length: 50 }, (_, i) => taskLine(i + 1));
    const message = renderMessage(reply({ heading: 'Open tasks', lines, more: '…and 12 more' }));
    expect(message.blocks).toHaveLength(LIMITS.blocks);
    const sections = message.blocks.filter((block) => block.type === 'section');
    const withButtons = sections.filter((block) => 'accessory' in block);
    expect(withButtons).toHaveLength(47);
    const allText = sections.map((block) => (block.type === 'section' ? block.text?.text : '')).join('\n');
    for (let n = 1; n <= 50; n += 1) expect(allText).toContain(`#${n} Task number ${n}`);
    expect(message.blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', verbatim: true, text: '…and 12 more' }] });
  });

  it('GIVEN more lines than 50 sections can hold THEN the rest is cut and counted with "and N more" in the reader\'s language', () => {
    const long = 'x'.repeat(2900);
    const lines = Array.from({ length: 60 }, (_, i) => ({ text: `${i} ${long}` }));
    const message = renderMessage(reply({ locale: 'es', lines }));
    expect(message.blocks).toHaveLength(LIMITS.blocks);
    expect(message.blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', verbatim: true, text: '…y 11 más' }] });
  });

  it('GIVEN text over the limits THEN section text stops at 3,000 and button text at 75 characters, with an ellipsis', () => {
    const message = renderMessage(
      reply({ heading: 'h'.repeat(150), lines: [{ text: 'a'.repeat(3500), button: { label: 'b'.repeat(100), action: 'task.done', value: '1' } }] }),
    );
    const [header, section] = message.blocks;
    expect(header?.type === 'header' && header.text.text.length).toBe(LIMITS.headerText);
    if (section?.type !== 'section' || section.accessory?.type !== 'button') throw new Error('expected a section with a button');
    expect(section.text?.text).toHaveLength(LIMITS.sectionText);
    expect(section.text?.text.endsWith('…')).toBe(true);
    expect(section.accessory.text.text).toHaveLength(LIMITS.buttonText);
  });

  it('GIVEN a button whose action_id would pass 255 characters THEN it is left out rather than cut into another id', () => {
    const message = renderMessage(reply({ lines: [{ text: 'x', button: { label: 'Go', action: 'task.done', value: '9'.repeat(300) } }] }));
    expect(message.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', verbatim: true, text: 'x' } }]);
  });

  it('GIVEN a heading longer than a header may be THEN it is shown whole, in bold, as a section', () => {
    const heading = `Poll #1: ${'Should we '.repeat(29)}go?`;
    expect(renderMessage(reply({ heading })).blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', verbatim: true, text: `*${heading}*` } }]);
  });

  it('GIVEN many reply buttons THEN one menu of at most 100 options, each valued with its button\'s action_id', () => {
    const buttons = Array.from({ length: 120 }, (_, i) => ({ label: `Option ${i}`, action: 'task.reopen' as const, value: String(i) }));
    const blocks = renderMessage(reply({ lines: [{ text: 'Choose' }], buttons })).blocks;
    expect(blocks.map((block) => block.type)).toEqual(['section', 'actions']);
    const [menu, ...others] = blocks[1]!.type === 'actions' ? blocks[1]!.elements : [];
    expect(others).toEqual([]);
    if (menu?.type !== 'static_select') throw new Error('expected a static select');
    expect(menu.action_id).toBe(SELECT_ACTION_ID);
    expect(menu.options).toHaveLength(LIMITS.selectOptions);
    expect(menu.options?.[99]).toEqual({ text: { type: 'plain_text', text: 'Option 99', emoji: true }, value: 'task.reopen:99' });
  });

  it('GIVEN a task title with Slack markup THEN it shows as typed: no disguised link, no ping, no mention', () => {
    const typed = 'Ask <!channel> <!everyone> @here @channel & <https://evil.example|here> · @U0BOB1 · <@U0ANA1|ana>';
    const message = renderMessage(reply({ visibility: 'public', lines: [{ text: `Task #1 added: ${typed}` }] }));
    // The address still works as a link, but only as itself: the label "here" stays outside it, as text.
    const shown = 'Ask &lt;!channel&gt; &lt;!everyone&gt; @here @channel &amp; &lt;<https://evil.example>|here&gt; · @U0BOB1 · &lt;@U0ANA1|ana&gt;';
    expect(message).toEqual({
      text: `Task #1 added: ${shown}`,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', verbatim: true, text: `Task #1 added: ${shown}` } }],
      parse: 'none',
    });
  });

  it('GIVEN user text in fields, headings, notes and polls THEN every mrkdwn text is escaped and verbatim', () => {
    const evil = '<!here> @everyone <https://evil.example|bank>';
    const message = renderMessage(
      reply({
        heading: `${evil} ${'x'.repeat(LIMITS.headerText)}`,
        lines: [{ text: evil, role: 'note' }, { text: evil, role: 'option' }, { text: evil }],
        fields: [{ label: evil, value: evil }],
        more: evil,
      }),
    );
    const texts = JSON.stringify(message.blocks).match(/"type":"mrkdwn"[^}]*}/g) ?? [];
    expect(texts.length).toBeGreaterThan(4);
    // Slack markup would be `<!here>`, `<@U1>`, `<#C1>` or a link with a label `<https://…|bank>`: none may be left.
    const markup = /<[!@#]|<[^>]*\|/;
    for (const text of texts) {
      expect(text).toContain('"verbatim":true');
      expect(text).not.toMatch(markup);
    }
    expect(message.text).not.toMatch(markup);
  });

  it('GIVEN an address in text THEN it is a link that shows the address itself, and Slack markup inside stays text', () => {
    expect(toMrkdwn('See https://example.org/a?b=1&c=2, or <https://evil.example|bank>.')).toBe(
      'See <https://example.org/a?b=1&amp;c=2>, or &lt;<https://evil.example>|bank&gt;.',
    );
  });

  it('GIVEN an error THEN it is marked with a warning sign and never posted to the channel', () => {
    const error = reply({ visibility: 'public', error: true, lines: [{ text: 'There is no task #9 in this alliance.' }] });
    expect(responseMessage(error)).toMatchObject({
      response_type: 'ephemeral',
      text: ':warning: There is no task #9 in this alliance.',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', verbatim: true, text: ':warning: There is no task #9 in this alliance.' } }],
    });
    expect(responseMessage(reply({ visibility: 'public', lines: [{ text: 'ok' }] })).response_type).toBe('in_channel');
  });
});

/** A poll as the core sees it: open, 3 of 4 members voted, unless told otherwise. */
const pollView = (options: Parameters<typeof samplePollView>[1] = {}) => samplePollView('slack:T1:C1', options);

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', verbatim: true, text } });
const voteButton = (position: number, label: string) => ({
  type: 'button',
  action_id: `poll.vote:7-${position}`,
  value: `7-${position}`,
  text: { type: 'plain_text', text: label, emoji: true },
});
const elementsOf = (message: SlackMessage) => message.blocks.flatMap((block) => (block.type === 'actions' ? block.elements : []));

describe('polls as Slack messages', () => {
  it('GIVEN an open anonymous poll with a deadline THEN a header, the marks in small print, a section per option with its bar, and a button per option', () => {
    const message = renderMessage(renderPoll(pollView({ poll: { anonymous: true, closesAt: new Date('2026-12-01T18:00:00Z') } }), 'en', 'UTC'));
    expect(message).toEqual({
      parse: 'none',
      text: 'Poll #3: Where do we meet?',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Poll #3: Where do we meet?', emoji: true } },
        { type: 'context', elements: [{ type: 'mrkdwn', verbatim: true, text: 'Anonymous: only counts are shown, never who chose what.\nChoose one.\nCloses Tue, Dec 1, 18:00.' }] },
        section('1. Lima  ███████░░░ 2 (67%)'),
        section('2. Cusco  ███░░░░░░░ 1 (33%)'),
        section('3. Arequipa  ░░░░░░░░░░ 0 (0%)'),
        section('Turnout: 3 of 4 members (75%).\nTo vote: the buttons or menu here, or `vote 3 &lt;option&gt;`.'),
        { type: 'actions', elements: [voteButton(1, 'Lima'), voteButton(2, 'Cusco'), voteButton(3, 'Arequipa')] },
      ],
    });
  });

  it('GIVEN a proposal in Spanish THEN four buttons in the reader\'s words, agree as primary and block as danger', () => {
    const message = renderMessage(renderPoll(pollView({ labels: ['agree', 'abstain', 'disagree', 'block'], codes: true }), 'es', 'UTC'));
    expect(elementsOf(message).map((element) => (element.type === 'button' ? [element.text.text, element.style] : element.type))).toEqual([
      ['De acuerdo', 'primary'],
      ['Me abstengo', undefined],
      ['En desacuerdo', undefined],
      ['Bloqueo', 'danger'],
    ]);
  });

  it('GIVEN five options THEN five buttons; GIVEN six or more THEN a section per option still, and one menu instead of buttons', () => {
    const five = renderMessage(renderPoll(pollView({ labels: ['a', 'b', 'c', 'd', 'e'] }), 'en', 'UTC'));
    expect(elementsOf(five).map((element) => element.type)).toEqual(Array(5).fill('button'));

    const labels = ['Lima', 'Cusco', 'Arequipa', 'Quito', 'Bogotá', 'La Paz', 'Santiago', 'Asunción'];
    const eight = renderMessage(renderPoll(pollView({ labels }), 'es', 'UTC'));
    expect(eight.blocks.filter((block) => block.type === 'section').map((block) => (block.type === 'section' ? block.text?.text : '')).slice(0, 8)).toEqual(
      labels.map((label, i) => expect.stringMatching(new RegExp(`^${i + 1}\\. ${label}  [█░]{10} \\d+ \\(\\d+%\\)$`))),
    );
    expect(elementsOf(eight)).toEqual([
      {
        type: 'static_select',
        action_id: SELECT_ACTION_ID,
        placeholder: { type: 'plain_text', text: 'Elige una opción', emoji: true },
        options: labels.map((label, i) => ({ text: { type: 'plain_text', text: label, emoji: true }, value: `poll.vote:7-${i + 1}` })),
      },
    ]);
  });

  it('GIVEN the largest poll the core allows THEN every Block Kit limit holds and the question shows whole', () => {
    const labels = Array.from({ length: 25 }, (_, i) => `${String(i + 1).padStart(2, '0')} ${'x'.repeat(72)}`);
    const question = 'q'.repeat(300);
    const message = renderMessage(
      renderPoll(pollView({ labels, poll: { question, maxChoices: 3, hideResults: true, closesAt: new Date('2026-12-01T18:00:00Z') } }), 'en', 'UTC'),
    );
    expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
    expect(message.blocks[0]).toEqual(section(`*Poll #3: ${question}*`));
    const texts = message.blocks.flatMap((block) => (block.type === 'section' ? [block.text?.text ?? ''] : []));
    expect(texts.every((text) => text.length <= LIMITS.sectionText)).toBe(true);
    expect(texts.filter((text) => /^\d+\. \d\d x+$/.test(text))).toHaveLength(25);
    const [menu] = elementsOf(message);
    if (menu?.type !== 'static_select' || !menu.options) throw new Error('expected a static select');
    expect(menu.options).toHaveLength(25);
    expect(menu.options.every((option) => option.text.text.length <= LIMITS.optionText && (option.value ?? '').length <= LIMITS.optionValue)).toBe(true);
  });

  it('GIVEN a closed poll THEN no actions block: the outcome stands where the buttons were', () => {
    const view = pollView({ poll: { status: 'closed', closedAt: new Date('2026-11-28T09:00:00Z') } });
    const message = renderMessage(renderPoll(view, 'en', 'UTC'));
    expect(message.blocks.some((block) => block.type === 'actions')).toBe(false);
    expect(message.blocks.slice(1)).toEqual([
      { type: 'context', elements: [{ type: 'mrkdwn', verbatim: true, text: 'Closed Sat, Nov 28, 09:00.' }] },
      section('1. Lima  ███████░░░ 2 (67%)'),
      section('2. Cusco  ███░░░░░░░ 1 (33%)'),
      section('3. Arequipa  ░░░░░░░░░░ 0 (0%)'),
      section('Turnout: 3 of 4 members (75%).\nOutcome: Lima, with 2 of 3 votes.'),
    ]);
  });
});

describe('files', () => {
  const csv = (rows: string[]) => reply({ heading: 'Poll #3: Where?', file: { name: 'poll-3.csv', mimeType: 'text/csv', content: `${rows.join('\n')}\n` } });

  it('GIVEN a CSV export that fits THEN it is shown as one code block, escaped, that no cell can close early', () => {
    const message = renderMessage(csv(['number,option,votes', '1,R&D <lab>,2', '2,```drop```,0']));
    expect(message.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Poll #3: Where?', emoji: true } },
      section('```\nnumber,option,votes\n1,R&amp;D &lt;lab&gt;,2\n2,`\u200b``drop`\u200b``,0\n```'),
    ]);
  });

  it('GIVEN a CSV longer than a message can hold THEN whole rows in code blocks up to 50 blocks, and the rest counted in the reader\'s language', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `voter ${String(i).padStart(4, '0')},1,${'x'.repeat(20)}`);
    const message = renderMessage({ ...csv(rows), locale: 'es' });
    expect(message.blocks).toHaveLength(LIMITS.blocks);
    const code = message.blocks.slice(1, -1).map((block) => (block.type === 'section' ? block.text?.text ?? '' : ''));
    expect(code.every((text) => text.startsWith('```\n') && text.endsWith('\n```') && text.length <= LIMITS.sectionText)).toBe(true);
    const shown = code.flatMap((text) => text.slice(4, -4).split('\n'));
    expect(shown).toEqual(rows.slice(0, shown.length));
    expect(message.blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', verbatim: true, text: `…y ${rows.length - shown.length} más` }] });
  });
});

describe('action ids', () => {
  it('GIVEN a button THEN its action_id splits back into the core\'s action and value; anyone else\'s does not', () => {
    expect(actionIdOf({ action: 'poll.vote', value: '12-3' })).toBe('poll.vote:12-3');
    expect(parseActionId('poll.vote:12-3')).toEqual({ action: 'poll.vote', value: '12-3' });
    expect(parseActionId('task.done:')).toEqual({ action: 'task.done', value: '' });
    expect(parseActionId('vote')).toBeUndefined();
    expect(parseActionId('Task.Done:1')).toBeUndefined();
  });

  it('GIVEN a choice in our menu THEN it stands for the button its value names; a button stands for its own action_id', () => {
    expect(chosenAction({ action_id: SELECT_ACTION_ID, selected_option: { value: 'poll.vote:12-7' } })).toEqual({ action: 'poll.vote', value: '12-7' });
    expect(chosenAction({ action_id: 'poll.vote:12-3' })).toEqual({ action: 'poll.vote', value: '12-3' });
    expect(chosenAction({ action_id: SELECT_ACTION_ID, selected_option: null })).toBeUndefined();
    expect(chosenAction({ action_id: SELECT_ACTION_ID, selected_option: { value: SELECT_ACTION_ID } })).toBeUndefined();
    expect(chosenAction({ action_id: SELECT_ACTION_ID, selected_option: { value: 'someone else' } })).toBeUndefined();
  });
});

describe('modals', () => {
  const form: ReplyForm = {
    id: 'poll.create',
    title: 'A title longer than twenty-four characters',
    submitLabel: 'Post poll',
    cancelLabel: 'Cancel',
    inputs: [
      { id: 'question', label: 'Question', kind: 'text', maxLength: 300 },
      { id: 'options', label: 'Options, one per line', kind: 'lines' },
      { id: 'anonymous', label: 'Anonymous ballots', kind: 'checkbox', optional: true },
      { id: 'who', label: 'Assign to', kind: 'user', optional: true },
      { id: 'when', label: 'Due date', kind: 'date', optional: true },
    ],
  };

  it('GIVEN a form THEN a modal with one input block per input, the form id in callback_id and where it came from in metadata', () => {
    const modal = renderModal(form, 'es', { channelId: 'C1', responseUrl: 'https://hooks.slack.com/commands/1' });
    expect(modal.callback_id).toBe('minga.form:poll.create');
    expect(modal.title.text).toHaveLength(24);
    expect(readFormOrigin(modal.private_metadata!)).toEqual({ channelId: 'C1', responseUrl: 'https://hooks.slack.com/commands/1' });
    expect(modal.blocks.map((block) => ('element' in block ? [block.block_id, block.optional, block.element.type] : block.type))).toEqual([
      ['question', false, 'plain_text_input'],
      ['options', false, 'plain_text_input'],
      ['anonymous', true, 'checkboxes'],
      ['who', true, 'users_select'],
      ['when', true, 'datepicker'],
    ]);
    expect(modal.blocks[1]).toMatchObject({ element: { multiline: true } });
    expect(modal.blocks[2]).toMatchObject({ element: { options: [{ text: { text: 'Sí' }, value: 'yes' }] } });
  });

  it('GIVEN a submitted view THEN each input\'s value by id: text as typed, checkboxes as true or false, empty ones absent', () => {
    expect(
      formValues({
        question: { question: { type: 'plain_text_input', value: 'Where do we meet?' } },
        options: { options: { type: 'plain_text_input', value: 'Lima\nQuito' } },
        anonymous: { anonymous: { type: 'checkboxes', selected_options: [{ text: { type: 'plain_text', text: 'Sí' }, value: 'yes' }] } },
        hide: { hide: { type: 'checkboxes', selected_options: [] } },
        who: { who: { type: 'users_select', selected_user: 'U0BOB1' } },
        when: { when: { type: 'datepicker', selected_date: null } },
      }),
    ).toEqual({ question: 'Where do we meet?', options: 'Lima\nQuito', anonymous: true, hide: false, who: 'U0BOB1' });
  });

  it('GIVEN callback ids and metadata from the wire THEN only our forms are recognised and odd metadata means no origin', () => {
    expect(formIdOf('minga.form:task.add')).toBe('task.add');
    expect(formIdOf('minga.form:toString')).toBeUndefined();
    expect(formIdOf('other')).toBeUndefined();
    expect(readFormOrigin('not json')).toEqual({});
    expect(readFormOrigin('{"channelId":42}')).toEqual({});
  });
});

describe('Slack text', () => {
  it('GIVEN an escaped slash command THEN the text the person typed, mentions kept for the parser', () => {
    expect(fromSlackText('task add R&amp;D &lt;draft&gt; in <#C123|general> see <https://x.org|x.org> <@U0BOB1|bob>')).toBe(
      'task add R&D <draft> in #general see https://x.org <@U0BOB1|bob>',
    );
    expect(fromSlackText('ping <!here> and <!subteam^S1|@comms>')).toBe('ping @here and @comms');
  });

  it('GIVEN mentions THEN the users they name are listed last first, each once, at most as many as asked', () => {
    const text = 'task add Call <@U0BOB1> and <@U0ANA1|ana> <@U0BOB1> <@W0ROSA1|rosa> <#C1> <@123>';
    expect(mentionedUsers(text, 5)).toEqual(['W0ROSA1', 'U0BOB1', 'U0ANA1']);
    expect(mentionedUsers(text, 1)).toEqual(['W0ROSA1']);
  });

  it('GIVEN channel mentions as Slack escapes them THEN each channel is listed once with its name; typed markup is no mention', () => {
    const escaped = 'remind <#C024BE7LR|general> in 1 hour <#C0OTHER1|> <#G0PRIV1> <#C024BE7LR|general> &lt;#C0TYPED1|fake&gt;';
    expect(mentionedChannels(escaped, 5)).toEqual([{ id: 'C024BE7LR', name: 'general' }, { id: 'C0OTHER1' }, { id: 'G0PRIV1' }]);
    expect(mentionedChannels(escaped, 1)).toEqual([{ id: 'C024BE7LR', name: 'general' }]);
    expect(fromSlackText(escaped)).toBe('remind #general in 1 hour #C0OTHER1 #G0PRIV1 #general <#C0TYPED1|fake>');
  });

  it('GIVEN words that look like ids or mentions THEN they stay words: only Slack makes mentions', () => {
    expect(toMrkdwn('@UNICEF and @UNESCO with @U0ANA1 and <@U0ANA1>')).toBe('@UNICEF and @UNESCO with @U0ANA1 and &lt;@U0ANA1&gt;');
  });

  it('GIVEN a cut in the middle of an entity or an emoji THEN neither is split', () => {
    expect(cut('abc &amp; def', 7)).toBe('abc …');
    expect(cut('ab😀cd', 4, false)).toBe('ab…');
  });
});
