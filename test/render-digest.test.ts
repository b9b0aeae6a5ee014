// The digest as a channel reads it: golden plain-text digests in both languages, and the summary line and cuts, GIVEN/THEN.
import { describe, expect, it } from 'vitest';
import { renderText } from '../adapters/console/render-text.js';
import type { DigestDecision, DigestPoll, DigestWeek } from '../src/digest-week.js';
import { renderDigest, SECTION_LINES_MAX, summaryParts } from '../src/render/digest.js';
import { replyTexts, type Reply } from '../src/reply.js';
import { bigWeek, DIGEST_AT, emptyWeek, seededWeek } from './support/digest-week.js';

const LOCALES = ['en', 'es'] as const;
/** A digest as a golden file holds it: the console's text, ending in a newline. */
const asFile = (reply: Reply) => `${renderText(reply)}\n`;

describe('golden digests, as plain text', () => {
  it.each(LOCALES)('GIVEN the seeded week in %s THEN the digest reads as its golden file', async (locale) => {
    await expect(asFile(renderDigest(seededWeek(), locale))).toMatchFileSnapshot(`./golden/digest-seeded.${locale}.txt`);
  });
  it.each(LOCALES)('GIVEN the big week in %s THEN every list is cut, counting the rest', async (locale) => {
    await expect(asFile(renderDigest(bigWeek(), locale))).toMatchFileSnapshot(`./golden/digest-big.${locale}.txt`);
  });
  it.each(LOCALES)('GIVEN an empty week in %s THEN one line says so', async (locale) => {
    await expect(asFile(renderDigest(emptyWeek(), locale))).toMatchFileSnapshot(`./golden/digest-empty.${locale}.txt`);
  });
  it.each(LOCALES)('GIVEN a late digest in %s THEN it says when it was due', async (locale) => {
    const late = renderDigest(seededWeek(), locale, { lateFrom: DIGEST_AT });
    await expect(asFile(late)).toMatchFileSnapshot(`./golden/digest-late.${locale}.txt`);
  });
});

/** A week with only the given lists filled. */
const weekWith = (lists: Partial<DigestWeek>): DigestWeek => ({ ...emptyWeek(), ...lists });
const poll = (number: number, kind: DigestPoll['kind']): DigestPoll => ({
  number, kind, question: `Question ${number}?`, closesAt: null, anonymous: false, hideResults: false, voters: 1, eligible: 4,
});
const tasks = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ number: i + 1, title: `Task ${i + 1}`, dueOn: '2026-11-20', assignee: null }));

describe('the summary line', () => {
  it('GIVEN the seeded week THEN only the parts that are not zero show, polls and proposals apart', () => {
    const digest = renderDigest(seededWeek(), 'en');
    expect(digest.lines[0]?.text).toBe(
      '3 overdue · 5 due this week · 2 open polls · 1 open proposal · 3 decisions · 4 tasks done · 2 reminders · 2 new members · 1 new organization · 2 new resources',
    );
  });
  it('GIVEN one of each THEN the nouns are singular, in both languages', () => {
    const week = weekWith({
      overdue: { items: tasks(1), total: 1 },
      openPolls: { items: [poll(1, 'choice'), poll(2, 'proposal')], total: 2 },
      openProposals: 1,
      decisions: { items: [], total: 1 },
      finished: { items: [], total: 1 },
    });
    expect(summaryParts(week, 'en')).toEqual(['1 overdue', '1 open poll', '1 open proposal', '1 decision', '1 task done']);
    expect(summaryParts(week, 'es')).toEqual(['1 tarea vencida', '1 encuesta abierta', '1 propuesta abierta', '1 decisión', '1 tarea terminada']);
  });
  it('GIVEN several THEN the nouns are plural, in both languages', () => {
    const week = weekWith({ overdue: { items: tasks(2), total: 2 }, dueSoon: { items: tasks(3), total: 3 }, decisions: { items: [], total: 2 } });
    expect(summaryParts(week, 'en')).toEqual(['2 overdue', '3 due this week', '2 decisions']);
    expect(summaryParts(week, 'es')).toEqual(['2 tareas vencidas', '3 vencen esta semana', '2 decisiones']);
  });
  it('GIVEN more open polls than gathered THEN the summary counts them all, proposals by the count gathered for them', () => {
    const week = weekWith({ openPolls: { items: [poll(1, 'proposal')], total: 40 }, openProposals: 15 });
    expect(summaryParts(week, 'en')).toEqual(['25 open polls', '15 open proposals']);
  });
  it('GIVEN a week with no count of proposals THEN those among the items are counted', () => {
    const week = weekWith({ openPolls: { items: [poll(1, 'proposal'), poll(2, 'choice'), poll(3, 'proposal')], total: 3 }, openProposals: undefined });
    expect(summaryParts(week, 'en')).toEqual(['1 open poll', '2 open proposals']);
  });
});

