// Renders the alliance's structure: the alliance itself, one organization, its coordinators; members named with their platform. Pure.
import { t, type Locale } from '../i18n/index.js';
import type { Platform } from '../identity.js';
import { workspaceName } from '../alliance-links.js';
import type { OrganizationRow } from '../organizations.js';
import type { Reply, ReplySection } from '../reply.js';
import { formatMoment } from '../time/zones.js';
import { taskLine } from './tasks.js';

/** A member as the alliance sees them across its workspaces. */
export interface PersonView {
  displayName: string | null;
  platformUserId: string;
  platform: string;
}

export interface AllianceView {
  name: string;
  organizations: { slug: string; name: string; people: number }[];
  coordinators: PersonView[];
  workspaces: { platform: string; name: string | null; externalId: string }[];
  locale: Locale;
  timeZone: string;
}

export interface OrganizationView {
  organization: OrganizationRow;
  members: PersonView[];
  tasks: { number: number; title: string; dueOn: string | null }[];
  /** Open polls; `voters` is how many of the organization's members voted, null on anonymous polls (never split). */
  polls: { number: number; question: string; closesAt: Date | null; voters: number | null; members: number }[];
}

/** A platform's name as people say it: Slack, Discord, console. */
/** A workspace as people tell it apart across platforms: "Red de Huertas (Discord)". */
export function workspaceLabel(workspace: { name: string | null; externalId: string; platform: string }, locale: Locale): string {
  return t(locale, 'alliance.workspace', { name: workspaceName(workspace), platform: platformName(workspace.platform, locale) });
}

export function platformName(platform: string, locale: Locale): string {
  return platform === 'slack' || platform === 'discord' || platform === 'console' ? t(locale, `platform.${platform as Platform}`) : platform;
}

/** "@ana (Discord)": a member with the platform they are on, as an alliance spanning several tells them apart. */
export function personLabel(person: PersonView, locale: Locale): string {
  return t(locale, 'person.onPlatform', { name: person.displayName ?? person.platformUserId, platform: platformName(person.platform, locale) });
}

function section(title: string, lines: string[], empty: string): ReplySection {
  return { title, lines: (lines.length ? lines : [empty]).map((text) => ({ text })) };
}

export function renderAlliance(view: AllianceView, locale: Locale): Reply {
  return {
    visibility: 'ephemeral',
    locale,
    heading: t(locale, 'alliance.heading', { name: view.name }),
    lines: [{ text: t(locale, 'alliance.defaults', { language: t(locale, `language.${view.locale}`), zone: view.timeZone }) }],
    sections: [
      section(
        t(locale, 'alliance.organizations'),
        view.organizations.map((org) => t(locale, 'org.list.line', { name: org.name, slug: org.slug, count: org.people })),
        t(locale, 'org.list.empty'),
      ),
      section(t(locale, 'alliance.coordinators'), view.coordinators.map((person) => personLabel(person, locale)), t(locale, 'coordinator.none')),
      section(
        t(locale, 'alliance.workspaces'),
        view.workspaces.map((workspace) => workspaceLabel(workspace, locale)),
        t(locale, 'alliance.noWorkspaces'),
      ),
    ],
  };
}

export function renderOrganization(view: OrganizationView, locale: Locale, timeZone: string, today: string): Reply {
  const { organization } = view;
  return {
    visibility: 'ephemeral',
    locale,
    heading: t(locale, 'org.show.heading', { name: organization.name, slug: organization.slug }),
    lines: [],
    sections: [
      section(t(locale, 'org.show.members', { count: view.members.length }), view.members.map((person) => personLabel(person, locale)), t(locale, 'org.show.noMembers')),
      section(
        t(locale, 'org.show.tasks'),
        view.tasks.map((task) => taskLine({ id: 0, ...task, status: 'open', assignee: null }, locale, today)),
        t(locale, 'org.show.noTasks'),
      ),
      section(
        t(locale, 'org.show.polls'),
        view.polls.map((poll) => {
          const turnout = poll.voters === null ? t(locale, 'org.show.anonymous') : t(locale, 'org.show.turnout', { voters: poll.voters, members: poll.members });
          const closes = poll.closesAt ? ` · ${t(locale, 'digest.poll.closes', { when: formatMoment(poll.closesAt, locale, timeZone) })}` : '';
          return `#${poll.number} ${poll.question} · ${turnout}${closes}`;
        }),
        t(locale, 'org.show.noPolls'),
      ),
    ],
  };
}

export function renderCoordinators(list: PersonView[], locale: Locale): Reply {
  return {
    visibility: 'ephemeral',
    locale,
    heading: t(locale, 'coordinator.heading'),
    lines: [...(list.length ? list.map((person) => ({ text: personLabel(person, locale) })) : [{ text: t(locale, 'coordinator.none') }]), { text: t(locale, 'coordinator.note') }],
  };
}
