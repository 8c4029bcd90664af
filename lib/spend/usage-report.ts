/**
 * The answer of `GET /v1/usage`, and the same report for a caller in the process (the admin
 * console): spend from `from` to `to` (UTC days, both included), summed by key, model
 * (`provider/model`), provider or day. The shape is a contract:
 *
 * ```json
 * {"object": "usage", "from": "2026-12-01", "to": "2026-12-07", "group_by": "model",
 *  "data": [{"group": "openai/gpt-4o-mini", "requests": 12,
 *            "tokens": {"input": 1200, "output": 300, "cache_read": 0, "cache_write": 0, "reasoning": 0},
 *            "cost_usd": 0.00042, "unpriced": 0}],
 *  "total": {"requests": 12, "tokens": {…}, "cost_usd": 0.00042, "unpriced": 0}}
 * ```
 *
 * `unpriced` counts requests whose model had no price: their tokens are counted, their cost
 * is not. `data` is sorted by cost, highest first (then by group), or by day for `day`,
 * which lists every day of the range, those without spend included.
 */
import { roundUsd } from '../pricing/pricer.js';
import type { SpendRow, SpendStore, TokenCounts } from './spend-store.js';
import { daysBetween } from './utc-day.js';

/** What `/v1/usage` can group by. */
export const GROUP_BY = ['key', 'model', 'provider', 'day'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

/** A report's question. */
export interface UsageQuery {
  /** First UTC day, `YYYY-MM-DD`. */
  from: string;
  /** Last UTC day, included. */
  to: string;
  group_by: GroupBy;
  /** Only this gateway key's spend (by name). */
  key?: string;
}

/** Sums over some requests. */
export interface UsageTotals {
  requests: number;
  tokens: TokenCounts;
  /** In USD, priced requests only. */
  cost_usd: number;
  /** Requests without a price. */
  unpriced: number;
}

/** One group's sums. */
export interface UsageGroup extends UsageTotals {
  /** The key's name, `provider/model`, the provider, or the day (`YYYY-MM-DD`). */
  group: string;
}

/** The report. */
export interface UsageReport {
  object: 'usage';
  from: string;
  to: string;
  group_by: GroupBy;
  data: UsageGroup[];
  total: UsageTotals;
}

/** Sums of nothing yet. */
export const emptyTotals = (): UsageTotals => ({ requests: 0, tokens: { input: 0, output: 0, cache_read: 0, cache_write: 0, reasoning: 0 }, cost_usd: 0, unpriced: 0 });

function add(into: UsageTotals, row: SpendRow): void {
  into.requests += row.requests;
  for (const kind of Object.keys(into.tokens) as (keyof TokenCounts)[]) into.tokens[kind] += row.tokens[kind];
  into.cost_usd += row.cost_usd;
  into.unpriced += row.unpriced;
}

const GROUP_OF: Record<GroupBy, (row: SpendRow) => string> = {
  key: (row) => row.key,
  model: (row) => `${row.provider}/${row.model}`,
  provider: (row) => row.provider,
  day: (row) => row.day,
};

/**
 * Builds the report from the spend store.
 * @throws StoreUnavailableError when a shared store cannot answer
 */
export async function usageReport(spend: SpendStore, query: UsageQuery): Promise<UsageReport> {
  const rows = (await spend.rows(query.from, query.to)).filter((row) => query.key === undefined || row.key === query.key);
  const groups = new Map<string, UsageTotals>();
  if (query.group_by === 'day') for (const day of daysBetween(query.from, query.to)) groups.set(day, emptyTotals());
  const total = emptyTotals();
  const groupOf = GROUP_OF[query.group_by];
  for (const row of rows) {
    const name = groupOf(row);
    let group = groups.get(name);
    if (group === undefined) {
      group = emptyTotals();
      groups.set(name, group);
    }
    add(group, row);
    add(total, row);
  }
  const data = [...groups].map(([group, totals]) => ({ group, ...totals, cost_usd: roundUsd(totals.cost_usd) }));
  if (query.group_by === 'day') data.sort((a, b) => (a.group < b.group ? -1 : 1));
  else data.sort((a, b) => b.cost_usd - a.cost_usd || (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
  return { object: 'usage', from: query.from, to: query.to, group_by: query.group_by, data, total: { ...total, cost_usd: roundUsd(total.cost_usd) } };
}
