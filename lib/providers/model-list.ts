/**
 * Reading a provider's models list into the gateway's model entries, whatever the
 * list's own shape.
 */
import type { ModelEntry } from './types.js';

/** The entries of `items` (when it is an array of objects) that `read` turns into a model. */
export function readModelList(items: unknown, read: (item: Record<string, unknown>) => ModelEntry | undefined): ModelEntry[] {
  if (!Array.isArray(items)) return [];
  return items.flatMap((item: unknown) => {
    const entry = item !== null && typeof item === 'object' ? read(item as Record<string, unknown>) : undefined;
    return entry === undefined ? [] : [entry];
  });
}

/** An RFC 3339 time as Unix seconds; undefined when absent or unreadable. */
export function unixSeconds(time: unknown): number | undefined {
  const ms = typeof time === 'string' ? Date.parse(time) : NaN;
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}
