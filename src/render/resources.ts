// Renders shared resources into platform-neutral replies: the confirmation of a share or removal, and search results. Pure.
import { t, type Locale } from '../i18n/index.js';
import type { Reply } from '../reply.js';
import type { ResourceView } from '../resources.js';

/** `#3 Guía de incidencia · https://… · #incidencia #guia · @ana`. */
export function resourceLine(resource: Pick<ResourceView, 'number' | 'title' | 'url' | 'tags' | 'sharedBy'>): string {
  return [
    `#${resource.number} ${resource.title}`,
    resource.url,
    ...(resource.tags.length ? [resource.tags.map((tag) => `#${tag}`).join(' ')] : []),
    ...(resource.sharedBy ? [resource.sharedBy] : []),
  ].join(' · ');
}

/** Shared for the channel to see: that is how practices travel across the alliance. */
export function renderResourceShared(resource: ResourceView, locale: Locale): Reply {
  return {
    visibility: 'public',
    locale,
    lines: [{ text: t(locale, 'resource.shared', { number: resource.number, title: resource.title }) }],
    fields: [
      { label: t(locale, 'resource.field.url'), value: resource.url },
      ...(resource.tags.length ? [{ label: t(locale, 'resource.field.tags'), value: resource.tags.map((tag) => `#${tag}`).join(' ') }] : []),
    ],
  };
}

export function renderResourceRemoved(resource: ResourceView, locale: Locale): Reply {
  return { visibility: 'public', locale, lines: [{ text: t(locale, 'resource.removed', { number: resource.number, title: resource.title }) }] };
}

/** Search results, best first (newest first with nothing to search), the rest counted. */
export function renderResourceList(
  search: { words: string; tags: string[] },
  list: { items: ResourceView[]; total: number },
  locale: Locale,
): Reply {
  const asked = [...search.tags.map((tag) => `#${tag}`), ...(search.words ? [search.words] : [])].join(' ');
  const heading = asked ? t(locale, 'resource.list.matching', { query: asked }) : t(locale, 'resource.list.newest');
  if (list.items.length === 0) {
    return { visibility: 'ephemeral', locale, heading, lines: [{ text: t(locale, asked ? 'resource.list.none' : 'resource.list.empty') }] };
  }
  const hidden = list.total - list.items.length;
  return {
    visibility: 'ephemeral',
    locale,
    heading,
    lines: list.items.map((resource) => ({ text: resourceLine(resource) })),
    ...(hidden > 0 && { more: t(locale, 'list.more', { count: hidden }) }),
  };
}
