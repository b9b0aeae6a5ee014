// Long replies in sections (a digest) on Slack and Discord, pure: the layout, the cuts from the longest lists, and fast-check for every limit and every item shown or counted.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutSections } from '../adapters/cut-sections.js';
import { embedsSize, LIMITS as DISCORD, renderMessage as renderDiscord } from '../adapters/discord/render.js';
import { LIMITS as SLACK, renderMessage as renderSlack, type SlackMessage } from '../adapters/slack/blocks.js';
import type { Reply, ReplySection } from '../src/reply.js';

const digest = (sections: ReplySection[], overrides: Partial<Reply> = {}): Reply => ({
  visibility: 'public',
  locale: 'en',
  heading: 'Weekly digest · Red de Huertas',
  lines: [{ text: '3 overdue · 5 due this week · 2 decisions' }],
  sections,
  ...overrides,
});

/** A section of `count` tasks, `#1 Task 1`…, each line `width` characters long or so. */
const tasks = (title: string, count: number, options: { hidden?: number; width?: number } = {}): ReplySection => ({
  title,
  lines: Array.from({ length: count }, (_, i) => ({ text: `#${i + 1} ${title} ${i + 1}`.padEnd(options.width ?? 0, '.') })),
  ...(options.hidden !== undefined && { hidden: options.hidden }),
});

const slackTexts = (message: SlackMessage) =>
  message.blocks.flatMap((block) => (block.type === 'section' || block.type === 'header' ? [block.text?.text ?? ''] : []));

describe('cutting sections', () => {
  const ones = (count: number) => Array.from({ length: count }, () => 1);
  const sum = (kept: number[]) => kept.reduce((total, n) => total + n, 0);

  it('GIVEN lists of 2, 10 and 30 lines and room for 20 THEN the short one stays whole and the long ones are cut to one length', () => {
    expect(cutSections([ones(1), ones(2), ones(10), ones(30)], (cut) => sum(cut.kept) <= 21, 1000)).toEqual({ kept: [1, 2, 9, 9], shown: 4 });
  });

  it('GIVEN room for only three titles THEN the later sections are left out whole, to be counted', () => {
    expect(cutSections([ones(1), ones(2), ones(3), ones(4), ones(5)], (cut) => cut.shown <= 3, 1000)).toEqual({ kept: [1, 0, 0, 0, 0], shown: 3 });
  });

  it('GIVEN no room even for the summary THEN it is cut too, beside one count of everything else', () => {
    expect(cutSections([ones(5), ones(2)], (cut) => cut.shown === 1 && (cut.kept[0] ?? 0) <= 2, 1000)).toEqual({ kept: [2, 0], shown: 1 });
  });

  it('GIVEN lines past the budget THEN they are never shown', () => {
    expect(cutSections([[], ones(50)], () => true, 10)).toEqual({ kept: [0, 10], shown: 2 });
  });
});

