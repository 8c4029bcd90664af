/**
 * The metrics' rules that a mixed run through HTTP cannot reach on its own: cost and
 * unpriced answers by key and model (`cost_usd` comes from the price table), and the cap on
 * model label values per provider. Records go straight to the listener.
 */
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../lib/chain/circuit-breaker.js';
import { GatewayMetrics } from '../../lib/metrics/gateway-metrics.js';
import { MODELS_PER_PROVIDER } from '../../lib/metrics/model-labels.js';
import type { RequestRecord } from '../../lib/usage/request-record.js';
import { labelValues, parseMetrics, value } from '../helpers/prometheus.js';

const usage = { input_tokens: 100, output_tokens: 20, cache_read_tokens: 60, cache_write_tokens: 0, reasoning_tokens: 8 };

function done(fields: Partial<RequestRecord>): RequestRecord {
  return {
    id: 'req-1',
    at: Date.now(),
    method: 'POST',
    path: '/v1/chat/completions',
    status: 200,
    operation: 'chat',
    provider: 'openai',
    model: 'gpt-4o',
    attempts: 1,
    ttfb_ms: 5,
    duration_ms: 12,
    attempt_details: [{ provider: 'openai', model: 'gpt-4o', status: 200, outcome: 'ok', start_ms: 1, duration_ms: 10 }],
    upstream_ms: 10,
    ...fields,
  };
}

const metricsOf = () => new GatewayMetrics({ providers: ['openai', 'groq'], breaker: new CircuitBreaker(5, 1000) });

describe('GatewayMetrics', () => {
  it('adds up cost in USD by key, provider and model, and counts unpriced answers apart', async () => {
    const metrics = metricsOf();
    metrics.record(done({ key: 'team-a', usage, cost_usd: 0.0125 }));
    metrics.record(done({ key: 'team-a', usage, cost_usd: 0.0025 }));
    metrics.record(done({ key: 'team-b', usage, cost_usd: 0.5 }));
    metrics.record(done({ key: 'team-b', usage, cost_usd: null }));
    metrics.record(done({ usage, cost_usd: null }));
    const families = parseMetrics((await metrics.scrape()).text);
    expect(value(families, 'gateway_cost_usd_total', { key: 'team-a', provider: 'openai', model: 'gpt-4o' })).toBeCloseTo(0.015, 10);
    expect(value(families, 'gateway_cost_usd_total', { key: 'team-b' })).toBeCloseTo(0.5, 10);
    expect(value(families, 'gateway_unpriced_requests_total', { key: 'team-b', model: 'gpt-4o' })).toBe(1);
    expect(value(families, 'gateway_unpriced_requests_total', { key: '' })).toBe(1);
    // An unpriced answer never counts as $0.
    expect(value(families, 'gateway_cost_usd_total', { key: '' })).toBe(0);
    expect(families.get('gateway_cost_usd_total')?.metrics.some((sample) => sample.labels?.key === '')).toBe(false);
  });

  it('observes cache reads, cache writes and reasoning tokens when there are some', async () => {
    const metrics = metricsOf();
    metrics.record(done({ usage }));
    const families = parseMetrics((await metrics.scrape()).text);
    const sum = (type: string) => value(families, 'gen_ai_client_token_usage_sum', { gen_ai_token_type: type });
    expect([sum('input'), sum('output'), sum('cache_read'), sum('reasoning')]).toEqual([100, 20, 60, 8]);
    expect(value(families, 'gen_ai_client_token_usage_count', { gen_ai_token_type: 'cache_write' })).toBe(0);
  });

  it(`admits at most ${MODELS_PER_PROVIDER} model names per provider, then folds the rest into "other"`, async () => {
    const metrics = metricsOf();
    for (let index = 0; index < MODELS_PER_PROVIDER + 10; index += 1) metrics.record(done({ model: `model-${index}` }));
    // Already admitted names stay; a failed request's unknown name is "other" even below the cap.
    metrics.record(done({ model: 'model-0' }));
    metrics.record(done({ provider: 'groq', model: 'made-up', status: 404 }));
    const families = parseMetrics((await metrics.scrape()).text);
    const models = labelValues(families, 'model');
    expect(models.size).toBe(MODELS_PER_PROVIDER + 1);
    expect(models.has('other')).toBe(true);
    expect(models.has(`model-${MODELS_PER_PROVIDER}`)).toBe(false);
    expect(value(families, 'gateway_requests_total', { model: 'other' })).toBe(11);
    expect(value(families, 'gateway_requests_total', { model: 'model-0' })).toBe(2);
  });

  it('does not count its own /metrics and /health', async () => {
    const metrics = metricsOf();
    metrics.record(done({ path: '/metrics', operation: undefined, provider: undefined, attempt_details: undefined }));
    metrics.record(done({ path: '/health', operation: undefined, provider: undefined, attempt_details: undefined }));
    expect(value(parseMetrics((await metrics.scrape()).text), 'gateway_requests_total')).toBe(0);
  });
});
