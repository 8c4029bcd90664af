/**
 * The spend conformance cases: what every `SpendStore` (in process, Redis) must do for
 * `/v1/usage` and budgets. Each store's test file runs them.
 */
import { describe, expect, it } from 'vitest';
import { usageReport } from '../../../lib/spend/usage-report.js';
import type { SpendEntry, SpendStore } from '../../../lib/spend/spend-store.js';
import type { TokenUsage } from '../../../lib/usage/token-usage.js';
import { tokenUsage } from '../../helpers/token-usage.js';

const usage = tokenUsage;

const entry = (day: string, key: string, provider: string, model: string, tokens: TokenUsage, cost: number | null): SpendEntry => ({ day, key, provider, model, usage: tokens, cost_usd: cost });

/** Runs the cases against the stores `open()` makes (a fresh store, or a fresh namespace, each time). */
export function spendConformance(open: () => SpendStore): void {
  describe('spend', () => {
    it('sums requests, tokens by kind, cost and unpriced per day, key, provider and model', async () => {
      const store = open();
      await store.add(entry('2026-12-07', 'team', 'openai', 'gpt-4o-mini', usage(100, 10, { cache_read_tokens: 40 }), 0.25));
      await store.add(entry('2026-12-07', 'team', 'openai', 'gpt-4o-mini', usage(50, 5, { reasoning_tokens: 3 }), 0.125));
      await store.add(entry('2026-12-07', 'team', 'ollama', 'llama3.2', usage(7, 3), null));
      await store.add(entry('2026-12-06', 'ci', 'anthropic', 'claude-3-5-haiku-20241022', usage(1210, 6, { cache_read_tokens: 1000, cache_write_tokens: 200 }), 0.000312));
      const rows = await store.rows('2026-12-07', '2026-12-07');
      const sorted = rows.sort((a, b) => a.provider.localeCompare(b.provider));
      expect(sorted).toEqual([
        { day: '2026-12-07', key: 'team', provider: 'ollama', model: 'llama3.2', requests: 1, tokens: { input: 7, output: 3, cache_read: 0, cache_write: 0, reasoning: 0 }, cost_usd: 0, unpriced: 1 },
        { day: '2026-12-07', key: 'team', provider: 'openai', model: 'gpt-4o-mini', requests: 2, tokens: { input: 150, output: 15, cache_read: 40, cache_write: 0, reasoning: 3 }, cost_usd: 0.375, unpriced: 0 },
      ]);
      expect(await store.rows('2026-12-05', '2026-12-07')).toHaveLength(3);
      expect(await store.rows('2026-12-01', '2026-12-05')).toEqual([]);
    });

    it('knows what a key spent today and this month (UTC), unpriced requests adding nothing', async () => {
      const store = open();
      await store.add(entry('2026-12-01', 'team', 'openai', 'gpt-4o', usage(1, 1), 2));
      await store.add(entry('2026-12-07', 'team', 'openai', 'gpt-4o', usage(1, 1), 1.5));
      await store.add(entry('2026-12-07', 'team', 'openai', 'gpt-4o', usage(1, 1), 0.25));
      await store.add(entry('2026-12-07', 'team', 'ollama', 'x', usage(1, 1), null));
      await store.add(entry('2026-11-30', 'team', 'openai', 'gpt-4o', usage(1, 1), 100));
      await store.add(entry('2026-12-07', 'other', 'openai', 'gpt-4o', usage(1, 1), 50));
      const spent = await store.spent('team', '2026-12-07');
      expect(spent.day).toBeCloseTo(1.75, 10);
      expect(spent.month).toBeCloseTo(3.75, 10);
      expect(await store.spent('nobody', '2026-12-07')).toEqual({ day: 0, month: 0 });
    });

    it('gives the /v1/usage report by key, model, provider and day', async () => {
      const store = open();
      await store.add(entry('2026-12-06', 'a', 'openai', 'gpt-4o-mini', usage(1200, 300), 0.00042));
      await store.add(entry('2026-12-07', 'b', 'openai', 'gpt-4o', usage(10, 1), 0.01));
      await store.add(entry('2026-12-07', 'b', 'ollama', 'llama3.2', usage(5, 5), null));
      const byModel = await usageReport(store, { from: '2026-12-05', to: '2026-12-07', group_by: 'model' });
      expect(byModel).toEqual({
        object: 'usage',
        from: '2026-12-05',
        to: '2026-12-07',
        group_by: 'model',
        data: [
          { group: 'openai/gpt-4o', requests: 1, tokens: { input: 10, output: 1, cache_read: 0, cache_write: 0, reasoning: 0 }, cost_usd: 0.01, unpriced: 0 },
          { group: 'openai/gpt-4o-mini', requests: 1, tokens: { input: 1200, output: 300, cache_read: 0, cache_write: 0, reasoning: 0 }, cost_usd: 0.00042, unpriced: 0 },
          { group: 'ollama/llama3.2', requests: 1, tokens: { input: 5, output: 5, cache_read: 0, cache_write: 0, reasoning: 0 }, cost_usd: 0, unpriced: 1 },
        ],
        total: { requests: 3, tokens: { input: 1215, output: 306, cache_read: 0, cache_write: 0, reasoning: 0 }, cost_usd: 0.01042, unpriced: 1 },
      });
      const byDay = await usageReport(store, { from: '2026-12-05', to: '2026-12-07', group_by: 'day' });
      expect(byDay.data.map((group) => [group.group, group.requests, group.cost_usd])).toEqual([
        ['2026-12-05', 0, 0],
        ['2026-12-06', 1, 0.00042],
        ['2026-12-07', 2, 0.01],
      ]);
      expect((await usageReport(store, { from: '2026-12-05', to: '2026-12-07', group_by: 'key' })).data.map((group) => group.group)).toEqual(['b', 'a']);
      expect((await usageReport(store, { from: '2026-12-05', to: '2026-12-07', group_by: 'provider' })).data.map((group) => [group.group, group.requests])).toEqual([
        ['openai', 2],
        ['ollama', 1],
      ]);
      const onlyA = await usageReport(store, { from: '2026-12-05', to: '2026-12-07', group_by: 'key', key: 'a' });
      expect(onlyA.data.map((group) => group.group)).toEqual(['a']);
      expect(onlyA.total.requests).toBe(1);
    });
  });
}
