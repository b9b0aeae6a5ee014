// The /minga command for Discord, pure: a definition Discord accepts, options mapped onto core commands, registration comparison, settings.
import type { APIApplicationCommand } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { mingaCommand, SPANISH_LOCALES } from '../adapters/discord/commands.js';
import { discordConfigured, loadDiscordConfig } from '../adapters/discord/config.js';
import { commandFromOptions, type OptionSource } from '../adapters/discord/options.js';
import { sameCommands } from '../adapters/discord/registration.js';
import type { MemberMention } from '../src/commands/command.js';
import { ConfigError } from '../src/config.js';

// Option trees are walked generically here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Node = any;

const NAME = /^[-_\p{L}\p{N}]{1,32}$/u;

/** Every node of the command: the command itself, groups, subcommands and options, with its depth. */
function nodes(node: Node, depth = 0): { node: Node; depth: number }[] {
  return [{ node, depth }, ...((node.options ?? []) as Node[]).flatMap((child) => nodes(child, depth + 1))];
}

describe('the /minga definition', () => {
  const command = mingaCommand('guild');

  it.each(nodes(command).map(({ node }) => [node.name, node] as const))('GIVEN %s THEN its names and descriptions are valid in English and Spanish', (_name, node) => {
    for (const name of [node.name, ...SPANISH_LOCALES.map((l) => node.name_localizations[l])]) {
      expect(name).toMatch(NAME);
      expect(name).toBe(name.toLowerCase());
    }
    for (const description of [node.description, ...SPANISH_LOCALES.map((l) => node.description_localizations[l])]) {
      expect(description.length).toBeGreaterThan(0);
      expect(description.length).toBeLessThanOrEqual(100);
    }
    for (const choice of node.choices ?? []) {
      expect(choice.name.length).toBeLessThanOrEqual(100);
      expect(choice.name_localizations['es-ES']).toBeTruthy();
    }
  });

  it('GIVEN each level THEN names are unique in each language, at most 25 options, and required ones come first', () => {
    for (const { node } of nodes(command)) {
      const options: Node[] = node.options ?? [];
      expect(options.length).toBeLessThanOrEqual(25);
      for (const locale of [undefined, ...SPANISH_LOCALES]) {
        const names = options.map((o) => (locale ? o.name_localizations[locale] : o.name));
        expect(new Set(names).size).toBe(names.length);
      }
      const required = options.map((o) => Boolean(o.required));
      expect(required).toEqual([...required].sort((a, b) => Number(b) - Number(a)));
    }
  });

  it('GIVEN the whole command THEN it stays under Discord\'s 8,000 characters in each language', () => {
    const size = (locale?: string) =>
      nodes(command).reduce((sum, { node }) => {
        const name = locale ? node.name_localizations[locale] : node.name;
        const description = locale ? node.description_localizations[locale] : node.description;
        const choices = (node.choices ?? []).reduce((s: number, c: Node) => s + (locale ? c.name_localizations[locale] : c.name).length + String(c.value).length, 0);
        return sum + name.length + description.length + choices;
      }, 0);
    expect(size()).toBeLessThan(8000);
    expect(size('es-419')).toBeLessThan(8000);
  });

  it('GIVEN the poll group THEN its subcommands mirror the text language, and poll create takes typed options up to Discord\'s 25', () => {
    const poll = command.options!.find((o: Node) => o.name === 'poll') as Node;
    expect(poll.name_localizations['es-419']).toBe('encuesta');
    expect(poll.options.map((o: Node) => `${o.name}/${o.name_localizations['es-ES']}`)).toEqual([
      'create/nueva', 'proposal/propuesta', 'vote/votar', 'close/cerrar', 'results/resultados', 'list/lista', 'export/exportar', 'remind/recordar', 'delete/borrar',
    ]);
    const create = poll.options[0].options as Node[];
    expect(create).toHaveLength(25);
    expect(create.slice(0, 3).map((o) => [o.name, o.type, o.required, o.max_length])).toEqual([
      ['question', 3, true, 300],
      ['option1', 3, true, 75],
      ['option2', 3, true, 75],
    ]);
    // 19 options, so that `everywhere` fits beside the question and the other settings.
    expect(create[19]).toMatchObject({ name: 'option19', name_localizations: { 'es-ES': 'opción19' }, required: false });
    expect(create.slice(20).map((o) => `${o.name}:${o.type}`)).toEqual(['multi:4', 'closes:3', 'anonymous:5', 'hide_results:5', 'everywhere:5']);
    expect(create[24]).toMatchObject({ name_localizations: { 'es-ES': 'en_todas_partes', 'es-419': 'en_todas_partes' } });
    const proposal = poll.options[1].options as Node[];
    expect(proposal.map((o) => o.name)).toEqual(['text', 'closes', 'anonymous', 'hide_results', 'everywhere']);
    const vote = poll.options[2].options as Node[];
    expect(vote.map((o) => [o.name, o.type, o.autocomplete])).toEqual([['poll', 4, true], ['option', 3, true]]);
  });

  it('GIVEN global registration THEN it is limited to servers; a server registration says nothing of it', () => {
    expect(mingaCommand('global')).toMatchObject({ contexts: [0], integration_types: [0] });
    expect(command).not.toHaveProperty('contexts');
  });
});

