// Rendering polls while their results are hidden, pure: the core's view carries no counts then, and no platform's message shows any.
import { describe, expect, it } from 'vitest';
import { renderMessage as discordMessage } from '../adapters/discord/render.js';
import { renderMessage as slackMessage } from '../adapters/slack/blocks.js';
import { resultsHidden } from '../src/polls.js';
import { renderPoll } from '../src/render/polls.js';
import { replyTexts } from '../src/reply.js';
import { samplePollView } from './support/poll-fixtures.js';

describe('hidden results', () => {
  it.each([
    [true, 'open', true],
    [true, 'closed', false],
    [false, 'open', false],
    [false, 'closed', false],
  ] as const)('GIVEN hideResults %s on a poll that is %s THEN its results are hidden: %s', (hideResults, status, hidden) => {
    expect(resultsHidden({ hideResults, status })).toBe(hidden);
  });

  it('GIVEN a status the core does not know THEN the results stay hidden: only a close shows them', () => {
    expect(resultsHidden({ hideResults: true, status: 'archived' })).toBe(true);
  });

  it('GIVEN the view of an open poll that hides its results THEN the options, the turnout and the mark, and no count', () => {
    const view = samplePollView('slack:T1:C1', { poll: { hideResults: true } });
    expect(view.counts).toBeNull();
    expect(replyTexts(renderPoll(view, 'en', 'UTC'))).toEqual([
      'Poll #3: Where do we meet?',
      'Choose one.',
      'Results are shown when the poll closes.',
      '1. Lima',
      '2. Cusco',
      '3. Arequipa',
      'Turnout: 3 of 4 members (75%).',
      'To vote: the buttons or menu here, or `vote 3 <option>`.',
    ]);
  });

  it('GIVEN a view with no counts, even of a closed proposal THEN no outcome and no blocker is made up', () => {
    const view = { ...samplePollView('slack:T1:C1', { labels: ['agree', 'abstain', 'disagree', 'block'], codes: true, poll: { status: 'closed', closedAt: new Date('2026-11-28T10:00:00Z') } }), counts: null };
    const texts = replyTexts(renderPoll(view, 'es', 'UTC'));
    expect(texts.filter((line) => /Resultado|Bloquean|█|░/.test(line))).toEqual([]);
    expect(texts).toContain('4. Bloqueo');
  });

  it('GIVEN that poll on Slack and on Discord THEN neither message shows a bar or a count, only the turnout', () => {
    const reply = renderPoll(samplePollView('discord:1:2', { poll: { hideResults: true } }), 'en', 'UTC');
    for (const message of [JSON.stringify(slackMessage(reply)), JSON.stringify(discordMessage(reply))]) {
      expect(message).not.toMatch(/[█░]|\d+ \(\d+%\)/);
      expect(message).toContain('Turnout: 3 of 4 members (75%).');
      expect(message).toContain('1. Lima');
    }
  });
});