describe('the digest\'s parts', () => {
  it('GIVEN an empty week THEN it is one public line and no sections', () => {
    const digest = renderDigest(emptyWeek(), 'en');
    expect(digest.visibility).toBe('public');
    expect(replyTexts(digest)).toEqual(['Weekly digest · Mon, Nov 30: a quiet week, with nothing due, decided or finished.']);
    expect(digest.sections).toBeUndefined();
  });
  it('GIVEN only newcomers THEN it is not a quiet week', () => {
    const digest = renderDigest(weekWith({ newMembers: { items: ['@ana'], total: 1 } }), 'es');
    expect(digest.lines[0]?.text).toBe('1 persona nueva');
    expect(digest.sections?.map((section) => section.title)).toEqual(['Nuevas incorporaciones']);
  });
  it('GIVEN the seeded week THEN sections come in the order things need attention', () => {
    expect(renderDigest(seededWeek(), 'en').sections?.map((section) => section.title)).toEqual([
      'Overdue', 'Due in the next 7 days', 'Open polls and proposals', 'Decided this week', 'Done this week', 'Reminders in the next 7 days', 'New in the alliance', 'Shared this week',
    ]);
  });
  it('GIVEN a week with only overdue tasks THEN empty sections are left out', () => {
    const digest = renderDigest(weekWith({ overdue: { items: tasks(2), total: 2 } }), 'en');
    expect(digest.sections?.map((section) => section.title)).toEqual(['Overdue']);
  });
  it('GIVEN a late digest THEN the note follows the summary, in the week\'s zone', () => {
    const digest = renderDigest(seededWeek(), 'es', { lateFrom: DIGEST_AT });
    expect(digest.lines[1]).toEqual({ text: 'Llega con retraso: debía enviarse el lun, 30 nov, 09:00.', role: 'note' });
  });
  it('GIVEN an overdue task THEN it is marked, with its due date and assignee', () => {
    expect(renderDigest(seededWeek(), 'en').sections?.[0]?.lines[0]?.text).toBe('⚠ #4 Actualizar la web de la alianza · was due Mon, Nov 23 · @ana');
  });
});

