// The /minga slash command as Discord registers it: subcommands mirroring the text language (tasks, organizations, polls, reminders, digests), typed options, Spanish names. Pure.
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOptionChoice,
  type APIApplicationCommandSubcommandGroupOption,
  type APIApplicationCommandSubcommandOption,
  type LocalizationMap,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { ORG_NAME_MAX } from '../../src/commands/rules.js';
import { CLOSES_MAX, OPTION_MAX, QUESTION_MAX } from '../../src/commands/parse-poll.js';
import { REMINDER_TEXT_MAX } from '../../src/commands/parse-remind.js';
import { MAX_WHEN_LENGTH } from '../../src/time/read.js';
import { TITLE_MAX } from '../../src/commands/rules.js';
import { ALLIANCE_NAME_MAX } from '../../src/commands/parse-roles.js';
import { t, type MessageKey, type MessageParams } from '../../src/i18n/index.js';
import { QUERY_MAX, RESOURCE_TITLE_MAX, TAG_MAX, TAGS_MAX, URL_MAX } from '../../src/resources.js';

/** Discord's locales that read our Spanish catalog. */
export const SPANISH_LOCALES = ['es-ES', 'es-419'] as const;

/** Catalog keys that come as a pair `<base>.name` + `<base>.description`. */
type Named<K = MessageKey> = K extends `${infer Base}.name` ? (`${Base}.description` extends MessageKey ? Base : never) : never;

function spanish(key: MessageKey, params: MessageParams = {}): LocalizationMap {
  return Object.fromEntries(SPANISH_LOCALES.map((locale) => [locale, t('es', key, params)]));
}

/** Name and description in English, with their Spanish localizations, all from the catalogs. */
function named(base: Named, params: MessageParams = {}) {
  const name = `${base}.name` as const;
  const description = `${base}.description` as const;
  return {
    name: t('en', name, params),
    name_localizations: spanish(name, params),
    description: t('en', description, params),
    description_localizations: spanish(description, params),
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
  switch: t('en', 'discord.option.switch.name'),
  slug: t('en', 'discord.option.slug.name'),
  orgName: t('en', 'discord.option.orgName.name'),
  joiner: t('en', 'discord.option.joiner.name'),
  question: t('en', 'discord.option.question.name'),
  proposal: t('en', 'discord.option.proposal.name'),
  multi: t('en', 'discord.option.multi.name'),
  anonymous: t('en', 'discord.option.anonymous.name'),
  closes: t('en', 'discord.option.closes.name'),
  hideResults: t('en', 'discord.option.hideResults.name'),
  everywhere: t('en', 'discord.option.everywhere.name'),
  poll: t('en', 'discord.option.poll.name'),
  choice: t('en', 'discord.option.choice.name'),
  when: t('en', 'discord.option.when.name'),
  reminderText: t('en', 'discord.option.reminderText.name'),
  remindMember: t('en', 'discord.option.remindMember.name'),
  remindOrg: t('en', 'discord.option.remindOrg.name'),
  channel: t('en', 'discord.option.channel.name'),
  here: t('en', 'discord.option.here.name'),
  reminder: t('en', 'discord.option.reminder.name'),
  zone: t('en', 'discord.option.zone.name'),
  zoneFor: t('en', 'discord.option.zoneFor.name'),
  schedule: t('en', 'discord.option.schedule.name'),
  digestLanguage: t('en', 'discord.option.digestLanguage.name'),
  allianceName: t('en', 'discord.option.allianceName.name'),
  leaver: t('en', 'discord.option.leaver.name'),
  member: t('en', 'discord.option.member.name'),
  historyTask: t('en', 'discord.option.historyTask.name'),
  historyPoll: t('en', 'discord.option.historyPoll.name'),
  historyOrg: t('en', 'discord.option.historyOrg.name'),
  page: t('en', 'discord.option.page.name'),
  url: t('en', 'discord.option.url.name'),
  resourceTitle: t('en', 'discord.option.resourceTitle.name'),
  tags: t('en', 'discord.option.tags.name'),
  query: t('en', 'discord.option.query.name'),
  resource: t('en', 'discord.option.resource.name'),
  exportWhat: t('en', 'discord.option.exportWhat.name'),
  linkCode: t('en', 'discord.option.linkCode.name'),
  homeChannel: t('en', 'discord.option.homeChannel.name'),
  linked: t('en', 'discord.option.linked.name'),
} as const;

/** How many typed options `poll create` offers: Discord allows 25 options per subcommand, and the question and five settings take six. */
export const POLL_OPTION_SLOTS = 19;

/** The name of a poll's option n (1-based) in `poll create`: option1, option2, … */
export const pollOptionName = (number: number) => t('en', 'discord.option.pollOption.name', { number });

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
  // Anyone in the alliance's linked workspaces (Slack, another server), suggested as you type: the member picker lists
  // this server's people only.
  { type: ApplicationCommandOptionType.String, ...named('discord.option.linked'), min_length: 1, max_length: 80, autocomplete: true },
];

