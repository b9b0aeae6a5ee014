// The golden digests as Slack and Discord receive them: the seeded, big and empty weeks in both languages as Block Kit and as embeds, within each platform's limits.
import { describe, expect, it } from 'vitest';
import { LIMITS as DISCORD, renderMessage as renderDiscord } from '../adapters/discord/render.js';
import { LIMITS as SLACK, renderMessage as renderSlack } from '../adapters/slack/blocks.js';
import type { DigestWeek } from '../src/digest-week.js';
import { renderDigest } from '../src/render/digest.js';
import { bigWeek, emptyWeek, seededWeek } from './support/digest-week.js';

const LOCALES = ['en', 'es'] as const;
const WEEKS: [string, () => DigestWeek][] = [['seeded', seededWeek], ['big', bigWeek], ['empty', emptyWeek]];
const cases = WEEKS.flatMap(([name, week]) => LOCALES.map((locale) => [name, locale, week] as const));
const asFile = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Every character Discord counts toward an embed's 6,000. */
function embedLength(embed: { title?: string; description?: string; fields?: { name: string; value: string }[]; footer?: { text: string } }): number {
  return (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0) + (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0);
}

describe('golden digests on Slack', () => {
  it.each(cases)('GIVEN the %s week in %s THEN the Block Kit message reads as its golden file, within Slack\'s limits', async (name, locale, week) => {
    const message = renderSlack(renderDigest(week(), locale));
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK.blocks);
    for (const block of message.blocks) {
      if (block.type === 'section' && block.text) expect(block.text.text.length).toBeLessThanOrEqual(SLACK.sectionText);
    }
    await expect(asFile(message)).toMatchFileSnapshot(`./golden/digest-${name}.${locale}.slack.json`);
  });
});

describe('golden digests on Discord', () => {
  it.each(cases)('GIVEN the %s week in %s THEN the embeds read as their golden file, within Discord\'s limits', async (name, locale, week) => {
    const message = renderDiscord(renderDigest(week(), locale));
    expect(message.embeds.length).toBeLessThanOrEqual(10);
    expect(message.embeds.reduce((sum, embed) => sum + embedLength(embed), 0)).toBeLessThanOrEqual(DISCORD.embedTotal);
    for (const embed of message.embeds) {
      expect(embed.description?.length ?? 0).toBeLessThanOrEqual(DISCORD.embedDescription);
      expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(DISCORD.fields);
    }
    await expect(asFile({ content: message.content, embeds: message.embeds })).toMatchFileSnapshot(`./golden/digest-${name}.${locale}.discord.json`);
  });
});
