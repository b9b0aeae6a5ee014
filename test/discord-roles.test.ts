// The /minga definition and option mapping for the alliance's structure: alliance, org leave/show/rename/remove, coordinator, history. Pure.
import { describe, expect, it } from 'vitest';
import { mingaCommand } from '../adapters/discord/commands.js';
import { commandFromOptions, type OptionSource } from '../adapters/discord/options.js';
import type { MemberMention } from '../src/commands/command.js';

// Option trees are walked generically here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Node = any;

function source(values: Record<string, string | number | MemberMention>): OptionSource {
  return {
    string: (name) => (typeof values[name] === 'string' ? (values[name] as string) : undefined),
    integer: (name) => (typeof values[name] === 'number' ? (values[name] as number) : undefined),
    boolean: () => undefined,
    member: (name) => (typeof values[name] === 'object' ? (values[name] as MemberMention) : undefined),
    channel: () => undefined,
  };
}

describe('the /minga definition for the alliance\'s structure', () => {
  const options = mingaCommand('guild').options as Node[];
  const names = (node: Node) => (node.options as Node[]).map((o) => `${o.name}/${o.name_localizations['es-419']}`);

  it('GIVEN the alliance, coordinator and org groups and history THEN they mirror the text language in both languages', () => {
    expect(names(options.find((o) => o.name === 'alliance'))).toEqual(['show/ver', 'rename/renombrar', 'link/vincular', 'join/unirse', 'unlink/desvincular', 'channel/canal']);
    expect(names(options.find((o) => o.name === 'coordinator'))).toEqual(['list/lista', 'add/agregar', 'remove/quitar']);
    expect(names(options.find((o) => o.name === 'org'))).toEqual(['add/nueva', 'list/lista', 'join/unir', 'leave/salir', 'show/ver', 'rename/renombrar', 'remove/quitar']);
    expect(names(options.find((o) => o.name === 'history'))).toEqual(['task/tarea', 'poll/encuesta', 'org/org', 'page/página']);
  });
});

describe('mapping the structure\'s options onto core commands', () => {
  const lucia = { userId: '42', name: 'Lucía' };
  it.each([
    ['alliance', 'show', {}, { kind: 'alliance.show' }],
    ['alliance', 'rename', { name: 'Red Andina' }, { kind: 'alliance.rename', name: 'Red Andina' }],
    ['org', 'leave', {}, { kind: 'org.leave' }],
    ['org', 'leave', { slug: 'huertas', member: lucia }, { kind: 'org.leave', slug: 'huertas', member: lucia }],
    ['org', 'show', { slug: 'huertas' }, { kind: 'org.show', slug: 'huertas' }],
    ['org', 'rename', { slug: 'huertas', name: 'Huertas del Sur' }, { kind: 'org.rename', slug: 'huertas', name: 'Huertas del Sur' }],
    ['org', 'remove', { slug: 'huertas' }, { kind: 'org.remove', slug: 'huertas' }],
    ['coordinator', 'list', {}, { kind: 'coordinator.list' }],
    ['coordinator', 'add', { member: lucia }, { kind: 'coordinator.add', member: lucia }],
    ['coordinator', 'remove', { member: lucia }, { kind: 'coordinator.remove', member: lucia }],
    [null, 'history', {}, { kind: 'history', page: 1 }],
    [null, 'history', { task: 3, page: 2 }, { kind: 'history', about: { kind: 'task', number: 3 }, page: 2 }],
    [null, 'history', { poll: 2 }, { kind: 'history', about: { kind: 'poll', number: 2 }, page: 1 }],
    [null, 'history', { org: 'huertas' }, { kind: 'history', about: { kind: 'org', slug: 'huertas' }, page: 1 }],
  ] as const)('GIVEN /minga %s %s %j THEN the core gets the command', (group, subcommand, values, command) => {
    expect(commandFromOptions(group, subcommand, source(values))).toEqual({ command });
  });

  it('GIVEN history about two things at once THEN the member is told to choose one', () => {
    const mapped = commandFromOptions(null, 'history', source({ task: 1, poll: 2 }));
    expect(mapped).toMatchObject({ error: { key: 'discord.oneHistorySubject' } });
  });
});
