/**
 * The Overview page's figures, from this instance's recent requests over the last
 * {@link WINDOW_MS}: requests per minute, the share that failed (5xx), p50 and p95 of the
 * latency and of the time to first byte (for a stream, its first event: the time to first
 * token), and each provider's health. A provider's failures are read from each request's
 * chain: an entry before the one that answered failed (or was skipped), and every entry of
 * a request no provider answered did; the breaker's state is the gateway's own.
 */
import type { Gateway } from '../gateway.js';
import type { RequestRecord } from '../usage/request-record.js';
import type { RecentRequests } from './recent-requests.js';
import { utcDay } from '../spend/utc-day.js';
import type { UsageSource } from './usage-source.js';

/** The window the figures cover, in ms. */
export const WINDOW_MS = 5 * 60_000;

/** One provider's health. */
export interface ProviderHealth {
  provider: string;
  /** Requests whose chain tried it, in the window. */
  requests: number;
  /** Share of those it failed, 0 to 1; null without requests. */
  error_rate: number | null;
  breaker: 'open' | 'closed';
  /** Its last failure: when (ms since the epoch) and what the client got. */
  last_error?: { at: number; status: number; detail: string };
}

/** `GET /admin/api/overview`. */
export interface Overview {
  window_s: number;
  requests: number;
  requests_per_min: number;
  /** Share of requests answered 5xx, 0 to 1; null without requests. */
  error_rate: number | null;
  latency_ms: { p50: number | null; p95: number | null };
  ttfb_ms: { p50: number | null; p95: number | null };
  spend_today: { cost_usd: number; unpriced: number; requests: number; tokens: number; source: string };
  providers: ProviderHealth[];
}

/** The q-quantile (0 to 1) of `values` (sorted in place), nearest rank; null when empty. */
export function quantile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  values.sort((a, b) => a - b);
  return values[Math.min(values.length - 1, Math.max(0, Math.ceil(q * values.length) - 1))];
}

const entryProvider = (entry: string) => entry.split('/')[0];

function providerHealth(gateway: Gateway, records: readonly RequestRecord[]): ProviderHealth[] {
  const health = new Map<string, ProviderHealth & { failures: number }>();
  const of = (provider: string) => {
    let row = health.get(provider);
    if (row === undefined) health.set(provider, (row = { provider, requests: 0, failures: 0, error_rate: null, breaker: 'closed' }));
    return row;
  };
  for (const provider of gateway.config.providers) if (provider.apiKeys.length > 0) of(provider.name);
  // Oldest first, so that the last failure seen is the latest.
  for (let index = records.length - 1; index >= 0; index -= 1) {
    const record = records[index];
    if (!record.chain || record.attempts === 0) continue;
    const answered = record.provider === undefined ? -1 : record.chain.findIndex((entry) => entryProvider(entry) === record.provider);
    record.chain.forEach((entry, position) => {
      if (answered !== -1 && position > answered) return;
      const row = of(entryProvider(entry));
      row.requests += 1;
      const failed = position !== answered || record.status >= 500;
      if (!failed) return;
      row.failures += 1;
      const detail = position === answered ? `answered ${record.status}` : answered === -1 ? `chain failed (${record.status})` : `fell back to ${record.provider}`;
      row.last_error = { at: record.at, status: record.status, detail };
    });
  }
  // Providers with traffic first, the others in configuration order.
  return [...health.values()]
    .map(({ failures, ...row }): ProviderHealth => ({
      ...row,
      error_rate: row.requests === 0 ? null : failures / row.requests,
      breaker: gateway.breaker.isOpen(row.provider) ? 'open' : 'closed',
    }))
    .sort((a, b) => Number(b.requests > 0) - Number(a.requests > 0) || Number(b.breaker === 'open') - Number(a.breaker === 'open'));
}

/** The Overview's figures now. */
export async function overview(gateway: Gateway, recent: RecentRequests, usage: UsageSource, now = Date.now()): Promise<Overview> {
  const records = recent.list().filter((record) => record.at >= now - WINDOW_MS);
  const answered = records.filter((record) => record.status < 500);
  const today = utcDay(now);
  const spend = await usage.usage({ from: today, to: today, group_by: 'day' });
  return {
    window_s: WINDOW_MS / 1000,
    requests: records.length,
    requests_per_min: Math.round((records.length / (WINDOW_MS / 60_000)) * 10) / 10,
    error_rate: records.length === 0 ? null : (records.length - answered.length) / records.length,
    latency_ms: { p50: quantile(records.map((r) => r.duration_ms), 0.5), p95: quantile(records.map((r) => r.duration_ms), 0.95) },
    ttfb_ms: { p50: quantile(answered.map((r) => r.ttfb_ms), 0.5), p95: quantile(answered.map((r) => r.ttfb_ms), 0.95) },
    spend_today: {
      cost_usd: spend.total.cost_usd,
      unpriced: spend.total.unpriced,
      requests: spend.total.requests,
      tokens: spend.total.tokens.input + spend.total.tokens.output,
      source: usage.description,
    },
    providers: providerHealth(gateway, records),
  };
}