const pollNumber: APIApplicationCommandBasicOption = {
  type: ApplicationCommandOptionType.Integer,
  ...named('discord.option.poll'),
  required: true,
  min_value: 1,
  max_value: 999_999_999,
  // Open polls are offered as you type; any other number can still be typed (a closed poll's results or export).
  autocomplete: true,
};

/** The settings a proposal shares with a poll. */
const pollSettings: APIApplicationCommandBasicOption[] = [
  { type: ApplicationCommandOptionType.String, ...named('discord.option.closes'), max_length: CLOSES_MAX },
  { type: ApplicationCommandOptionType.Boolean, ...named('discord.option.anonymous') },
  { type: ApplicationCommandOptionType.Boolean, ...named('discord.option.hideResults') },
  { type: ApplicationCommandOptionType.Boolean, ...named('discord.option.everywhere') },
];

/** `poll create`: the question and the first two options are required; the core checks lengths, duplicates and the deadline. */
const pollCreateOptions: APIApplicationCommandBasicOption[] = [
  { type: ApplicationCommandOptionType.String, ...named('discord.option.question'), required: true, min_length: 1, max_length: QUESTION_MAX },
  ...Array.from({ length: POLL_OPTION_SLOTS }, (_, i): APIApplicationCommandBasicOption => ({
    type: ApplicationCommandOptionType.String,
    ...named('discord.option.pollOption', { number: i + 1 }),
    required: i < 2,
    min_length: 1,
    max_length: OPTION_MAX,
  })),
  { type: ApplicationCommandOptionType.Integer, ...named('discord.option.multi'), min_value: 1, max_value: POLL_OPTION_SLOTS },
  ...pollSettings,
];

const slugOption: APIApplicationCommandBasicOption = {
  type: ApplicationCommandOptionType.String,
  ...named('discord.option.slug'),
  required: true,
  min_length: 2,
  max_length: 36,
};

/** The member a coordinator command acts on. */
const memberOption: APIApplicationCommandBasicOption = { type: ApplicationCommandOptionType.User, ...named('discord.option.member'), required: true };

