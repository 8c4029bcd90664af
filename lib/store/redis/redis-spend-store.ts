/**
 * Spend in Redis, so that every instance counts into one and a budget holds across them:
 * per UTC day one hash `<prefix>spend:<day>` whose fields are `<metric>:["key","provider","model"]`
 * (requests, tokens by kind, cost, unpriced; HINCRBY and HINCRBYFLOAT, atomic whichever
 * instance adds), and per key the cost of each day and month in `<prefix>spend-total:<day>`
 * and `<prefix>spend-total:<month>` (field: the key's name), so that a budget check is one
 * round trip. Every key expires after `SPEND_RETENTION_DAYS`.
 */
import { emptyRow, SPEND_RETENTION_DAYS, type PeriodSpend, type SpendEntry, type SpendRow, type SpendStore } from '../../spend/spend-store.js';
import { daysBetween, monthOf } from '../../spend/utc-day.js';
import type { RedisConnection } from './redis-connection.js';

const RETENTION_S = SPEND_RETENTION_DAYS * 86_400;

/** The counters of a row, by the metric name its hash fields start with. */
const METRICS = ['requests', 'input', 'output', 'cache_read', 'cache_write', 'reasoning', 'cost_usd', 'unpriced'] as const;
type Metric = (typeof METRICS)[number];

/** Every instance's spend, in one Redis. */
export class RedisSpendStore implements SpendStore {
  /** @param prefix what every key of the gateway's starts with in Redis */
  constructor(
    private readonly connection: RedisConnection,
    private readonly prefix: string,
  ) {}

  #day = (day: string) => `${this.prefix}spend:${day}`;
  #total = (period: string) => `${this.prefix}spend-total:${period}`;

  async add(entry: SpendEntry): Promise<void> {
    const hash = this.#day(entry.day);
    const group = JSON.stringify([entry.key, entry.provider, entry.model]);
    const counts: Record<Exclude<Metric, 'cost_usd'>, number> = {
      requests: 1,
      input: entry.usage.input_tokens,
      output: entry.usage.output_tokens,
      cache_read: entry.usage.cache_read_tokens,
      cache_write: entry.usage.cache_write_tokens,
      reasoning: entry.usage.reasoning_tokens,
      unpriced: entry.cost_usd === null ? 1 : 0,
    };
    await this.connection.run((client) => {
      const batch = client.multi();
      for (const [metric, value] of Object.entries(counts)) if (value > 0) batch.hIncrBy(hash, `${metric}:${group}`, Math.round(value));
      if (entry.cost_usd !== null && entry.cost_usd > 0) {
        batch.hIncrByFloat(hash, `cost_usd:${group}`, entry.cost_usd);
        for (const period of [entry.day, monthOf(entry.day)]) {
          batch.hIncrByFloat(this.#total(period), entry.key, entry.cost_usd);
          batch.expire(this.#total(period), RETENTION_S);
        }
      }
      batch.expire(hash, RETENTION_S);
      return batch.exec();
    });
  }

  async spent(key: string, day: string): Promise<PeriodSpend> {
    const [today, month] = await this.connection.run((client) =>
      client.multi().hGet(this.#total(day), key).hGet(this.#total(monthOf(day)), key).exec(),
    );
    return { day: Number(today ?? 0), month: Number(month ?? 0) };
  }

  async rows(from: string, to: string): Promise<SpendRow[]> {
    const days = daysBetween(from, to);
    const hashes = await this.connection.run((client) => {
      const batch = client.multi();
      for (const day of days) batch.hGetAll(this.#day(day));
      return batch.exec();
    });
    const rows: SpendRow[] = [];
    days.forEach((day, index) => {
      const byGroup = new Map<string, SpendRow>();
      for (const [field, value] of Object.entries((hashes[index] ?? {}) as unknown as Record<string, string>)) {
        const colon = field.indexOf(':');
        const metric = field.slice(0, colon) as Metric;
        const group = field.slice(colon + 1);
        let row = byGroup.get(group);
        if (row === undefined) {
          const [key, provider, model] = JSON.parse(group) as [string, string, string];
          row = emptyRow(day, key, provider, model);
          byGroup.set(group, row);
        }
        const amount = Number(value);
        if (metric === 'requests' || metric === 'unpriced' || metric === 'cost_usd') row[metric] = amount;
        else if (METRICS.includes(metric)) row.tokens[metric] = amount;
      }
      rows.push(...byGroup.values());
    });
    return rows;
  }
}
