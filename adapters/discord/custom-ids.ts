// The button convention: a core Button travels as custom_id `${action}:${value}` and comes back split, for the core to check.
import type { Button } from '../../src/reply.js';

/** Discord's limit on custom_id and on a select option's value. */
export const CUSTOM_ID_MAX = 100;

const ACTION_ID = /^([a-z]+\.[a-z]+):([\s\S]*)$/;

/** The custom_id for a button, or undefined when it would not fit (values are ids, so that means a bug upstream). */
export function customIdFor(button: Pick<Button, 'action' | 'value'>): string | undefined {
  const id = `${button.action}:${button.value}`;
  return id.length <= CUSTOM_ID_MAX ? id : undefined;
}

/** Splits a custom_id (or a selected value) of ours; anything else is not ours to handle. Nothing here is trusted: the core checks it. */
export function parseCustomId(id: string): { action: string; value: string } | undefined {
  const match = ACTION_ID.exec(id);
  return match ? { action: match[1]!, value: match[2]! } : undefined;
}
