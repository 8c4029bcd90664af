/**
 * Spend per gateway key, kept per UTC day, key, provider and model: requests, tokens by
 * kind, cost in USD and the requests that had no price. The state store's concern for
 * `/v1/usage` and for budgets; in process (`MemorySpendStore`) or in Redis
 * (`store/redis/redis-spend-store.ts`), where every instance counts into one.
 */
import type { TokenUsage } from '../usage/token-usage.js';
import { daysBetween, monthOf } from './utc-day.js';

/** Tokens by kind, in tokens; `input` holds the cache reads and writes, `output` the reasoning. */
export interface TokenCounts {
  input: number;
  output: number;
  cache_read: number;
  cache_write: number;
  reasoning: number;
}

/** One request's spend, as it is added. */
export interface SpendEntry {
  /** The UTC day it counts on, `YYYY-MM-DD`. */
  day: string;
  /** The gateway key's name; `NO_KEY` without one. */
  key: string;
  provider: string;
  model: string;
  usage: TokenUsage;
  /** In USD; null when the model has no price (counted in `unpriced`, not in the cost). */
  cost_usd: number | null;
}

/** The spend of one day, key, provider and model. */
export interface SpendRow {
  day: string;
  key: string;
  provider: string;
  model: string;
  requests: number;
  tokens: TokenCounts;
  /** In USD, priced requests only. */
  cost_usd: number;
  /** Requests whose model had no price. */
  unpriced: number;
}

/** A key's spend in the periods its budgets cover, in USD. */
export interface PeriodSpend {
  day: number;
  month: number;
}

/** Where spend is kept. Every method may throw `StoreUnavailableError` (a shared store). */
export interface SpendStore {
  /**
   * Adds one request's spend: at once (nothing returned: the in-process store, called for
   * every request, makes no promise), or by a promise that settles when it is stored.
   */
  add(entry: SpendEntry): Promise<void> | void;
  /** What `key` spent on `day` and in that day's month, in USD. */
  spent(key: string, day: string): Promise<PeriodSpend>;
  /** Every row from `from` to `to` (days, both included). */
  rows(from: string, to: string): Promise<SpendRow[]>;
}

/** The key name spend is kept under for a request without a gateway key (gateway keys off, or the machine's own client). */
export const NO_KEY = '(no key)';

/** How long a day's spend is kept, in days (a year's reports and a month's budget, with room). */
export const SPEND_RETENTION_DAYS = 400;

/** Adds an entry into a row (in place). */
export function addInto(row: SpendRow, entry: SpendEntry): void {
  row.requests += 1;
  row.tokens.input += entry.usage.input_tokens;
  row.tokens.output += entry.usage.output_tokens;
  row.tokens.cache_read += entry.usage.cache_read_tokens;
  row.tokens.cache_write += entry.usage.cache_write_tokens;
  row.tokens.reasoning += entry.usage.reasoning_tokens;
  if (entry.cost_usd === null) row.unpriced += 1;
  else row.cost_usd += entry.cost_usd;
}

/** An empty row. */
export const emptyRow = (day: string, key: string, provider: string, model: string): SpendRow => ({
  day,
  key,
  provider,
  model,
  requests: 0,
  tokens: { input: 0, output: 0, cache_read: 0, cache_write: 0, reasoning: 0 },
  cost_usd: 0,
  unpriced: 0,
});

/** This instance's spend, for a gateway without `REDIS_URL`; days older than the retention are dropped. */
export class MemorySpendStore implements SpendStore {
  /** day → `key\u0000provider\u0000model` → row. */
  readonly #days = new Map<string, Map<string, SpendRow>>();
  /** `day|key` and `month|key` → USD. */
  readonly #totals = new Map<string, number>();

  add(entry: SpendEntry): void {
    let day = this.#days.get(entry.day);
    if (day === undefined) {
      day = new Map();
      this.#days.set(entry.day, day);
      this.#prune(entry.day);
    }
    const id = `${entry.key}\u0000${entry.provider}\u0000${entry.model}`;
    let row = day.get(id);
    if (row === undefined) {
      row = emptyRow(entry.day, entry.key, entry.provider, entry.model);
      day.set(id, row);
    }
    addInto(row, entry);
    if (entry.cost_usd !== null && entry.cost_usd > 0) {
      for (const period of [`${entry.day}|${entry.key}`, `${monthOf(entry.day)}|${entry.key}`]) {
        this.#totals.set(period, (this.#totals.get(period) ?? 0) + entry.cost_usd);
      }
    }
  }

  async spent(key: string, day: string): Promise<PeriodSpend> {
    return { day: this.#totals.get(`${day}|${key}`) ?? 0, month: this.#totals.get(`${monthOf(day)}|${key}`) ?? 0 };
  }

  async rows(from: string, to: string): Promise<SpendRow[]> {
    const rows: SpendRow[] = [];
    for (const day of daysBetween(from, to)) for (const row of this.#days.get(day)?.values() ?? []) rows.push(structuredClone(row));
    return rows;
  }

  /** Drops the days (and their totals) older than the retention, when a new day starts. */
  #prune(today: string): void {
    const oldest = new Date(Date.parse(`${today}T00:00:00Z`) - SPEND_RETENTION_DAYS * 86_400_000).toISOString().slice(0, 10);
    for (const day of this.#days.keys()) if (day < oldest) this.#days.delete(day);
    for (const period of this.#totals.keys()) if (period.slice(0, period.indexOf('|')) < oldest.slice(0, period.indexOf('|'))) this.#totals.delete(period);
  }
}