/** Options as a plain object, the way discord.js's resolver would answer for them. */
function source(values: Record<string, string | number | boolean | MemberMention | { id: string; name?: string }>): OptionSource {
  const value = values as Record<string, unknown>;
  return {
    string: (name) => (typeof value[name] === 'string' ? (value[name] as string) : undefined),
    integer: (name) => (typeof value[name] === 'number' ? (value[name] as number) : undefined),
    boolean: (name) => (typeof value[name] === 'boolean' ? (value[name] as boolean) : undefined),
    member: (name) => (typeof value[name] === 'object' && 'userId' in (value[name] as object) ? (value[name] as MemberMention) : undefined),
    channel: (name) => (typeof value[name] === 'object' && 'id' in (value[name] as object) ? (value[name] as { id: string; name?: string }) : undefined),
  };
}

describe('mapping /minga options onto core commands', () => {
  const lucia = { userId: '42', name: 'Lucía' };

  it.each([
    [null, 'help', {}, { kind: 'help' }],
    [null, 'lang', {}, { kind: 'lang.show' }],
    [null, 'lang', { language: 'es' }, { kind: 'lang.set', scope: 'member', locale: 'es' }],
    [null, 'lang', { language: 'en', for: 'alliance' }, { kind: 'lang.set', scope: 'alliance', locale: 'en' }],
    ['task', 'add', { title: 'Regar', member: lucia, due: 'viernes' }, { kind: 'task.add', title: 'Regar', assignee: { kind: 'member', member: lucia }, dueOn: 'viernes' }],
    // Slugs and names go to the core as typed: it checks them and answers in the member's own language.
    ['task', 'add', { title: 'Regar', org: 'org:Huertas' }, { kind: 'task.add', title: 'Regar', assignee: { kind: 'organization', slug: 'org:Huertas' } }],
    ['task', 'list', {}, { kind: 'task.list', filter: 'open' }],
    ['task', 'list', { filter: 'overdue' }, { kind: 'task.list', filter: 'overdue' }],
    ['task', 'done', { number: 3 }, { kind: 'task.done', task: { number: 3 } }],
    ['task', 'assign', { number: 3, org: 'huertas' }, { kind: 'task.assign', task: { number: 3 }, assignee: { kind: 'organization', slug: 'huertas' } }],
    ['task', 'reopen', { number: 3 }, { kind: 'task.reopen', task: { number: 3 } }],
    ['task', 'delete', { number: 3 }, { kind: 'task.delete', task: { number: 3 } }],
    ['task', 'reminders', {}, { kind: 'task.reminders' }],
    ['task', 'reminders', { switch: 'off' }, { kind: 'task.reminders', enabled: false }],
    ['task', 'reminders', { switch: 'on' }, { kind: 'task.reminders', enabled: true }],
    ['org', 'add', { slug: 'huertas', name: ' Huertas Unidas ' }, { kind: 'org.add', slug: 'huertas', name: ' Huertas Unidas ' }],
    ['org', 'list', {}, { kind: 'org.list' }],
    ['org', 'join', { slug: 'huertas' }, { kind: 'org.join', slug: 'huertas' }],
    ['org', 'join', { slug: 'huertas', member: lucia }, { kind: 'org.join', slug: 'huertas', member: lucia }],
    [
      'poll',
      'create',
      { question: '¿Sede?', option1: 'Lima', option2: 'Cusco' },
      { kind: 'poll.create', pollKind: 'choice', question: '¿Sede?', options: ['Lima', 'Cusco'], maxChoices: 1, anonymous: false, hideResults: false },
    ],
    [
      'poll',
      'create',
      { question: 'Days?', option1: 'Mon', option2: 'Tue', option19: 'Sun', multi: 2, anonymous: true, closes: ' tomorrow 18:00 ', hide_results: true },
      { kind: 'poll.create', pollKind: 'choice', question: 'Days?', options: ['Mon', 'Tue', 'Sun'], maxChoices: 2, anonymous: true, hideResults: true, closes: 'tomorrow 18:00' },
    ],
    [
      'poll',
      'proposal',
      { text: 'We sign the letter', closes: 'viernes', anonymous: true },
      { kind: 'poll.create', pollKind: 'proposal', question: 'We sign the letter', options: [], maxChoices: 1, anonymous: true, hideResults: false, closes: 'viernes' },
    ],
    [
      'poll',
      'create',
      { question: '¿Sede?', option1: 'Lima', option2: 'Cusco', everywhere: true },
      { kind: 'poll.create', pollKind: 'choice', question: '¿Sede?', options: ['Lima', 'Cusco'], maxChoices: 1, anonymous: false, hideResults: false, everywhere: true },
    ],
    [
      'poll',
      'proposal',
      { text: 'We sign the letter', everywhere: true },
      { kind: 'poll.create', pollKind: 'proposal', question: 'We sign the letter', options: [], maxChoices: 1, anonymous: false, hideResults: false, everywhere: true },
    ],
    ['poll', 'vote', { poll: 2, option: '3' }, { kind: 'poll.vote', poll: { number: 2 }, choices: [{ position: 3 }] }],
    ['poll', 'vote', { poll: 2, option: '#1, 3' }, { kind: 'poll.vote', poll: { number: 2 }, choices: [{ position: 1 }, { position: 3 }] }],
    ['poll', 'vote', { poll: 2, option: ' de acuerdo ' }, { kind: 'poll.vote', poll: { number: 2 }, choices: [{ label: 'de acuerdo' }] }],
    ['poll', 'close', { poll: 2 }, { kind: 'poll.close', poll: { number: 2 } }],
    ['poll', 'results', { poll: 2 }, { kind: 'poll.results', poll: { number: 2 } }],
    ['poll', 'list', {}, { kind: 'poll.list' }],
    ['poll', 'export', { poll: 2 }, { kind: 'poll.export', poll: { number: 2 } }],
    ['poll', 'remind', { poll: 2 }, { kind: 'poll.remind', poll: { number: 2 } }],
    ['poll', 'delete', { poll: 2 }, { kind: 'poll.delete', poll: { number: 2 } }],
    ['remind', 'set', { when: 'mañana a las 9', text: 'Regar' }, { kind: 'reminder.create', target: { kind: 'me' }, when: 'mañana a las 9', text: 'Regar' }],
    ['remind', 'set', { when: 'in 1 hour', text: 'Call', member: lucia }, { kind: 'reminder.create', target: { kind: 'member', member: lucia }, when: 'in 1 hour', text: 'Call' }],
    ['remind', 'set', { when: 'friday 9am', text: 'Bring', org: 'huertas' }, { kind: 'reminder.create', target: { kind: 'organization', slug: 'huertas' }, when: 'friday 9am', text: 'Bring' }],
    [
      'remind',
      'set',
      { when: 'every monday 9:00', text: 'Plan', channel: { id: '77', name: 'general' } },
      { kind: 'reminder.create', target: { kind: 'channel', channel: { id: '77', name: 'general' } }, when: 'every monday 9:00', text: 'Plan' },
    ],
    ['remind', 'set', { when: 'in 1 minute', text: 'Stand-up', here: true }, { kind: 'reminder.create', target: { kind: 'here' }, when: 'in 1 minute', text: 'Stand-up' }],
    ['remind', 'set', { when: 'in 1 hour', text: 'Assembly', everywhere: true }, { kind: 'reminder.create', target: { kind: 'everywhere' }, when: 'in 1 hour', text: 'Assembly' }],
    ['remind', 'list', {}, { kind: 'reminder.list' }],
    ['remind', 'cancel', { reminder: 2 }, { kind: 'reminder.cancel', reminder: { number: 2 } }],
    ['digest', 'show', {}, { kind: 'digest.show' }],
    ['digest', 'on', {}, { kind: 'digest.on' }],
    ['digest', 'on', { when: ' viernes 17:00 ', language: 'es' }, { kind: 'digest.on', when: 'viernes 17:00', locale: 'es' }],
    ['digest', 'on', { when: '  ', language: 'xx' }, { kind: 'digest.on' }],
    ['digest', 'off', {}, { kind: 'digest.off' }],
    ['digest', 'now', {}, { kind: 'digest.now' }],
    ['digest', 'preview', {}, { kind: 'digest.preview' }],
    [null, 'timezone', {}, { kind: 'timezone.show' }],
    [null, 'timezone', { zone: ' America/Lima ' }, { kind: 'timezone.set', scope: 'member', zone: 'America/Lima' }],
    [null, 'timezone', { zone: 'auto' }, { kind: 'timezone.set', scope: 'member', zone: null }],
    [null, 'timezone', { zone: 'America/Bogota', for: 'alliance' }, { kind: 'timezone.set', scope: 'alliance', zone: 'America/Bogota' }],
  ] as const)('GIVEN /minga %s %s with %o THEN %o', (group, subcommand, values, command) => {
    expect(commandFromOptions(group, subcommand, source(values))).toEqual({ command });
  });

  it.each([
    ['task', 'add', { title: 'Regar', member: lucia, org: 'huertas' }, 'discord.oneAssignee'],
    ['task', 'assign', { number: 3 }, 'error.assigneeMissing'],
    ['poll', 'vote', { poll: 2, option: '   ' }, 'error.voteChoiceMissing'],
    ['poll', 'tally', { poll: 2 }, 'error.unknownCommand'],
    ['remind', 'set', { when: 'in 1 hour', text: 'Call', member: lucia, here: true }, 'everywhere.oneTarget'],
    ['remind', 'set', { when: 'in 1 hour', text: 'Call', here: true, everywhere: true }, 'everywhere.oneTarget'],
  ] as const)('GIVEN /minga %s %s with %o THEN the user error %s', (group, subcommand, values, key) => {
    const mapped = commandFromOptions(group, subcommand, source(values));
    expect('error' in mapped && mapped.error.key).toBe(key);
  });
});

