/**
 * Where the console reads spend and tokens: one adapter with the contract of `GET /v1/usage`
 * (`lib/spend/usage-report.ts`), so the Keys and Usage pages read the same figures as the API.
 * A request counts when a provider answered it with usage; its cost counts when its model has
 * a price, otherwise it counts as unpriced, never as $0.
 */
import type { SpendStore } from '../spend/spend-store.js';
import { GROUP_BY, usageReport, type GroupBy, type UsageReport, type UsageTotals } from '../spend/usage-report.js';

/** The report's types are the spend report's own (`lib/spend/usage-report.ts`). */
export type { UsageReport };
/** `group_by` values. */
export const USAGE_GROUPS = GROUP_BY;
export type UsageGroup = GroupBy;
/** One group's sums: `cost_usd` in USD, excluding the `unpriced` requests. */
export type UsageSums = UsageTotals;

export { utcDay } from '../spend/utc-day.js';

/** A query, as `GET /v1/usage` takes it: `from` and `to` are UTC days (`YYYY-MM-DD`), both included. */
export interface UsageQuery {
  from: string;
  to: string;
  group_by: UsageGroup;
  /** Only this key's requests (by name). */
  key?: string;
}

/** What the console reads spend from. */
export interface UsageSource {
  /** For the pages: where the figures come from. */
  readonly description: string;
  usage(query: UsageQuery): Promise<UsageReport>;
}

/**
 * The adapter over the spend store (`lib/spend/`): the same report as `GET /v1/usage` for the
 * master key, from every instance's spend when `REDIS_URL` is set.
 */
export function spendUsageSource(spend: SpendStore, shared: boolean): UsageSource {
  return {
    description: shared ? 'the spend store (every instance, Redis)' : "the spend store (this instance's, since it started)",
    usage: ({ from, to, group_by: groupBy, key }) => usageReport(spend, { from, to, groupBy, ...(key === undefined ? {} : { key }) }),
  };
}
