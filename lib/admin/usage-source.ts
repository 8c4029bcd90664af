/**
 * Where the console reads spend and tokens: one adapter with the contract of `GET /v1/usage`
 * (`lib/spend/usage-report.ts`, whose query and report types it takes as they are), so the
 * Keys and Usage pages read the same figures as the API. A request counts when a provider
 * answered it with usage; its cost counts when its model has a price, otherwise it counts as
 * unpriced, never as $0.
 */
import type { SpendStore } from '../spend/spend-store.js';
import { usageReport, type UsageQuery, type UsageReport } from '../spend/usage-report.js';

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
    usage: (query) => usageReport(spend, query),
  };
}
