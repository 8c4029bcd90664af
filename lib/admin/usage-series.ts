/**
 * The Usage page's charts: spend and tokens per UTC day, one series per key, model or
 * provider, built from the usage source one day at a time (so it needs nothing beyond the
 * `GET /v1/usage` contract). A range is at most {@link MAX_DAYS} days.
 */
import { badRequest } from '../errors.js';
import type { GroupBy } from '../spend/usage-report.js';
import { dayCount, daysBetween as utcDays, isDay } from '../spend/utc-day.js';
import type { UsageSource } from './usage-source.js';

/** The longest range charted, in days. */
export const MAX_DAYS = 92;

/** `GET /admin/api/usage/series`. */
export interface UsageSeries {
  from: string;
  to: string;
  group_by: Exclude<GroupBy, 'day'>;
  /** Every day of the range, `YYYY-MM-DD`. */
  days: string[];
  /** Per group, one value per day: USD of priced requests, tokens (input + output), requests, unpriced requests. */
  groups: { group: string; cost_usd: number[]; tokens: number[]; requests: number[]; unpriced: number[] }[];
}

/**
 * The days from `from` to `to`, both included (`spend/utc-day.ts`'s, checked first).
 * @throws GatewayError 400 naming `from` or `to` when one is not a day, or the range is reversed or too long
 */
export function daysBetween(from: string, to: string): string[] {
  for (const [name, value] of [['from', from], ['to', to]] as const) {
    if (!isDay(value)) throw badRequest(`${name} must be a UTC day, YYYY-MM-DD`, name);
  }
  if (to < from) throw badRequest('to must not be before from', 'to');
  if (dayCount(from, to) > MAX_DAYS) throw badRequest(`a range covers at most ${MAX_DAYS} days`, 'from');
  return utcDays(from, to);
}

export async function usageSeries(source: UsageSource, query: { from: string; to: string; group_by: Exclude<GroupBy, 'day'>; key?: string }): Promise<UsageSeries> {
  const days = daysBetween(query.from, query.to);
  const reports = await Promise.all(days.map((day) => source.usage({ from: day, to: day, group_by: query.group_by, key: query.key })));
  const groups = new Map<string, UsageSeries['groups'][number]>();
  reports.forEach((report, index) => {
    for (const row of report.data) {
      let series = groups.get(row.group);
      if (series === undefined) {
        const zeros = () => new Array<number>(days.length).fill(0);
        groups.set(row.group, (series = { group: row.group, cost_usd: zeros(), tokens: zeros(), requests: zeros(), unpriced: zeros() }));
      }
      series.cost_usd[index] = row.cost_usd;
      series.tokens[index] = row.tokens.input + row.tokens.output;
      series.requests[index] = row.requests;
      series.unpriced[index] = row.unpriced;
    }
  });
  return { from: query.from, to: query.to, group_by: query.group_by, days, groups: [...groups.values()] };
}