/** `remind set`: the time and the text are required; whom is one of four, or nobody for oneself. The core checks the rest. */
const remindSetOptions: APIApplicationCommandBasicOption[] = [
  { type: ApplicationCommandOptionType.String, ...named('discord.option.when'), required: true, min_length: 1, max_length: MAX_WHEN_LENGTH },
  { type: ApplicationCommandOptionType.String, ...named('discord.option.reminderText'), required: true, min_length: 1, max_length: REMINDER_TEXT_MAX },
  { type: ApplicationCommandOptionType.User, ...named('discord.option.remindMember') },
  { type: ApplicationCommandOptionType.String, ...named('discord.option.remindOrg'), min_length: 2, max_length: 36 },
  // A channel picked here is resolved by Discord: the one kind of channel a reminder may name (see Requester.channels).
  { type: ApplicationCommandOptionType.Channel, ...named('discord.option.channel'), channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement] },
  { type: ApplicationCommandOptionType.Boolean, ...named('discord.option.here') },
  { type: ApplicationCommandOptionType.Boolean, ...named('discord.option.remindEverywhere') },
];

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
        subcommand('discord.task.reminders', [
          {
            type: ApplicationCommandOptionType.String,
            ...named('discord.option.switch'),
            choices: [choice('discord.option.switch.on', 'on'), choice('discord.option.switch.off', 'off')],
          },
        ]),
      ]),
      group('discord.org', [
        subcommand('discord.org.add', [
          slugOption,
          { type: ApplicationCommandOptionType.String, ...named('discord.option.orgName'), required: true, max_length: ORG_NAME_MAX },
        ]),
        subcommand('discord.org.list'),
        subcommand('discord.org.join', [slugOption, { type: ApplicationCommandOptionType.User, ...named('discord.option.joiner') }]),
        subcommand('discord.org.leave', [{ ...slugOption, required: false }, { type: ApplicationCommandOptionType.User, ...named('discord.option.leaver') }]),
        subcommand('discord.org.show', [slugOption]),
        subcommand('discord.org.rename', [
          slugOption,
          { type: ApplicationCommandOptionType.String, ...named('discord.option.orgName'), required: true, max_length: ORG_NAME_MAX },
        ]),
        subcommand('discord.org.remove', [slugOption]),
      ]),
      group('discord.poll', [
        subcommand('discord.poll.create', pollCreateOptions),
        subcommand('discord.poll.proposal', [
          { type: ApplicationCommandOptionType.String, ...named('discord.option.proposal'), required: true, min_length: 1, max_length: QUESTION_MAX },
          ...pollSettings,
        ]),
        subcommand('discord.poll.vote', [
          pollNumber,
          // Options of the chosen poll are offered as you type; a typed number or label works too.
          { type: ApplicationCommandOptionType.String, ...named('discord.option.choice'), required: true, min_length: 1, max_length: 100, autocomplete: true },
        ]),
        subcommand('discord.poll.close', [pollNumber]),
        subcommand('discord.poll.results', [pollNumber]),
        subcommand('discord.poll.list'),
        subcommand('discord.poll.export', [pollNumber]),
        subcommand('discord.poll.remind', [pollNumber]),
        subcommand('discord.poll.delete', [pollNumber]),
      ]),
      group('discord.remind', [
        subcommand('discord.remind.set', remindSetOptions),
        subcommand('discord.remind.list'),
        subcommand('discord.remind.cancel', [
          { type: ApplicationCommandOptionType.Integer, ...named('discord.option.reminder'), required: true, min_value: 1, max_value: 999_999_999 },
        ]),
      ]),
      group('discord.digest', [
        subcommand('discord.digest.show'),
        subcommand('discord.digest.on', [
          { type: ApplicationCommandOptionType.String, ...named('discord.option.schedule'), min_length: 1, max_length: MAX_WHEN_LENGTH },
          {
            type: ApplicationCommandOptionType.String,
            ...named('discord.option.digestLanguage'),
            choices: [choice('language.en', 'en'), choice('language.es', 'es')],
          },
        ]),
        subcommand('discord.digest.off'),
        subcommand('discord.digest.now'),
        subcommand('discord.digest.preview'),
      ]),
      subcommand('discord.timezone', [
        { type: ApplicationCommandOptionType.String, ...named('discord.option.zone'), min_length: 1, max_length: 64 },
        {
          type: ApplicationCommandOptionType.String,
          ...named('discord.option.zoneFor'),
          choices: [choice('discord.lang.for.me', 'me'), choice('discord.lang.for.alliance', 'alliance')],
        },
      ]),
      // roles: `alliance <sub>` grows by subcommands of this group.
      group('discord.alliance', [
        subcommand('discord.alliance.show'),
        subcommand('discord.alliance.rename', [
          { type: ApplicationCommandOptionType.String, ...named('discord.option.allianceName'), required: true, min_length: 1, max_length: ALLIANCE_NAME_MAX },
        ]),
        subcommand('discord.alliance.link'),
        // A code is 32 characters in groups (39 with dashes); room for spaces typed between them.
        subcommand('discord.alliance.join', [{ type: ApplicationCommandOptionType.String, ...named('discord.option.linkCode'), required: true, min_length: 1, max_length: 64 }]),
        subcommand('discord.alliance.unlink'),
        subcommand('discord.alliance.channel', [
          { type: ApplicationCommandOptionType.Channel, ...named('discord.option.homeChannel'), channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement] },
        ]),
      ]),
      group('discord.coordinator', [
        subcommand('discord.coordinator.list'),
        subcommand('discord.coordinator.add', [memberOption]),
        subcommand('discord.coordinator.remove', [memberOption]),
      ]),
      subcommand('discord.history', [
        { type: ApplicationCommandOptionType.Integer, ...named('discord.option.historyTask'), min_value: 1, max_value: 999_999_999, autocomplete: true },
        { type: ApplicationCommandOptionType.Integer, ...named('discord.option.historyPoll'), min_value: 1, max_value: 999_999_999, autocomplete: true },
        { type: ApplicationCommandOptionType.String, ...named('discord.option.historyOrg'), min_length: 2, max_length: 36 },
        { type: ApplicationCommandOptionType.Integer, ...named('discord.option.page'), min_value: 1, max_value: 999_999 },
      ]),
      group('discord.resource', [
        subcommand('discord.resource.share', [
          { type: ApplicationCommandOptionType.String, ...named('discord.option.url'), required: true, min_length: 1, max_length: URL_MAX },
          { type: ApplicationCommandOptionType.String, ...named('discord.option.resourceTitle'), required: true, min_length: 1, max_length: RESOURCE_TITLE_MAX },
          { type: ApplicationCommandOptionType.String, ...named('discord.option.tags'), max_length: TAGS_MAX * (TAG_MAX + 2) },
        ]),
        subcommand('discord.resource.search', [
          { type: ApplicationCommandOptionType.String, ...named('discord.option.query'), max_length: QUERY_MAX },
        ]),
        subcommand('discord.resource.remove', [
          { type: ApplicationCommandOptionType.Integer, ...named('discord.option.resource'), required: true, min_value: 1, max_value: 999_999_999 },
        ]),
      ]),
      subcommand('discord.export', [
        {
          type: ApplicationCommandOptionType.String,
          ...named('discord.option.exportWhat'),
          required: true,
          choices: [
            choice('export.what.tasks', 'tasks'),
            choice('export.what.polls', 'polls'),
            choice('export.what.resources', 'resources'),
            choice('export.what.members', 'members'),
          ],
        },
      ]),
    ],
  };
}
