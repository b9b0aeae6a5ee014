// Moments in time from what people write, in English or Spanish, in their own time zone: "tomorrow 18:00", "el viernes a las 6 de la tarde", "in 2 hours".
import { readWhen } from './read.js';

export { formatMoment, offsetMinutes, zonedTime } from './zones.js';

export interface WhenContext {
  now: Date;
  timeZone: string;
  /** The time of day for a date said without one, e.g. "23:59" so "friday" means until the end of Friday. */
  defaultTime: string;
}

/** A moment from text, or undefined when we cannot tell (or the text repeats). Read by `readWhen` in read.ts. */
export function parseWhen(input: string, context: WhenContext): Date | undefined {
  const when = readWhen(input, context);
  return when.ok && when.kind !== 'recurring' ? when.at : undefined;
}