describe('comparing with what Discord has registered', () => {
  const wanted = mingaCommand('guild');
  /** What Discord answers for a registered command: ids and versions added, empty optional fields dropped or null. */
  function asRegistered(command: Node): APIApplicationCommand {
    const strip = (option: Node): Node => {
      const { required, options, ...rest } = option;
      return { ...rest, ...(required && { required }), ...(options?.length && { options: options.map(strip) }) };
    };
    return { ...command, id: '1', application_id: '2', guild_id: '3', version: '4', nsfw: false, default_member_permissions: null, options: command.options.map(strip) };
  }

  it('GIVEN the same command as Discord returns it THEN nothing needs writing', () => {
    expect(sameCommands([wanted], [asRegistered(wanted)])).toBe(true);
  });
  it('GIVEN a changed Spanish description THEN it must be written', () => {
    const changed = asRegistered(wanted);
    changed.description_localizations = { ...changed.description_localizations, 'es-419': 'otra' };
    expect(sameCommands([wanted], [changed])).toBe(false);
  });
  it('GIVEN nothing registered, or an extra command THEN it must be written', () => {
    expect(sameCommands([wanted], [])).toBe(false);
    expect(sameCommands([wanted], [asRegistered(wanted), { ...asRegistered(wanted), name: 'old' }])).toBe(false);
  });
});

