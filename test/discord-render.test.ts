// Discord rendering, pure: every reply the core produces as content or an embed with buttons and a select menu, within Discord's limits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCustomId } from '../adapters/discord/custom-ids.js';
import { fitLines, LIMITS, markdown, renderMessage, renderPollChoices, renderTaskChoices, renderVoteChoices, truncate, truncateMarkdown, type DiscordMessage } from '../adapters/discord/render.js';
import { renderPoll } from '../src/render/polls.js';
import type { Reply, ReplyLine } from '../src/reply.js';
import { samplePollView } from './support/poll-fixtures.js';

/** A task list as the core renders it: one line per task, a Done button on each open one. */
function taskList(count: number, options: { title?: (n: number) => string; locale?: 'en' | 'es'; more?: string } = {}): Reply {
  const lines: ReplyLine[] = Array.from({ length: count }, (_, i) => ({
    text: `#${i + 1} ${options.title?.(i + 1) ?? `Task ${i + 1}`}`,
    button: { label: 'Done', action: 'task.done', value: String(1000 + i + 1), style: 'primary' },
  }));
  return { visibility: 'ephemeral', locale: options.locale ?? 'en', heading: 'Open tasks', lines, ...(options.more && { more: options.more }) };
}

const buttons = (message: DiscordMessage) => message.components.flatMap((row) => row.components).filter((c) => c.type === 2);
const selects = (message: DiscordMessage) => message.components.flatMap((row) => row.components).filter((c) => c.type === 3);
const embedSize = (message: DiscordMessage) =>
  message.embeds.reduce(
    (sum, e) => sum + (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((s, f) => s + f.name.length + f.value.length, 0),
    0,
  );

describe('rendering a reply for Discord', () => {
  it('GIVEN a one-line confirmation THEN it is plain public content, no embed', () => {
    const message = renderMessage({ visibility: 'public', locale: 'en', lines: [{ text: 'Task #3 done: Buy banners' }] });
    expect(message).toEqual({ content: 'Task #3 done: Buy banners', embeds: [], components: [], ephemeral: false, files: [] });
  });

  it('GIVEN a reply with a file THEN the file is attached as it is', () => {
    const message = renderMessage({
      visibility: 'ephemeral',
      locale: 'es',
      lines: [{ text: 'Resultados de la votación #2' }],
      file: { name: 'poll-2.csv', mimeType: 'text/csv', content: 'opción,votos\nsí,3\n' },
    });
    expect(message.files).toEqual([{ name: 'poll-2.csv', contentType: 'text/csv', data: Buffer.from('opción,votos\nsí,3\n') }]);
  });

  it('GIVEN an error THEN it is private even if the reply says public', () => {
    const message = renderMessage({ visibility: 'public', locale: 'en', error: true, lines: [{ text: 'Only a coordinator may do that.' }] });
    expect(message.ephemeral).toBe(true);
    expect(message.content).toBe('Only a coordinator may do that.');
  });

  it('GIVEN a heading, lines and fields THEN one embed with title, description and inline fields', () => {
    const message = renderMessage({
      visibility: 'public',
      locale: 'en',
      heading: 'Minga: what I can do',
      lines: [{ text: '*Tasks*' }, { text: '• `task add <title>`: add a task' }],
      fields: [{ label: 'Due', value: 'Fri, Nov 27' }],
    });
    expect(message.content).toBeUndefined();
    expect(message.embeds).toEqual([
      expect.objectContaining({
        title: 'Minga: what I can do',
        description: '**Tasks**\n• `task add <title>`: add a task',
        fields: [{ name: 'Due', value: 'Fri, Nov 27', inline: true }],
      }),
    ]);
  });

  it('GIVEN Slack-style *bold* THEN Discord gets **bold**, and lone asterisks show as asterisks', () => {
    expect(markdown('*Tasks*')).toBe('**Tasks**');
    expect(markdown('see *this*, then 2 * 3 * 4')).toBe('see **this**, then 2 \\* 3 \\* 4');
  });

  it('GIVEN a task list with three open tasks THEN a Done button each, named by task number, carrying only the id', () => {
    const message = renderMessage(taskList(3));
    expect(message.ephemeral).toBe(true);
    expect(message.components).toHaveLength(1);
    expect(buttons(message)).toEqual([
      { type: 2, style: 1, custom_id: 'task.done:1001', label: 'Done #1' },
      { type: 2, style: 1, custom_id: 'task.done:1002', label: 'Done #2' },
      { type: 2, style: 1, custom_id: 'task.done:1003', label: 'Done #3' },
    ]);
  });

  it('GIVEN 25 open tasks THEN five rows of five buttons and no select menu', () => {
    const message = renderMessage(taskList(25));
    expect(message.components.map((row) => row.components.length)).toEqual([5, 5, 5, 5, 5]);
    expect(selects(message)).toEqual([]);
  });

  it('GIVEN 26 open tasks THEN four rows of buttons, then a select menu for the rest', () => {
    const message = renderMessage(taskList(26));
    expect(message.components.map((row) => row.components.length)).toEqual([5, 5, 5, 5, 1]);
    const [select] = selects(message);
    expect(select).toMatchObject({ custom_id: 'more', placeholder: 'More…' });
    expect(select?.type === 3 && select.options.map((o) => o.value)).toEqual(Array.from({ length: 6 }, (_, i) => `task.done:${1021 + i}`));
    expect(select?.type === 3 && select.options[0]).toEqual({ label: '#21 Task 21', value: 'task.done:1021', description: 'Done' });
  });

  it('GIVEN 50 open tasks THEN 20 buttons and 25 options, the most Discord allows', () => {
    const message = renderMessage(taskList(50, { locale: 'es' }));
    expect(buttons(message)).toHaveLength(20);
    const [select] = selects(message);
    expect(select?.type === 3 && select.options).toHaveLength(LIMITS.selectOptions);
    expect(select?.type === 3 && select.placeholder).toBe('Más…');
  });

  it('GIVEN the reply\'s own buttons and line buttons THEN its own come first and the line buttons share the remaining rows', () => {
    const reply: Reply = { ...taskList(30), buttons: [{ label: 'Reopen all', action: 'task.reopen', value: '9' }] };
    const message = renderMessage(reply);
    expect(message.components).toHaveLength(5);
    expect(message.components[0]!.components).toEqual([{ type: 2, style: 2, custom_id: 'task.reopen:9', label: 'Reopen all' }]);
    expect(message.components.slice(1, 4).every((row) => row.components.length === 5)).toBe(true);
    expect(selects(message)).toHaveLength(1);
  });

  it('GIVEN a button whose custom_id would pass 100 characters THEN it is left out rather than sent broken', () => {
    const message = renderMessage({
      visibility: 'public',
      locale: 'en',
      lines: [{ text: 'x', button: { label: 'Done', action: 'task.done', value: '9'.repeat(100) } }],
    });
    expect(message.components).toEqual([]);
  });

  it('GIVEN every rendered component THEN custom ids, labels and option values are within Discord\'s limits', () => {
    const message = renderMessage(taskList(50, { title: (n) => `${'Largo '.repeat(40)}${n}` }));
    for (const component of message.components.flatMap((row) => row.components)) {
      if (component.type === 2 && 'custom_id' in component) {
        expect(component.custom_id.length).toBeLessThanOrEqual(100);
        expect(component.label!.length).toBeLessThanOrEqual(LIMITS.buttonLabel);
      }
      if (component.type === 3) {
        for (const option of component.options) {
          expect(option.label.length).toBeLessThanOrEqual(LIMITS.optionLabel);
          expect(option.value.length).toBeLessThanOrEqual(100);
        }
      }
    }
  });

  it('GIVEN 50 tasks with 200-character titles THEN every task stays listed, each line shortened, within 4,096 and 6,000 characters', () => {
    const message = renderMessage(taskList(50, { title: (n) => `${'x'.repeat(195)} ${n}` }));
    const [embed] = message.embeds;
    const lines = embed!.description!.split('\n');
    expect(lines).toHaveLength(50);
    expect(lines[49]).toMatch(/^#50 x+…$/);
    expect(embed!.description!.length).toBeLessThanOrEqual(LIMITS.embedDescription);
    expect(embedSize(message)).toBeLessThanOrEqual(LIMITS.embedTotal);
  });

  it('GIVEN more lines than fit even shortened THEN the first ones, then "and N more" in the reply\'s language, and buttons only for those shown', () => {
    const message = renderMessage(taskList(300, { locale: 'es', title: () => 'y'.repeat(100) }));
    const lines = message.embeds[0]!.description!.split('\n');
    const kept = lines.length - 1;
    expect(lines.at(-1)).toBe(`…y ${300 - kept} más`);
    expect(embedSize(message)).toBeLessThanOrEqual(LIMITS.embedTotal);
    const clickable = [...buttons(message), ...selects(message).flatMap((s) => (s.type === 3 ? s.options : []))];
    expect(clickable.length).toBeLessThanOrEqual(kept);
  });

  it('GIVEN a list the core already cut THEN its "…and N more" is the footer', () => {
    const message = renderMessage(taskList(2, { more: '…and 7 more' }));
    expect(message.embeds[0]!.footer).toEqual({ text: '…and 7 more' });
  });

  it('GIVEN a very long single line or heading THEN content stays within 2,000 and a title within 256', () => {
    const long = renderMessage({ visibility: 'public', locale: 'en', lines: [{ text: 'a'.repeat(5000) }] });
    expect(long.content).toHaveLength(LIMITS.content);
    expect(long.content!.endsWith('…')).toBe(true);
    const titled = renderMessage({ visibility: 'public', locale: 'en', heading: 'h'.repeat(500), lines: [{ text: 'x' }] });
    expect(titled.embeds[0]!.title).toHaveLength(LIMITS.embedTitle);
  });
});

/** A poll as the core sees it: open, 3 of 4 members voted, unless told otherwise. */
const pollView = (options: Parameters<typeof samplePollView>[1] = {}) => samplePollView('discord:1:2', options);

describe('rendering polls for Discord', () => {
  it('GIVEN an open anonymous poll with a deadline THEN a public embed with its marks and bars, and a vote button per option in one row', () => {
    const reply = renderPoll(pollView({ poll: { anonymous: true, closesAt: new Date('2026-12-01T18:00:00Z') } }), 'en', 'UTC');
    const message = renderMessage(reply);
    expect(message.ephemeral).toBe(false);
    expect(message.content).toBeUndefined();
    const [embed] = message.embeds;
    expect(embed!.title).toBe('Poll #3: Where do we meet?');
    const lines = embed!.description!.split('\n');
    expect(lines[0]).toBe('Anonymous: only counts are shown, never who chose what.');
    expect(lines).toContain('Choose one.');
    expect(lines.find((line) => line.startsWith('Closes '))).toContain('Dec');
    expect(lines).toContain('1. Lima  ███████░░░ 2 (67%)');
    expect(lines).toContain('3. Arequipa  ░░░░░░░░░░ 0 (0%)');
    expect(lines).toContain('Turnout: 3 of 4 members (75%).');
    expect(message.components).toHaveLength(1);
    expect(buttons(message)).toEqual([
      { type: 2, style: 2, custom_id: 'poll.vote:7-1', label: 'Lima' },
      { type: 2, style: 2, custom_id: 'poll.vote:7-2', label: 'Cusco' },
      { type: 2, style: 2, custom_id: 'poll.vote:7-3', label: 'Arequipa' },
    ]);
  });

  it('GIVEN a proposal in Spanish THEN its four buttons are labelled in Spanish, agree primary and block red', () => {
    const message = renderMessage(renderPoll(pollView({ labels: ['agree', 'abstain', 'disagree', 'block'], codes: true }), 'es', 'UTC'));
    expect(message.embeds[0]!.title).toBe('Propuesta #3: Where do we meet?');
    expect(buttons(message).map((b) => (b.type === 2 && 'custom_id' in b ? [b.label, b.style] : []))).toEqual([
      ['De acuerdo', 1],
      ['Me abstengo', 2],
      ['En desacuerdo', 2],
      ['Bloqueo', 4],
    ]);
  });

  it('GIVEN 25 options of 75 characters THEN five rows of five buttons, each label whole and within 80', () => {
    const labels = Array.from({ length: 25 }, (_, i) => `${String(i + 1).padStart(2, '0')} ${'o'.repeat(72)}`);
    const message = renderMessage(renderPoll(pollView({ labels }), 'en', 'UTC'));
    expect(message.components.map((row) => row.components.length)).toEqual([5, 5, 5, 5, 5]);
    expect(selects(message)).toEqual([]);
    const all = buttons(message);
    expect(all.map((b) => b.type === 2 && 'custom_id' in b && b.label)).toEqual(labels);
    expect(all.every((b) => b.type === 2 && 'custom_id' in b && b.label!.length <= LIMITS.buttonLabel)).toBe(true);
    expect(message.embeds[0]!.description!.split('\n').filter((line) => / \d+ \(\d+%\)$/.test(line))).toHaveLength(25);
  });

  it('GIVEN more vote buttons than five rows hold THEN four rows of buttons and a select menu whose values are the same custom ids', () => {
    const reply: Reply = {
      visibility: 'public',
      locale: 'es',
      heading: 'Poll',
      lines: [{ text: 'x' }],
      buttons: Array.from({ length: 30 }, (_, i) => ({ label: `Option ${i + 1}`, action: 'poll.vote', value: `7-${i + 1}` })),
    };
    const message = renderMessage(reply);
    expect(message.components.map((row) => row.components.length)).toEqual([5, 5, 5, 5, 1]);
    const [select] = selects(message);
    expect(select).toMatchObject({ custom_id: 'more', placeholder: 'Más…' });
    expect(select?.type === 3 && select.options.map((o) => o.value)).toEqual(Array.from({ length: 10 }, (_, i) => `poll.vote:7-${21 + i}`));
    expect(select?.type === 3 && select.options[0]).toEqual({ label: 'Option 21', value: 'poll.vote:7-21' });
    expect(parseCustomId(select?.type === 3 ? select.options[0]!.value : '')).toEqual({ action: 'poll.vote', value: '7-21' });
  });

  it('GIVEN a closed poll THEN no components at all, so an edit freezes it, and its outcome is in the embed', () => {
    const view = pollView({ poll: { status: 'closed', closedAt: new Date('2026-11-28T10:00:00Z') } });
    const frozen = renderMessage(renderPoll(view, 'en', 'UTC'));
    expect(frozen.components).toEqual([]);
    expect(frozen.embeds[0]!.description).toContain('Outcome: Lima, with 2 of 3 votes.');
  });

  it('GIVEN hidden results THEN the embed lists the options without counts', () => {
    const message = renderMessage(renderPoll(pollView({ poll: { hideResults: true } }), 'en', 'UTC'));
    const description = message.embeds[0]!.description!;
    expect(description).toContain('1. Lima\n');
    expect(description).not.toContain('█');
    expect(description).toContain('Results are shown when the poll closes.');
  });

  it('GIVEN poll suggestions THEN "#n question" choices valued by number, and a poll\'s options filtered by what was typed', () => {
    const polls = [{ number: 4, question: 'q'.repeat(150), options: [] }, { number: 2, question: 'Where?', options: [{ position: 1, label: 'Lima' }, { position: 2, label: 'Cusco' }, { position: 12, label: 'Ica' }] }];
    const choices = renderPollChoices(polls);
    expect(choices[0]!.name.length).toBeLessThanOrEqual(100);
    expect(choices[1]).toEqual({ name: '#2 Where?', value: 2 });
    expect(renderVoteChoices(polls[1]!, '')).toEqual([
      { name: '1. Lima', value: '1' },
      { name: '2. Cusco', value: '2' },
      { name: '12. Ica', value: '12' },
    ]);
    expect(renderVoteChoices(polls[1]!, 'cus')).toEqual([{ name: '2. Cusco', value: '2' }]);
    expect(renderVoteChoices(polls[1]!, '#1').map((c) => c.value)).toEqual(['1', '12']);
  });
});

describe('user text as Discord markdown', () => {
  /** What a reader sees once Discord has read the escapes: each `\x` shows as `x`. */
  const shown = (markdownText: string) => markdownText.replace(/\\(.)/g, '$1');

  it('GIVEN a masked link THEN it shows literally: no disguised link, the address still itself', () => {
    expect(markdown('Pay here [bank](https://evil.example)')).toBe('Pay here \\[bank\\](https://evil.example)');
    expect(markdown('[x](<https://evil.example>)')).toBe('\\[x\\](\\<https://evil.example>)');
  });

  it('GIVEN emphasis, strike, spoilers and code marks THEN each shows as typed', () => {
    const typed = '**loud** __under__ ~~gone~~ ||secret|| _it_ ``` `` a\\b';
    expect(markdown(typed)).toBe('\\*\\*loud\\*\\* \\_\\_under\\_\\_ \\~\\~gone\\~\\~ \\|\\|secret\\|\\| \\_it\\_ \\`\\`\\` \\`\\` a\\\\b');
    expect(shown(markdown(typed))).toBe(typed);
  });

  it('GIVEN mentions of everyone, here, a person, a role, a channel or a time THEN none is made', () => {
    expect(markdown('@everyone @Here <@920000000000000004> <@&5> <#7> <t:1:R> user@example.org')).toBe(
      '\\@everyone \\@Here \\<@920000000000000004> \\<@&5> \\<#7> \\<t:1:R> user@example.org',
    );
  });

  it('GIVEN a line that opens a heading, small print, a quote or a list THEN it stays a plain line, on every line', () => {
    expect(markdown('# Big\n## Bigger\n-# small\n> quote\n- item\n  + item\n#3 Buy banners\n1. Lima')).toBe(
      '\\# Big\n\\## Bigger\n\\-# small\n\\> quote\n\\- item\n  \\+ item\n#3 Buy banners\n1. Lima',
    );
  });

  it("GIVEN the core's own `code` and *bold* THEN they stay code and become bold, their insides untouched or escaped", () => {
    expect(markdown('*Tasks*: `task add <title> [@member | org:<slug>]`')).toBe('**Tasks**: `task add <title> [@member | org:<slug>]`');
    expect(markdown('*a_b [c]*')).toBe('**a\\_b \\[c\\]**');
    expect(markdown('one ` alone, *not bold *')).toBe('one \\` alone, \\*not bold \\*');
  });

  it('GIVEN an address THEN it stays whole, underscores included, so the link works', () => {
    expect(markdown('see https://example.org/a_b_c?x=1 now')).toBe('see https://example.org/a_b_c?x=1 now');
    expect(markdown('https://example.org/[x]')).toBe('https://example.org/\\[x\\]');
  });

  it('GIVEN a cut THEN it never leaves half an escape or a code span without its end', () => {
    expect(truncateMarkdown('ab [cd]', 6)).toBe('ab \\[…');
    expect(truncateMarkdown('run `task add <title>` now', 12)).toBe('run \\`task …');
    expect(truncateMarkdown('short', 10)).toBe('short');
  });

  it('GIVEN user text in a heading, lines, fields and content THEN every one is escaped; labels, plain text in Discord, show it as typed', () => {
    const evil = '[x](https://evil.example) @everyone';
    const escaped = '\\[x\\](https://evil.example) \\@everyone';
    const embed = renderMessage({
      visibility: 'public',
      locale: 'en',
      heading: `Poll #1: ${evil}`,
      lines: [{ text: `#1 ${evil}`, button: { label: 'Done', action: 'task.done', value: '1' } }, { text: evil }],
      fields: [{ label: evil, value: evil }],
    });
    expect(embed.embeds[0]).toMatchObject({
      title: `Poll #1: ${escaped}`,
      description: `#1 ${escaped}\n${escaped}`,
      fields: [{ name: escaped, value: escaped, inline: true }],
    });
    expect(renderMessage({ visibility: 'public', locale: 'en', lines: [{ text: `Task #1 added: ${evil}` }] }).content).toBe(`Task #1 added: ${escaped}`);
    const many = renderMessage({
      visibility: 'ephemeral',
      locale: 'en',
      lines: Array.from({ length: 30 }, (_, i) => ({ text: `#${i + 1} ${evil}`, button: { label: 'Done', action: 'task.done' as const, value: String(i + 1) } })),
    });
    const menu = many.components.at(-1)!.components[0] as { options: { label: string }[] };
    expect(menu.options[0]!.label).toBe(`#21 ${evil}`);
  });

  it('GIVEN any text without the core marks THEN every markup character is escaped and the reader sees the text as typed', () => {
    const char = fc.constantFrom('[', ']', '(', ')', '<', '>', '|', '~', '_', '\\', '#', '-', '+', '@', 'everyone', 'here', ' ', '\n', ':', '/', 'x', '1', '.');
    fc.assert(
      fc.property(fc.string({ unit: char, maxLength: 60 }), (typed) => {
        const out = markdown(typed);
        expect(shown(out)).toBe(typed);
        // Once the escaped pairs are set aside (as a mark of their own), nothing Discord reads as markup is left.
        const bare = out.replace(/\\./g, '\u0001');
        expect(bare).not.toMatch(/[[\]<|~_\\]|@everyone|@here/i);
        expect(bare).not.toMatch(/(^|\n)[ \t]*(#{1,3} |-#|>|[-+] )/);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('fitting lines', () => {
  const more = (count: number) => `…and ${count} more`;

  it('GIVEN lines that fit THEN they are kept as they are', () => {
    expect(fitLines(['a', 'b'], 10, more)).toEqual({ text: 'a\nb', kept: 2 });
  });
  it('GIVEN one long line among short ones THEN only the long one is shortened', () => {
    const { text, kept } = fitLines(['short', 'l'.repeat(300)], 100, more);
    expect(kept).toBe(2);
    expect(text.split('\n')[0]).toBe('short');
    expect(text.length).toBeLessThanOrEqual(100);
  });
  it('GIVEN far too many lines THEN the rest is counted', () => {
    const { text, kept } = fitLines(Array.from({ length: 100 }, () => 'z'.repeat(80)), 700, more);
    expect(text.split('\n').at(-1)).toBe(`…and ${100 - kept} more`);
    expect(text.length).toBeLessThanOrEqual(700);
  });
});

describe('small pieces', () => {
  it('GIVEN text longer than the limit THEN it is cut with an ellipsis without splitting a character', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('ab😀cd', 4)).toBe('ab…');
    expect(truncate('abc', 3)).toBe('abc');
  });
  it('GIVEN our custom ids THEN they split into action and value; anything else is not ours', () => {
    expect(parseCustomId('task.done:12')).toEqual({ action: 'task.done', value: '12' });
    expect(parseCustomId('poll.vote:3:2')).toEqual({ action: 'poll.vote', value: '3:2' });
    expect(parseCustomId('more')).toBeUndefined();
    expect(parseCustomId('Task.Done:1')).toBeUndefined();
  });
  it('GIVEN task suggestions THEN at most 25 choices named "#n title" within 100 characters, valued by number', () => {
    const choices = renderTaskChoices(Array.from({ length: 30 }, (_, i) => ({ number: i + 1, title: 't'.repeat(150) })));
    expect(choices).toHaveLength(25);
    expect(choices[0]!.value).toBe(1);
    expect(choices[0]!.name.startsWith('#1 ttt')).toBe(true);
    expect(choices[0]!.name.length).toBeLessThanOrEqual(100);
  });
});
