/** Reads a usage query (`from`, `to`, `group_by`, `key`) from query parameters, as `GET /v1/usage` does. */
import { badRequest } from '../errors.js';
import { daysBetween } from './usage-series.js';
import { GROUP_BY, type GroupBy, type UsageQuery } from '../spend/usage-report.js';
import { utcDay } from '../spend/utc-day.js';

/** The default range's length, in days (today included). */
const DEFAULT_DAYS = 7;

/**
 * The query; the range defaults to the last 7 UTC days, the grouping to `day` (or `key` for
 * a page's charts).
 * @param dayAllowed whether `group_by=day` may be asked for (not for a chart's series)
 * @throws GatewayError 400 naming the parameter
 */
export function readUsageQuery(query: Record<string, string | undefined>, dayAllowed: boolean, now = Date.now()): UsageQuery {
  const to = query.to?.trim() || utcDay(now);
  const from = query.from?.trim() || utcDay(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_DAYS - 1) * 86_400_000 || now);
  daysBetween(from, to);
  const groupBy = (query.group_by?.trim() || (dayAllowed ? 'day' : 'key')) as GroupBy;
  if (!GROUP_BY.includes(groupBy) || (!dayAllowed && groupBy === 'day')) {
    throw badRequest(`group_by must be one of ${GROUP_BY.filter((group) => dayAllowed || group !== 'day').join(', ')}`, 'group_by');
  }
  const key = query.key?.trim();
  return { from, to, group_by: groupBy, ...(key ? { key } : {}) };
}