describe('cuts', () => {
  it(`GIVEN 25 items gathered of 40 THEN ${SECTION_LINES_MAX} lines show and the other 30 are counted`, () => {
    const [section] = renderDigest(weekWith({ overdue: { items: tasks(25), total: 40 } }), 'en').sections ?? [];
    expect(section?.lines).toHaveLength(SECTION_LINES_MAX);
    expect(section?.hidden).toBe(30);
  });
  it('GIVEN exactly as many items as lines THEN nothing is hidden', () => {
    const [section] = renderDigest(weekWith({ overdue: { items: tasks(SECTION_LINES_MAX), total: SECTION_LINES_MAX } }), 'en').sections ?? [];
    expect(section?.lines).toHaveLength(SECTION_LINES_MAX);
    expect(section?.hidden).toBeUndefined();
  });
  it('GIVEN a section cut THEN the console says "…and N more" in the digest\'s language', () => {
    const text = renderText(renderDigest(weekWith({ overdue: { items: tasks(12), total: 12 } }), 'es'));
    expect(text.split('\n').at(-1)).toBe('…y 2 más');
  });
  it('GIVEN 48 new members THEN ten are named and the rest counted on the line', () => {
    const newcomers = renderDigest(bigWeek(), 'en').sections?.find((section) => section.title === 'New in the alliance');
    expect(newcomers?.lines[1]?.text).toMatch(/^Members: @Ana Huamán, .* and 38 more$/);
    expect(newcomers?.lines[1]?.text.split(', ')).toHaveLength(10);
  });
  it('GIVEN a reminder of 1,000 characters THEN the digest quotes its first 120', () => {
    const line = renderDigest(bigWeek(), 'en').sections?.find((section) => section.title.startsWith('Reminders'))?.lines[0]?.text ?? '';
    const quoted = line.slice(line.indexOf(': ') + 2);
    expect([...quoted]).toHaveLength(120);
    expect(quoted.endsWith('…')).toBe(true);
  });
  it('GIVEN resources shared this week THEN each shows with its link, tags and sharer; a link too long shows as its site', () => {
    const shared = renderDigest(bigWeek(), 'es').sections?.find((section) => section.title === 'Compartido esta semana');
    expect(shared?.lines).toHaveLength(10);
    expect(shared?.hidden).toBe(21);
    expect(shared?.lines[0]?.text).toMatch(/^#700 Coordinate the logistics .* · https:\/\/example\.org\/r\/0 · #etiqueta-0 .* #etiqueta-9 · @Ana Huamán$/);
    expect(shared?.lines[1]?.text).toContain(' · https://example.org/… · ');
    expect(summaryParts(weekWith({ newResources: { items: [], total: 1 } }), 'es')).toEqual(['1 recurso nuevo']);
  });
  it('GIVEN the big week THEN it renders more than 50 lines', () => {
    expect(replyTexts(renderDigest(bigWeek(), 'en')).length).toBeGreaterThan(50);
  });
});

describe('polls and decisions', () => {
  const decision = (overrides: Partial<DigestDecision>): DigestDecision => ({
    number: 5, kind: 'proposal', question: 'We sign', closedAt: DIGEST_AT, anonymous: false, voters: 3,
    outcome: [
      { label: 'block', code: 'block', votes: 2 },
      { label: 'agree', code: 'agree', votes: 1 },
      { label: 'abstain', code: 'abstain', votes: 0 },
      { label: 'disagree', code: 'disagree', votes: 0 },
    ],
    blockedBy: ['@ana', '@luis'],
    ...overrides,
  });
  const decisionLine = (week: DigestWeek, locale: 'en' | 'es' = 'en') => renderDigest(week, locale).sections?.[0]?.lines[0]?.text;

  it('GIVEN a proposal blocked by name THEN the digest names who blocked', () => {
    expect(decisionLine(weekWith({ decisions: { items: [decision({})], total: 1 } }), 'es')).toBe('Propuesta #5: We sign → bloqueada por @ana, @luis');
  });
  it('GIVEN an anonymous proposal blocked THEN nobody is named, even were names given', () => {
    expect(decisionLine(weekWith({ decisions: { items: [decision({ anonymous: true })], total: 1 } }))).toBe('Proposal #5: We sign → blocked (2 blocks)');
  });
  it('GIVEN a proposal agreed THEN the tallies show, by their codes in the reader\'s words', () => {
    const agreed = decision({
      outcome: [
        { label: 'agree', code: 'agree', votes: 3 },
        { label: 'abstain', code: 'abstain', votes: 1 },
        { label: 'disagree', code: 'disagree', votes: 0 },
        { label: 'block', code: 'block', votes: 0 },
      ],
      blockedBy: [],
    });
    expect(decisionLine(weekWith({ decisions: { items: [agreed], total: 1 } }), 'es')).toBe(
      'Propuesta #5: We sign → aprobada (de acuerdo: 3, abstenciones: 1, en desacuerdo: 0)',
    );
  });
  it('GIVEN a poll with a tie, or no votes THEN the digest says so', () => {
    const tie = decision({ kind: 'choice', outcome: [{ label: 'Lima', code: null, votes: 2 }, { label: 'Cusco', code: null, votes: 2 }], blockedBy: [] });
    expect(decisionLine(weekWith({ decisions: { items: [tie], total: 1 } }))).toBe('Poll #5: We sign → a tie between Lima / Cusco');
    const none = decision({ kind: 'choice', voters: 0, outcome: [{ label: 'Lima', code: null, votes: 0 }], blockedBy: [] });
    expect(decisionLine(weekWith({ decisions: { items: [none], total: 1 } }), 'es')).toBe('Encuesta #5: We sign → nadie votó');
  });
  it('GIVEN an open poll hiding its results THEN its line gives the turnout and says results come at the close', () => {
    const hidden = { ...poll(9, 'choice'), hideResults: true, closesAt: new Date('2026-12-04T22:00:00Z'), voters: 4, eligible: 12 };
    expect(renderDigest(weekWith({ openPolls: { items: [hidden], total: 1 } }), 'en').sections?.[0]?.lines[0]?.text).toBe(
      'Poll #9: Question 9? · closes Fri, Dec 4, 17:00 · 4 of 12 voted · results when it closes · vote with `vote 9 <option>`',
    );
  });
  it('GIVEN an open proposal in Spanish THEN the pointer to vote is in Spanish command words', () => {
    expect(renderDigest(weekWith({ openPolls: { items: [poll(3, 'proposal')], total: 1 } }), 'es').sections?.[0]?.lines[0]?.text).toBe(
      'Propuesta #3: Question 3? · sin fecha de cierre · votaron 1 de 4 · vota con `votar 3 <opción>`',
    );
  });
});
