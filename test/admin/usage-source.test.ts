/**
 * The usage adapter answers with `GET /v1/usage`'s contract from the spend store, fed by the
 * gateway's own spend listener: groups by key, model, provider or day within an inclusive UTC
 * range, unpriced requests counted apart (never as $0), only requests a provider answered with
 * usage; the ring of recent requests keeps the newest and stays bounded.
 */
import { describe, expect, it } from 'vitest';
import { RecentRequests } from '../../lib/admin/recent-requests.js';
import { spendUsageSource } from '../../lib/admin/usage-source.js';
import type { UsageQuery, UsageReport } from '../../lib/spend/usage-report.js';
import { createLogger } from '../../lib/log/logger.js';
import { spendListener } from '../../lib/spend/spend-listener.js';
import { MemorySpendStore } from '../../lib/spend/spend-store.js';
import { usageCsv } from '../../lib/admin/usage-csv.js';
import type { RequestRecord } from '../../lib/usage/request-record.js';

const DAY1 = Date.parse('2026-12-01T10:00:00Z');
const DAY2 = Date.parse('2026-12-02T23:59:00Z');

const record = (fields: Partial<RequestRecord>): RequestRecord => ({
  id: 'r',
  at: DAY1,
  method: 'POST',
  path: '/v1/chat/completions',
  status: 200,
  attempts: 1,
  ttfb_ms: 5,
  duration_ms: 10,
  provider: 'openai',
  model: 'gpt-4o-mini',
  key: 'team-a',
  usage: { input_tokens: 100, output_tokens: 20, cache_read_tokens: 10, cache_write_tokens: 0, reasoning_tokens: 5 },
  ...fields,
});

const RECORDS = [
  record({ cost_usd: 0.001 }),
  record({ cost_usd: null, model: 'mystery' }),
  record({ at: DAY2, key: 'team-b', provider: 'groq', model: 'llama', cost_usd: 0.002 }),
  record({ status: 502, provider: undefined, model: undefined, usage: undefined }),
  record({ at: Date.parse('2026-12-03T00:00:00Z'), cost_usd: 1 }),
];

/** The report for `records` after the spend listener recorded them. */
async function summarize(records: RequestRecord[], query: UsageQuery): Promise<UsageReport> {
  const store = new MemorySpendStore();
  const listener = spendListener(store, createLogger('silent'));
  for (const done of records) listener(done);
  return spendUsageSource(store, false).usage(query);
}

describe('the spend store adapter', () => {
  it('groups by model with the contract’s fields; unpriced apart from cost; an unanswered request not at all', async () => {
    const report = await summarize(RECORDS, { from: '2026-12-01', to: '2026-12-02', group_by: 'model' });
    expect(report).toEqual({
      object: 'usage',
      from: '2026-12-01',
      to: '2026-12-02',
      group_by: 'model',
      data: [
        { group: 'groq/llama', requests: 1, tokens: { input: 100, output: 20, cache_read: 10, cache_write: 0, reasoning: 5 }, cost_usd: 0.002, unpriced: 0 },
        { group: 'openai/gpt-4o-mini', requests: 1, tokens: { input: 100, output: 20, cache_read: 10, cache_write: 0, reasoning: 5 }, cost_usd: 0.001, unpriced: 0 },
        { group: 'openai/mystery', requests: 1, tokens: { input: 100, output: 20, cache_read: 10, cache_write: 0, reasoning: 5 }, cost_usd: 0, unpriced: 1 },
      ],
      total: { requests: 3, tokens: { input: 300, output: 60, cache_read: 30, cache_write: 0, reasoning: 15 }, cost_usd: 0.003, unpriced: 1 },
    });
  });

  it('by key, provider and day; a key filter; the range is inclusive by UTC day', async () => {
    expect((await summarize(RECORDS, { from: '2026-12-01', to: '2026-12-03', group_by: 'key' })).data.map((row) => [row.group, row.requests])).toEqual([
      ['team-a', 3],
      ['team-b', 1],
    ]);
    expect((await summarize(RECORDS, { from: '2026-12-01', to: '2026-12-02', group_by: 'provider' })).data.map((row) => row.group)).toEqual(['groq', 'openai']);
    expect((await summarize(RECORDS, { from: '2026-12-01', to: '2026-12-03', group_by: 'day' })).data.map((row) => [row.group, row.requests])).toEqual([
      ['2026-12-01', 2],
      ['2026-12-02', 1],
      ['2026-12-03', 1],
    ]);
    expect((await summarize(RECORDS, { from: '2026-12-02', to: '2026-12-02', group_by: 'day', key: 'team-a' })).total.requests).toBe(0);
  });

  it('CSV: a header, a row per group and the total; a cell a spreadsheet would run is defused', async () => {
    const csv = usageCsv(await summarize([...RECORDS, record({ key: '=HYPERLINK("x")' })], { from: '2026-12-01', to: '2026-12-01', group_by: 'key' }));
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('group,requests,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,reasoning_tokens,cost_usd,unpriced_requests');
    expect(lines).toContain('team-a,2,200,40,20,0,10,0.001,1');
    expect(lines).toContain(`"'=HYPERLINK(""x"")",1,100,20,10,0,5,0,1`);
    expect(lines.at(-1)).toBe('total,3,300,60,30,0,15,0.001,2');
  });
});

