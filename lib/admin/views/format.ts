/**
 * How the pages write figures: USD, tokens, times, and a spend that may be unpriced (a
 * request whose model has no price counts as unpriced, never as $0).
 */
import type { UsageTotals } from '../../spend/usage-report.js';

/** USD with enough digits for sub-cent amounts. */
export function usd(value: number): string {
  if (value === 0) return '$0';
  return value >= 1 ? `$${value.toFixed(2)}` : `$${value.toPrecision(3)}`;
}

/** A count with thousands separators. */
export const count = (value: number): string => value.toLocaleString('en-US');

/** Input plus output tokens. */
export const totalTokens = (sums: UsageTotals): number => sums.tokens.input + sums.tokens.output;

/**
 * A spend as the pages show it: `—` without requests; the USD of the priced ones, and how
 * many are unpriced (`unpriced` alone when none has a price).
 */
export function spend(sums: UsageTotals): string {
  if (sums.requests === 0) return '—';
  if (sums.unpriced === sums.requests) return 'unpriced';
  return sums.unpriced > 0 ? `${usd(sums.cost_usd)} + ${sums.unpriced} unpriced` : usd(sums.cost_usd);
}

/** A cost of one request: USD, `unpriced` (null), or `—` (none known). */
export function cost(value: number | null | undefined): string {
  if (value === null) return 'unpriced';
  return value === undefined ? '—' : usd(value);
}

/** An ISO or ms time as `YYYY-MM-DD HH:MM:SS` UTC; `—` for none. */
export function time(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return new Date(value).toISOString().slice(0, 19).replace('T', ' ');
}

/** Milliseconds, `—` for none. */
export const ms = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : `${Math.round(value)} ms`);

/** A share from 0 to 1 as a percentage, `—` for none. */
export const percent = (value: number | null | undefined): string => (value === null || value === undefined ? '—' : `${(value * 100).toFixed(1)}%`);
