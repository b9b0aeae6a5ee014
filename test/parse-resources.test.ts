// The resources and export commands, pure: text in either language → a command or the user's error; Discord's options → the same commands.
import { describe, expect, it } from 'vitest';
import { commandFromOptions, type OptionSource } from '../adapters/discord/options.js';
import { parseCommand } from '../src/commands/parse.js';
import { searchText, urlWords } from '../src/resources.js';
import { FIXED_NOW } from './support/core.js';

const context = { now: FIXED_NOW, timeZone: 'UTC', locale: 'en' as const };
const parsed = (text: string) => {
  const result = parseCommand(text, context);
  return result.ok ? result.command : { error: result.error.key, params: result.error.params };
};

describe('parsing resources and exports', () => {
  it.each([
    ['share https://example.org/guide Advocacy guide', { kind: 'resource.share', url: 'https://example.org/guide', title: 'Advocacy guide', tags: [] }],
    ['compartir <https://example.org/g> "Guía #1 de incidencia" #Incidencia #GÉNERO', { kind: 'resource.share', url: 'https://example.org/g', title: 'Guía #1 de incidencia', tags: ['incidencia', 'genero'] }],
    ['resource add https://example.org/x X', { kind: 'resource.share', url: 'https://example.org/x', title: 'X', tags: [] }],
    ['resources', { kind: 'resource.search', words: '', tags: [] }],
    ['recursos #Agua organización "buenas prácticas"', { kind: 'resource.search', words: 'organización buenas prácticas', tags: ['agua'] }],
    ['recurso buscar agua', { kind: 'resource.search', words: 'agua', tags: [] }],
    ['resource remove #3', { kind: 'resource.remove', resource: { number: 3 } }],
    ['recurso quitar 4', { kind: 'resource.remove', resource: { number: 4 } }],
    ['export tasks', { kind: 'export', what: 'tasks' }],
    ['exportar encuestas', { kind: 'export', what: 'polls' }],
    ['exportar recursos', { kind: 'export', what: 'resources' }],
    ['EXPORTAR MIEMBROS', { kind: 'export', what: 'members' }],
  ])('GIVEN %s THEN it is read', (text, command) => {
    expect(parsed(text)).toEqual(command);
  });

  it.each([
    ['share', 'error.resourceUrlMissing'],
    ['share data:text/html,hi Title', 'error.resourceUrlInvalid'],
    ['share https://example.org', 'error.resourceTitleMissing'],
    ['share https://example.org T #a #b #c #d #e #f #g #h #i #j #k', 'error.resourceTooManyTags'],
    ['recursos #no/valid', 'error.resourceTagInvalid'],
    ['recurso quitar tres', 'error.resourceNumberInvalid'],
    ['resource frobnicate', 'error.unknownCommand'],
    ['export tasks now', 'error.unexpectedInput'],
    ['exportar todo', 'error.exportWhatInvalid'],
  ])('GIVEN %s THEN it is refused with %s', (text, key) => {
    expect(parsed(text)).toMatchObject({ error: key });
  });
});

describe('what full-text search reads', () => {
  it('GIVEN a url THEN its host labels but www, and its path and query words, decoded', () => {
    expect(urlWords('https://www.redes.example.org/guías/fortalecimiento_organizaciones?tema=agua%20limpia#parte-2')).toEqual([
      'redes', 'example', 'org', 'guías', 'fortalecimiento', 'organizaciones', 'tema', 'agua', 'limpia', 'parte',
    ]);
  });
  it('GIVEN a resource THEN title, tags and url words, lower case, without accents', () => {
    expect(searchText({ url: 'https://example.org/Género', title: 'Guía de Organización', tags: ['incidencia'] })).toBe('guia de organizacion incidencia example org genero');
  });
});

describe('Discord options for resources and exports', () => {
  const source = (values: Record<string, string | number>): OptionSource => ({
    string: (name) => (typeof values[name] === 'string' ? (values[name] as string) : undefined),
    integer: (name) => (typeof values[name] === 'number' ? (values[name] as number) : undefined),
    boolean: () => undefined,
    member: () => undefined,
    channel: () => undefined,
  });
  it.each([
    ['resource', 'share', { link: 'https://example.org', title: 'Guide', tags: '#Water, advocacy' }, { kind: 'resource.share', url: 'https://example.org', title: 'Guide', tags: ['#Water', 'advocacy'] }],
    ['resource', 'search', { words: 'organización #Agua' }, { kind: 'resource.search', words: 'organización', tags: ['#Agua'] }],
    ['resource', 'search', {}, { kind: 'resource.search', words: '', tags: [] }],
    ['resource', 'remove', { number: 2 }, { kind: 'resource.remove', resource: { number: 2 } }],
    [null, 'export', { what: 'members' }, { kind: 'export', what: 'members' }],
  ])('GIVEN /minga %s %s with %o THEN the command the core checks', (group, subcommand, values, command) => {
    expect(commandFromOptions(group, subcommand, source(values))).toEqual({ command });
  });
});
