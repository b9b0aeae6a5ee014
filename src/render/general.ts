// Renders help, language settings, organizations and errors into platform-neutral replies.
import type { UserError, UserErrorParams } from '../errors.js';
import { t, type Locale, type MessageKey, type MessageParams } from '../i18n/index.js';
import type { Reply } from '../reply.js';
import { roleLines } from './roles.js';

const helpSections: [MessageKey, MessageKey[]][] = [
  ['help.tasks', ['help.task.add', 'help.task.list', 'help.task.done', 'help.task.assign', 'help.task.reopen', 'help.task.delete', 'help.task.reminders', 'help.dates']],
  ['help.polls', ['help.poll.create', 'help.poll.proposal', 'help.poll.vote', 'help.poll.manage', 'help.when', 'help.everywhere']],
  ['help.reminders', ['help.remind', 'help.remind.manage']],
  ['help.digest', ['help.digest.on', 'help.digest.use']],
  ['help.orgs', ['help.org.add', 'help.org.list', 'help.org.join']],
  ['help.settings', ['help.lang', 'help.timezone']],
  ['help.alliance', ['help.alliance.show', 'help.org.more', 'help.coordinators', 'help.history']],
  ['help.resources', ['help.resource.share', 'help.resource.search', 'help.resource.remove', 'help.export']],
  ['help.links', ['help.alliance.link', 'help.alliance.unlink', 'help.alliance.channel']],
];

export function renderHelp(locale: Locale): Reply {
  return {
    visibility: 'ephemeral',
    locale,
    heading: t(locale, 'help.heading'),
    lines: [
      { text: t(locale, 'help.intro') },
      ...helpSections.flatMap(([title, keys]) => [
        { text: `*${t(locale, title)}*` },
        ...keys.map((key) => ({ text: `• ${t(locale, key)}` })),
      ]),
      ...roleLines(locale),
    ],
  };
}

export function renderLanguage(locale: Locale, allianceLocale: Locale): Reply {
  return {
    visibility: 'ephemeral',
    locale,
    lines: [
      {
        text: t(locale, 'lang.current', {
          language: t(locale, `language.${locale}`),
          allianceLanguage: t(locale, `language.${allianceLocale}`),
        }),
      },
    ],
  };
}

export function renderOrganizations(locale: Locale, list: { slug: string; name: string; people: number }[]): Reply {
  return {
    visibility: 'ephemeral',
    locale,
    heading: t(locale, 'org.list.heading'),
    lines: list.length
      ? list.map((org) => ({ text: t(locale, 'org.list.line', { name: org.name, slug: org.slug, count: org.people }) }))
      : [{ text: t(locale, 'org.list.empty') }],
  };
}

/** A parameter that is a phrase (who may do something) is translated too; any other is shown as it is. */
function translateParams(locale: Locale, params: UserErrorParams): MessageParams {
  return Object.fromEntries(Object.entries(params).map(([name, value]) => [name, typeof value === 'object' ? t(locale, value.phrase) : value]));
}

export function renderUserError(locale: Locale, error: UserError): Reply {
  return { visibility: 'ephemeral', locale, error: true, lines: [{ text: t(locale, error.key, translateParams(locale, error.params)) }] };
}

/** The database is out of reach for a moment (restarting): worth trying again, nothing to report. */
export function renderUnavailable(locale: Locale): Reply {
  return { visibility: 'ephemeral', locale, error: true, lines: [{ text: t(locale, 'error.unavailable') }] };
}

export function renderInternalError(locale: Locale, ref: string): Reply {
  return { visibility: 'ephemeral', locale, error: true, lines: [{ text: t(locale, 'error.internal', { ref }) }] };
}