describe('Discord settings', () => {
  it('GIVEN a token, an API URL with a trailing slash and a server id THEN they are read', () => {
    expect(loadDiscordConfig({ DISCORD_TOKEN: ' MTA.Gx1.abc-def_ ', DISCORD_API_URL: 'http://127.0.0.1:9/', DISCORD_GUILD_ID: '910000000000000001' })).toEqual({
      token: 'MTA.Gx1.abc-def_',
      apiUrl: 'http://127.0.0.1:9',
      guildId: '910000000000000001',
    });
  });
  it('GIVEN no DISCORD_* setting, or only empty ones THEN Discord is not selected', () => {
    expect(discordConfigured({})).toBe(false);
    expect(discordConfigured({ DISCORD_TOKEN: ' ', DISCORD_GUILD_ID: '' })).toBe(false);
    expect(discordConfigured({ DISCORD_GUILD_ID: '910000000000000001' })).toBe(true);
  });
  it.each([
    [{ DISCORD_GUILD_ID: '910000000000000001' }, /DISCORD_TOKEN is missing/],
    [{ DISCORD_TOKEN: 'a-client-secret' }, /DISCORD_TOKEN does not look like a bot token/],
    [{ DISCORD_TOKEN: 'a.b.c', DISCORD_GUILD_ID: 'my server' }, /DISCORD_GUILD_ID is not a server id/],
    [{ DISCORD_TOKEN: 'a.b.c', DISCORD_API_URL: 'discord.com' }, /DISCORD_API_URL is not an http\(s\) URL/],
    [{ DISCORD_TOKEN: 'a.b.c', DISCORD_API_URL: 'https://discord.com/api/v10' }, /DISCORD_API_URL must not end with the API version/],
  ])('GIVEN %o THEN start-up stops naming the variable', (env, message) => {
    expect(() => loadDiscordConfig(env)).toThrow(ConfigError);
    expect(() => loadDiscordConfig(env)).toThrow(message);
  });
});
