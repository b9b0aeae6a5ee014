// The /minga slash command as Discord registers it: subcommands mirroring the text language, typed options, Spanish names. Pure.
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOptionChoice,
  type APIApplicationCommandSubcommandGroupOption,
  type APIApplicationCommandSubcommandOption,
  type LocalizationMap,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { ORG_NAME_MAX } from '../../src/commands/parse.js';
import { TITLE_MAX } from '../../src/commands/rules.js';
import { t, type MessageKey } from '../../src/i18n/index.js';

/** Discord's locales that read our Spanish catalog. */
export const SPANISH_LOCALES = ['es-ES', 'es-419'] as const;

/** Catalog keys that come as a pair `<base>.name` + `<base>.description`. */
type Named<K = MessageKey> = K extends `${infer Base}.name` ? (`${Base}.description` extends MessageKey ? Base : never) : never;

function spanish(key: MessageKey): LocalizationMap {
  return Object.fromEntries(SPANISH_LOCALES.map((locale) => [locale, t('es', key)]));
}

/** Name and description in English, with their Spanish localizations, all from the catalogs. */
function named(base: Named) {
  const name = `${base}.name` as const;
  const description = `${base}.description` as const;
  return {
    name: t('en', name),
    name_localizations: spanish(name),
    description: t('en', description),
    description_localizations: spanish(description),
  };
}

function choice<V extends string>(key: MessageKey, value: V): APIApplicationCommandOptionChoice<V> {
  return { name: t('en', key), name_localizations: spanish(key), value };
}

function subcommand(base: Named, options: APIApplicationCommandBasicOption[] = []): APIApplicationCommandSubcommandOption {
  return { type: ApplicationCommandOptionType.Subcommand, ...named(base), options };
}

function group(base: Named, options: APIApplicationCommandSubcommandOption[]): APIApplicationCommandSubcommandGroupOption {
  return { type: ApplicationCommandOptionType.SubcommandGroup, ...named(base), options };
}

/** Option names as the handler reads them (Discord always sends the English names, whatever the member's language). */
export const OPTION = {
  language: t('en', 'discord.lang.language.name'),
  for: t('en', 'discord.lang.for.name'),
  title: t('en', 'discord.option.title.name'),
  assignee: t('en', 'discord.option.assignee.name'),
  org: t('en', 'discord.option.org.name'),
  due: t('en', 'discord.option.due.name'),
  number: t('en', 'discord.option.number.name'),
  filter: t('en', 'discord.option.filter.name'),
  slug: t('en', 'discord.option.slug.name'),
  orgName: t('en', 'discord.option.orgName.name'),
  joiner: t('en', 'discord.option.joiner.name'),
} as const;

const taskNumber = (autocomplete: boolean): APIApplicationCommandBasicOption => ({
  type: ApplicationCommandOptionType.Integer,
  ...named('discord.option.number'),
  required: true,
  min_value: 1,
  max_value: 999_999_999,
  // Autocomplete offers open tasks only, so reopening (done tasks) takes a typed number.
  autocomplete,
});

const assigneeOptions: APIApplicationCommandBasicOption[] = [
  { type: ApplicationCommandOptionType.User, ...named('discord.option.assignee') },
  // Room for a pasted `org:` in front of the 32-character slug.
  { type: ApplicationCommandOptionType.String, ...named('discord.option.org'), min_length: 2, max_length: 36 },
];

const slugOption: APIApplicationCommandBasicOption = {
  type: ApplicationCommandOptionType.String,
  ...named('discord.option.slug'),
  required: true,
  min_length: 2,
  max_length: 36,
};

/** The one command Minga registers. Global commands are limited to servers: a DM has no alliance. */
export function mingaCommand(scope: 'guild' | 'global'): RESTPostAPIChatInputApplicationCommandsJSONBody {
  return {
    type: ApplicationCommandType.ChatInput,
    ...named('discord.minga'),
    ...(scope === 'global' && { contexts: [InteractionContextType.Guild], integration_types: [ApplicationIntegrationType.GuildInstall] }),
    options: [
      subcommand('discord.help'),
      subcommand('discord.lang', [
        {
          type: ApplicationCommandOptionType.String,
          ...named('discord.lang.language'),
          choices: [choice('language.en', 'en'), choice('language.es', 'es')],
        },
        {
          type: ApplicationCommandOptionType.String,
          ...named('discord.lang.for'),
          choices: [choice('discord.lang.for.me', 'me'), choice('discord.lang.for.alliance', 'alliance')],
        },
      ]),
      group('discord.task', [
        subcommand('discord.task.add', [
          { type: ApplicationCommandOptionType.String, ...named('discord.option.title'), required: true, min_length: 1, max_length: TITLE_MAX },
          ...assigneeOptions,
          { type: ApplicationCommandOptionType.String, ...named('discord.option.due'), max_length: 40 },
        ]),
        subcommand('discord.task.list', [
          {
            type: ApplicationCommandOptionType.String,
            ...named('discord.option.filter'),
            choices: [
              choice('task.list.open', 'open'),
              choice('task.list.mine', 'mine'),
              choice('task.list.overdue', 'overdue'),
              choice('task.list.all', 'all'),
            ],
          },
        ]),
        subcommand('discord.task.done', [taskNumber(true)]),
        subcommand('discord.task.assign', [taskNumber(true), ...assigneeOptions]),
        subcommand('discord.task.reopen', [taskNumber(false)]),
        subcommand('discord.task.delete', [taskNumber(true)]),
      ]),
      group('discord.org', [
        subcommand('discord.org.add', [
          slugOption,
          { type: ApplicationCommandOptionType.String, ...named('discord.option.orgName'), required: true, max_length: ORG_NAME_MAX },
        ]),
        subcommand('discord.org.list'),
        subcommand('discord.org.join', [slugOption, { type: ApplicationCommandOptionType.User, ...named('discord.option.joiner') }]),
      ]),
    ],
  };
}
