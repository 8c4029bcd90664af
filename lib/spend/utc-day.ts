/**
 * UTC calendar days and months, the periods spend is kept and budgets reset by.
 * Days are `YYYY-MM-DD`, months `YYYY-MM`.
 */

const DAY_MS = 86_400_000;

/** The last day `utcDay` computed and where it starts, in ms: every request of a day asks for it again. */
let lastDay = '';
let lastDayStart = Number.NaN;

/** The UTC day of a time in ms since the epoch: `2026-12-07`. */
export function utcDay(ms: number): string {
  if (ms >= lastDayStart && ms < lastDayStart + DAY_MS) return lastDay;
  const day = new Date(ms).toISOString().slice(0, 10);
  if (Number.isFinite(ms)) {
    lastDay = day;
    lastDayStart = ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);
  }
  return day;
}

/** The UTC month of a day: `2026-12`. */
export const monthOf = (day: string): string => day.slice(0, 7);

/** When the UTC day after `ms` starts, in ms since the epoch. */
export function nextDayStart(ms: number): number {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1);
}

/** When the UTC month after `ms` starts, in ms since the epoch. */
export function nextMonthStart(ms: number): number {
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

/** Whether `text` is a real `YYYY-MM-DD` day (not `2026-02-30`). */
export function isDay(text: string): boolean {
  if (!/^\d{4}-\d\d-\d\d$/.test(text)) return false;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(ms) && utcDay(ms) === text;
}

/** Every day from `from` to `to`, both included, in order (`from` ≤ `to`, both valid days). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let ms = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); ms <= end; ms += DAY_MS) days.push(utcDay(ms));
  return days;
}

/** The number of days from `from` to `to`, both included. */
export const dayCount = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
