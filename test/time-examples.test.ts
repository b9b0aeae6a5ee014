// Every date and time shown as an example (help, error messages, Discord option descriptions, form labels), in both catalogs, is one Minga understands as shown.
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../src/commands/parse.js';
import { en } from '../src/i18n/en.js';
import { es } from '../src/i18n/es.js';
import { readWhen } from '../src/time/read.js';
import { FIXED_NOW } from './support/core.js';

const catalogs = { en, es };
const context = { now: FIXED_NOW, timeZone: 'America/Bogota' };

/** The `code` spans of one message. */
const examples = (message: string) => [...message.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);

/** The examples listed in plain words: "When it is due: a, b or c", "Closes (e.g. a or b)". */
const listed = (message: string) =>
  message
    .replace(/^.*?(?:: |\((?:e\.g\.|p\. ej\.) )/, '')
    .replace(/\)$/, '')
    .split(/, | or | o /);

describe.each(['en', 'es'] as const)('time examples in %s', (locale) => {
  const catalog = catalogs[locale];
  const read = (text: string) => readWhen(text, { ...context, locale, defaultTime: '23:59' });

  it.each([...examples(catalog['help.dates']), ...examples(catalog['error.dateMissing'])])('GIVEN the due example %j THEN a task gets that day', (example) => {
    const result = parseCommand(`task add Print flyers ${example}`, { ...context, locale });
    expect(result.ok && result.command.kind === 'task.add' && result.command).toMatchObject({ title: 'Print flyers', dueOn: expect.any(String) });
  });

  it.each([...examples(catalog['help.when']), ...examples(catalog['error.pollClosesMissing'])])('GIVEN the deadline example %j THEN a poll closes then', (example) => {
    const result = parseCommand(`poll "Q" "A" "B" ${example}`, { ...context, locale });
    const closes = result.ok && result.command.kind === 'poll.create' ? result.command.closes : undefined;
    expect(closes && read(closes)).toMatchObject({ ok: true, kind: expect.stringMatching(/^(date|instant)$/) });
  });

  it.each(listed(catalog['discord.option.due.description']))('GIVEN the Discord due example %j THEN it reads as a day', (example) => {
    expect(read(example)).toMatchObject({ ok: true, kind: 'date' });
  });

  it.each([...listed(catalog['discord.option.closes.description']), ...listed(catalog['poll.form.closes'])])(
    'GIVEN the deadline example %j in a form or Discord option THEN it reads as a moment or a day',
    (example) => {
      expect(read(example)).toMatchObject({ ok: true, kind: expect.stringMatching(/^(date|instant)$/) });
    },
  );

  it.each(examples(catalog['time.examples.day']))('GIVEN the day example %j THEN it reads as a day', (example) => {
    expect(read(example)).toMatchObject({ ok: true, kind: 'date' });
  });

  it.each(examples(catalog['time.examples.moment']))('GIVEN the moment example %j THEN it reads as a moment', (example) => {
    expect(read(example)).toMatchObject({ ok: true, kind: 'instant' });
  });

  it.each(examples(catalog['time.examples.recurring']))('GIVEN the recurring example %j THEN it reads as a recurring time', (example) => {
    expect(read(example)).toMatchObject({ ok: true, kind: 'recurring' });
  });
});