describe('a digest on Slack', () => {
  it('GIVEN a small digest THEN a header, the summary, and each section as its bold title over its lines, one block each', () => {
    const message = renderSlack(digest([tasks('Overdue', 2), tasks('Due this week', 1, { hidden: 3 })]));
    expect(message.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Weekly digest · Red de Huertas', emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', verbatim: true, text: '3 overdue · 5 due this week · 2 decisions' } },
      { type: 'section', text: { type: 'mrkdwn', verbatim: true, text: '*Overdue*\n#1 Overdue 1\n#2 Overdue 2' } },
      { type: 'section', text: { type: 'mrkdwn', verbatim: true, text: '*Due this week*\n#1 Due this week 1\n…and 3 more' } },
    ]);
    expect(message.text).toBe(
      '*Weekly digest · Red de Huertas*\n3 overdue · 5 due this week · 2 decisions\n\n*Overdue*\n#1 Overdue 1\n#2 Overdue 2\n\n*Due this week*\n#1 Due this week 1\n…and 3 more',
    );
  });

  it('GIVEN a week too big for one message THEN the longest lists are cut first, short ones stay whole, and each cut is counted with what the core left out', () => {
    const message = renderSlack(
      digest([tasks('Overdue', 3, { width: 80 }), tasks('Finished', 200, { width: 80, hidden: 50 }), tasks('Reminders', 120, { width: 80 })], { locale: 'es' }),
    );
    expect(JSON.stringify(message.blocks).length).toBeLessThanOrEqual(SLACK.blocksJson);
    const [, , overdue, ...rest] = slackTexts(message);
    expect(overdue!.split('\n')).toHaveLength(4);
    const all = rest.join('\n').split('\n');
    const finished = all.filter((line) => line.startsWith('#') && line.includes('Finished')).length;
    const reminders = all.filter((line) => line.startsWith('#') && line.includes('Reminders')).length;
    // One common length for both long lists: they keep about as many lines each.
    expect(Math.abs(finished - reminders)).toBeLessThanOrEqual(1);
    expect(all).toContain(`…y ${200 - finished + 50} más`);
    expect(all).toContain(`…y ${120 - reminders} más`);
    // The notification text has the whole week.
    expect(message.text).toContain('#200 Finished 200');
    expect(message.text).toContain('…y 50 más');
  });

  it('GIVEN more sections than blocks THEN the last ones share the last block, each under its title', () => {
    const sections = Array.from({ length: 60 }, (_, i) => tasks(`S${i + 1}`, 1));
    const message = renderSlack(digest(sections));
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK.blocks);
    const shown = slackTexts(message).join('\n');
    for (let i = 1; i <= 60; i += 1) expect(shown).toContain(`*S${i}*\n#1 S${i} 1`);
    // A header, the summary, 47 sections on their own, and the other 13 together.
    expect(message.blocks).toHaveLength(SLACK.blocks);
    expect(message.blocks.at(-1)).toMatchObject({ type: 'section', text: { text: expect.stringMatching(/^\*S48\*\n#1 S48 1\n\*S49\*/) } });
  });

  it('GIVEN a digest longer than Slack keeps in `text` THEN the text stops at 40,000 characters, with an ellipsis', () => {
    const message = renderSlack(digest([tasks('Finished', 800, { width: 100 })]));
    expect(message.text).toHaveLength(SLACK.messageText);
    expect(message.text.endsWith('…')).toBe(true);
  });
});

describe('a digest on Discord', () => {
  it('GIVEN a small digest THEN a first embed with the heading and summary, then an embed per section', () => {
    const message = renderDiscord(digest([tasks('Overdue', 2), tasks('Due this week', 1, { hidden: 3 })]));
    expect(message.content).toBeUndefined();
    expect(message.embeds.map(({ title, description }) => ({ title, description }))).toEqual([
      { title: 'Weekly digest · Red de Huertas', description: '3 overdue · 5 due this week · 2 decisions' },
      { title: 'Overdue', description: '#1 Overdue 1\n#2 Overdue 2' },
      { title: 'Due this week', description: '#1 Due this week 1\n…and 3 more' },
    ]);
  });

  it('GIVEN a week too big for 6,000 characters THEN the longest lists are cut first and counted, short ones stay whole', () => {
    const message = renderDiscord(digest([tasks('Overdue', 3, { width: 80 }), tasks('Finished', 100, { width: 80, hidden: 7 }), tasks('Reminders', 60, { width: 80 })], { locale: 'es' }));
    expect(embedsSize(message.embeds)).toBeLessThanOrEqual(DISCORD.embedTotal);
    const [, overdue, finished, reminders] = message.embeds.map((embed) => embed.description!.split('\n'));
    expect(overdue).toHaveLength(3);
    const shown = (lines: string[]) => lines.filter((line) => line.startsWith('\\#') || line.startsWith('#')).length;
    expect(Math.abs(shown(finished!) - shown(reminders!))).toBeLessThanOrEqual(1);
    expect(finished!.at(-1)).toBe(`…y ${100 - shown(finished!) + 7} más`);
    expect(reminders!.at(-1)).toBe(`…y ${60 - shown(reminders!)} más`);
  });

  it('GIVEN more sections than ten embeds THEN the last ones share the tenth, each under its title in bold', () => {
    const message = renderDiscord(digest(Array.from({ length: 12 }, (_, i) => tasks(`S${i + 1}`, 1))));
    expect(message.embeds).toHaveLength(DISCORD.embeds);
    expect(message.embeds[8]).toMatchObject({ title: 'S8', description: '#1 S8 1' });
    expect(renderDiscord(digest(Array.from({ length: 9 }, (_, i) => tasks(`S${i + 1}`, 1)))).embeds.map((embed) => embed.title)).toEqual([
      'Weekly digest · Red de Huertas',
      ...Array.from({ length: 9 }, (_, i) => `S${i + 1}`),
    ]);
    expect(message.embeds[9]!.title).toBeUndefined();
    expect(message.embeds[9]!.description).toBe('**S9**\n#1 S9 1\n**S10**\n#1 S10 1\n**S11**\n#1 S11 1\n**S12**\n#1 S12 1');
  });

  it('GIVEN sections and nothing else THEN the first section opens the message', () => {
    const message = renderDiscord(digest(Array.from({ length: 10 }, (_, i) => tasks(`S${i + 1}`, 1)), { heading: undefined, lines: [] }));
    expect(message.embeds.map((embed) => embed.title)).toEqual(Array.from({ length: 10 }, (_, i) => `S${i + 1}`));
  });
});

describe('fast-check: any sections, within every limit, every item shown or counted', () => {
  // Text people type: markup of both platforms, mentions, addresses, accents, emoji, and any character.
  const token = fc.oneof(
    fc.constantFrom('*', '_', '~', '`', '```', '|', '||', '<', '>', '&', '&amp;', '[x](https://evil.example)', '# ', '- ', '@here', '<!channel>', '<@U1>', 'https://ex.example/a_b', '\\', 'ñandú', '😀', '👩🏽‍🌾', ' ', '\n'),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
  );
  const words = (maxLength: number) => fc.array(token, { maxLength }).map((parts) => parts.join(''));
  const itemText = fc.oneof({ weight: 8, arbitrary: words(12) }, { weight: 1, arbitrary: fc.string({ minLength: 150, maxLength: 1500, size: 'max' }) });
  const sectionArb = fc.record({
    title: fc.oneof(words(6), fc.string({ maxLength: 400 })),
    lines: fc.array(itemText, { maxLength: 60, size: 'max' }),
    hidden: fc.option(fc.nat({ max: 5000 }), { nil: undefined }),
  });
  // Dozens of sections with long titles: more than the blocks and embeds, more titles than the room.
  const crowdArb = fc.record({
    title: fc.string({ minLength: 100, maxLength: 400, size: 'max' }),
    lines: fc.array(words(4), { maxLength: 3 }),
    hidden: fc.option(fc.nat({ max: 50 }), { nil: undefined }),
  });
  const replyArb = fc.record({
    locale: fc.constantFrom('en' as const, 'es' as const),
    heading: fc.option(words(10).map((text) => text.slice(0, 300)), { nil: undefined }),
    lines: fc.array(itemText, { maxLength: 3 }),
    sections: fc.oneof(
      { weight: 3, arbitrary: fc.array(sectionArb, { minLength: 1, maxLength: 60, size: 'max' }) },
      { weight: 1, arbitrary: fc.array(crowdArb, { minLength: 30, maxLength: 120, size: 'max' }) },
    ),
  });

  type Generated = typeof replyArb extends fc.Arbitrary<infer T> ? T : never;

  /** Each item gets a mark no renderer changes, so the test can tell which ones are shown. */
  const marked = (generated: Generated): { reply: Reply; total: number } => {
    const mark = (section: number, item: number, text: string) => ({ text: `⟦${section}.${item}⟧ ${text}` });
    const sections: ReplySection[] = generated.sections.map((section, s) => ({
      title: section.title,
      lines: section.lines.map((text, i) => mark(s + 1, i, text)),
      ...(section.hidden !== undefined && { hidden: section.hidden }),
    }));
    const reply: Reply = {
      visibility: 'public',
      locale: generated.locale,
      ...(generated.heading !== undefined && { heading: generated.heading }),
      lines: generated.lines.map((text, i) => mark(0, i, text)),
      sections,
    };
    const total = generated.lines.length + sections.reduce((sum, section) => sum + section.lines.length + (section.hidden ?? 0), 0);
    return { reply, total };
  };

  /** Shown items (by their marks, each once) plus every "…and N more" must be every item. */
  const accounted = (texts: string[], locale: 'en' | 'es') => {
    const count = locale === 'en' ? /^…and (\d+) more$/ : /^…y (\d+) más$/;
    const marks = texts.flatMap((text) => [...text.matchAll(/⟦(\d+\.\d+)⟧/g)].map((match) => match[1]!));
    const counted = texts
      .flatMap((text) => text.split('\n'))
      .map((line) => count.exec(line)?.[1])
      .reduce((sum, n) => sum + Number(n ?? 0), 0);
    return { shown: marks.length, unique: new Set(marks).size, counted };
  };

  it('GIVEN any digest THEN Slack gets at most 50 blocks of at most 3,000 characters, within the total, and every item is shown or counted', () => {
    fc.assert(
      fc.property(replyArb, (generated) => {
        const { reply, total } = marked(generated);
        const message = renderSlack(reply);
        expect(message.blocks.length).toBeLessThanOrEqual(SLACK.blocks);
        expect(JSON.stringify(message.blocks).length).toBeLessThanOrEqual(SLACK.blocksJson);
        for (const block of message.blocks) {
          if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(SLACK.headerText);
          if (block.type === 'section') {
            expect(block.text!.text.length).toBeLessThanOrEqual(SLACK.sectionText);
            expect(block.text!.text.trim()).not.toBe('');
          }
        }
        expect(message.text.length).toBeLessThanOrEqual(SLACK.messageText);
        const { shown, unique, counted } = accounted(slackTexts(message), reply.locale);
        expect(unique).toBe(shown);
        expect(shown + counted).toBe(total);
        // The notification text has every line, unless Slack's own limit stopped it (a cut may end a little short of it).
        if (message.text.length < SLACK.messageText - 1000) expect(accounted([message.text], reply.locale).shown).toBe(total - reply.sections!.reduce((sum, s) => sum + (s.hidden ?? 0), 0));
      }),
      { numRuns: 100 },
    );
  });

  it('GIVEN any digest THEN Discord gets at most 10 embeds, 4,096 characters a description and 6,000 in all, and every item is shown or counted', () => {
    fc.assert(
      fc.property(replyArb, (generated) => {
        const { reply, total } = marked(generated);
        const message = renderDiscord(reply);
        expect(message.embeds.length).toBeLessThanOrEqual(DISCORD.embeds);
        expect(embedsSize(message.embeds)).toBeLessThanOrEqual(DISCORD.embedTotal);
        for (const embed of message.embeds) {
          expect(embed.title || embed.description || embed.fields?.length || embed.footer).toBeTruthy();
          expect(embed.title?.length ?? 0).toBeLessThanOrEqual(DISCORD.embedTitle);
          expect(embed.description?.length ?? 0).toBeLessThanOrEqual(DISCORD.embedDescription);
          expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(DISCORD.fields);
        }
        const { shown, unique, counted } = accounted(
          message.embeds.map((embed) => embed.description ?? ''),
          reply.locale,
        );
        expect(unique).toBe(shown);
        expect(shown + counted).toBe(total);
      }),
      { numRuns: 100 },
    );
  });
});