describe('RecentRequests', () => {
  it('keeps the newest up to its capacity, newest first, and skips health probes', async () => {
    const recent = new RecentRequests(3);
    for (let index = 0; index < 5; index += 1) recent.listener(record({ id: `r${index}` }));
    recent.listener(record({ id: 'probe', path: '/health' }));
    expect(recent.list().map((entry) => entry.id)).toEqual(['r4', 'r3', 'r2']);
    expect(recent.size).toBe(3);
  });

  it('gives back every field of a record as it came, the trace content left out', () => {
    const recent = new RecentRequests(2);
    const full: RequestRecord = {
      id: 'req-full',
      at: 1_765_000_000_123,
      method: 'POST',
      path: '/v1/chat/completions',
      status: 200,
      operation: 'chat',
      key: 'team-a',
      chain: ['openai/gpt-4o', 'anthropic'],
      provider: 'anthropic',
      model: 'claude-3-5-haiku-20241022',
      attempts: 2,
      cache: 'MISS',
      usage: { input_tokens: 1210, output_tokens: 40, cache_read_tokens: 1000, cache_write_tokens: 200, reasoning_tokens: 3, partial: true, estimated: true },
      cost_usd: 0.000123,
      ttfb_ms: 12.5,
      duration_ms: 80.1,
      attempt_details: [
        { provider: 'openai', model: 'gpt-4o', status: 503, outcome: 'fell_back', start_ms: 0.5, duration_ms: 4 },
        { provider: 'anthropic', model: 'claude-3-5-haiku-20241022', status: 200, outcome: 'ok', start_ms: 5, duration_ms: 70 },
      ],
      upstream_ms: 74,
      first_token_ms: 30.2,
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      content: { request: { messages: [] } },
    };
    const { content: _content, ...kept } = full;
    const bare: RequestRecord = { id: 'req-bare', at: 1, method: 'GET', path: '/v1/models', status: 401, attempts: 0, ttfb_ms: 1, duration_ms: 1, cost_usd: null, usage: { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 } };
    // The gateway's own ids are UUIDs; one attempt that failed without a status.
    const single: RequestRecord = {
      ...bare,
      id: '0af76519-16cd-43dd-8448-eb211c80319c',
      status: 502,
      provider: 'openai',
      attempt_details: [{ provider: 'openai', model: 'gpt-4o', error: 'upstream_unreachable', outcome: 'error', start_ms: 0.25, duration_ms: 3.5 }],
      upstream_ms: 3.5,
    };
    recent.listener(full);
    recent.listener(bare);
    expect(recent.list()).toEqual([bare, kept]);
    expect(recent.list()[1]).not.toHaveProperty('content');
    recent.listener(single);
    expect(recent.list()).toEqual([single, bare]);
  });
});
