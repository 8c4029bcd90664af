/**
 * Where the console reads spend and tokens: one adapter with the contract of `GET /v1/usage`
 * (issue 18), so the Keys and Usage pages need no change when the spend store replaces it.
 * Today it sums this instance's recent requests (`recent-requests.ts`), so it knows only what
 * this instance served since it started, up to its ring's bound.
 *
 * A request counts when a provider answered it (`provider` set). Its cost counts when it has
 * one (`cost_usd` a number); otherwise it counts as unpriced, never as $0.
 */
import type { RequestRecord } from '../usage/request-record.js';
import type { RecentRequests } from './recent-requests.js';

/** `group_by` values. */
export const USAGE_GROUPS = ['key', 'model', 'provider', 'day'] as const;
export type UsageGroup = (typeof USAGE_GROUPS)[number];

/** A query: `from` and `to` are UTC days (`YYYY-MM-DD`), both included. */
export interface UsageQuery {
  from: string;
  to: string;
  group_by: UsageGroup;
  /** Only this key's requests (by name). */
  key?: string;
}

/** Tokens by kind, in tokens. */
export interface UsageTokens {
  input: number;
  output: number;
  cache_read: number;
  cache_write: number;
  reasoning: number;
}

/** One group's sums: `cost_usd` in USD, excluding the `unpriced` requests. */
export interface UsageSums {
  requests: number;
  tokens: UsageTokens;
  cost_usd: number;
  unpriced: number;
}

/** One row: `group` is a key name, `provider/model`, a provider or a `YYYY-MM-DD` day. */
export interface UsageRow extends UsageSums {
  group: string;
}

/** `GET /v1/usage`'s answer. */
export interface UsageReport {
  object: 'usage';
  from: string;
  to: string;
  group_by: UsageGroup;
  data: UsageRow[];
  total: UsageSums;
}

/** What the console reads spend from. */
export interface UsageSource {
  /** For the pages: where the figures come from. */
  readonly description: string;
  usage(query: UsageQuery): Promise<UsageReport>;
}

/** The name a request without a gateway key is grouped under. */
export const NO_KEY = '(no key)';

const emptySums = (): UsageSums => ({ requests: 0, tokens: { input: 0, output: 0, cache_read: 0, cache_write: 0, reasoning: 0 }, cost_usd: 0, unpriced: 0 });

/** The UTC day of a time in ms, `YYYY-MM-DD`. */
export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

function add(sums: UsageSums, record: RequestRecord): void {
  sums.requests += 1;
  const usage = record.usage;
  if (usage) {
    sums.tokens.input += usage.input_tokens;
    sums.tokens.output += usage.output_tokens;
    sums.tokens.cache_read += usage.cache_read_tokens;
    sums.tokens.cache_write += usage.cache_write_tokens;
    sums.tokens.reasoning += usage.reasoning_tokens;
  }
  if (typeof record.cost_usd === 'number') sums.cost_usd += record.cost_usd;
  else sums.unpriced += 1;
}

function groupOf(record: RequestRecord, by: UsageGroup): string {
  if (by === 'key') return record.key ?? NO_KEY;
  if (by === 'provider') return record.provider as string;
  if (by === 'day') return utcDay(record.at);
  return record.model === undefined ? (record.provider as string) : `${record.provider}/${record.model}`;
}

/** Sums `records` as `GET /v1/usage` would. */
export function summarize(records: Iterable<RequestRecord>, query: UsageQuery): UsageReport {
  const groups = new Map<string, UsageSums>();
  const total = emptySums();
  for (const record of records) {
    if (record.provider === undefined) continue;
    const day = utcDay(record.at);
    if (day < query.from || day > query.to) continue;
    if (query.key !== undefined && (record.key ?? NO_KEY) !== query.key) continue;
    const group = groupOf(record, query.group_by);
    let sums = groups.get(group);
    if (sums === undefined) groups.set(group, (sums = emptySums()));
    add(sums, record);
    add(total, record);
  }
  const data = [...groups].map(([group, sums]) => ({ group, ...sums }));
  data.sort((a, b) => (query.group_by === 'day' ? a.group.localeCompare(b.group) : b.cost_usd - a.cost_usd || b.requests - a.requests));
  return { object: 'usage', from: query.from, to: query.to, group_by: query.group_by, data, total };
}

/** The adapter over this instance's recent requests. */
export function recentUsageSource(recent: RecentRequests): UsageSource {
  return {
    description: `this instance's last ${recent.capacity} requests (spend store not connected yet)`,
    usage: async (query) => summarize(recent.list(), query),
  };
}
