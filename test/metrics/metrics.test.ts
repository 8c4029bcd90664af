/**
 * docs/api.md "Metrics and traces": `GET /metrics` after a scripted mix of requests through
 * two mock providers (an answer, a cache hit, a retry, a stream, a provider's 404, a fallback
 * over a chain, an entry skipped by the breaker), every counter checked against what was
 * sent; label values bounded; who may scrape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { generateKey, generateKeyId, hashKey } from '../../lib/keys/key-secret.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { chatCompletion, chunk, sendJson, sleep, startMockUpstream, startSse, type MockUpstream, type RecordedRequest } from '../helpers/mock-upstream.js';
import { labelValues, scrape, value, type Scrape } from '../helpers/prometheus.js';

const INVENTED = 'my-invented-model-zzz';

let openai: MockUpstream;
let groq: MockUpstream;

/** OpenAI's side: the message's text says what to do. */
function openaiScript() {
  const seen = new Map<string, number>();
  return (request: RecordedRequest, res: ServerResponse) => {
    const body = request.json as { model: string; stream?: boolean; messages: { content: string }[] };
    const text = body.messages[0].content;
    const times = (seen.get(text) ?? 0) + 1;
    seen.set(text, times);
    if (body.model === INVENTED) return sendJson(res, 404, { error: { message: `The model ${INVENTED} does not exist`, type: 'invalid_request_error', code: 'model_not_found' } });
    if (text === 'fail') return sendJson(res, 500, { error: { message: 'scripted 500', type: 'server_error' } });
    if (text === 'retry' && times === 1) return sendJson(res, 503, { error: { message: 'scripted 503', type: 'server_error' } });
    if (body.stream) {
      startSse(res);
      res.write(`data: ${chunk('Hel')}\n\n`);
      res.write(`data: ${chunk('lo')}\n\n`);
      res.write(`data: ${chunk(null, 'stop')}\n\n`);
      res.write(`data: ${JSON.stringify({ id: 'chatcmpl-123', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [], usage: { prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 } })}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    sendJson(res, 200, chatCompletion(`openai: ${text}`, body.model));
  };
}

beforeAll(async () => {
  openai = await startMockUpstream(openaiScript());
  groq = await startMockUpstream((request, res) => sendJson(res, 200, chatCompletion('groq', (request.json as { model: string }).model)));
});

afterAll(async () => {
  await openai.close();
  await groq.close();
});

const providers = () => ({
  OPENAI_BASE_URL: `${openai.origin}/v1`,
  GROQ_BASE_URL: `${groq.origin}/openai/v1`,
});

async function chat(gateway: TestGateway, text: string, options: { model?: string; provider?: string; stream?: boolean; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${gateway.origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(options.provider ? { 'x-provider': options.provider } : {}), ...options.headers },
    body: JSON.stringify({ model: options.model ?? 'gpt-4o', messages: [{ role: 'user', content: text }], ...(options.stream ? { stream: true } : {}) }),
  });
  await response.text();
  return response;
}

describe('GET /metrics after a mixed run', () => {
  let gateway: TestGateway;
  let metrics: Scrape;
  const statuses: number[] = [];

  beforeAll(async () => {
    gateway = await startGateway({
      ...providers(),
      GATEWAY_CACHE: 'on',
      GATEWAY_RETRIES: '1',
      GATEWAY_RETRY_BASE_MS: '1',
      GATEWAY_CIRCUIT_FAILURES: '2',
      GATEWAY_CIRCUIT_COOLDOWN_MS: '600000',
      // Known prices, USD per million tokens, so that the cost counters can be checked exactly.
      GATEWAY_PRICES: JSON.stringify({ 'openai/gpt-4o': { input: 1, output: 2 }, 'groq/llama-3.1-8b-instant': { input: 0.5, output: 1 } }),
    });
    const run = async (response: Promise<Response>) => statuses.push((await response).status);
    await run(chat(gateway, 'one')); // openai answers (cache MISS)
    await run(chat(gateway, 'one')); // the same again: cache HIT
    await run(chat(gateway, 'retry')); // 503, then 200 on the retry
    await run(chat(gateway, 'stream', { stream: true })); // a stream (cache BYPASS)
    await run(chat(gateway, 'invented', { model: INVENTED })); // the provider's 404, passed on
    await run(chat(gateway, 'groq', { provider: 'groq', model: 'llama-3.1-8b-instant' })); // the second provider
    await run(chat(gateway, 'fail', { provider: 'openai, groq/llama-3.1-8b-instant' })); // 500, 500: falls back; openai's circuit opens
    await run(chat(gateway, 'skipped', { provider: 'openai, groq/llama-3.1-8b-instant' })); // openai skipped by the breaker
    // Listeners run after the answer (a stream's when it ended): give them a moment.
    await sleep(50);
    metrics = await scrape(gateway.origin);
  });

  afterAll(() => gateway.close());

  it('answers in the Prometheus text format', () => {
    expect(statuses).toEqual([200, 200, 200, 200, 404, 200, 200, 200]);
    expect(metrics.status).toBe(200);
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(openai.requests.some((request) => request.url.includes('metrics'))).toBe(false);
  });

  it('counts requests by operation, provider, model and status', () => {
    const { families } = metrics;
    const requests = (labels: Record<string, string>) => value(families, 'gateway_requests_total', { operation: 'chat', ...labels });
    expect(requests({})).toBe(8);
    expect(requests({ provider: 'openai', model: 'gpt-4o', status: '200' })).toBe(3);
    // A cache hit knows its provider, not its model.
    expect(requests({ provider: 'openai', model: '', status: '200' })).toBe(1);
    expect(requests({ provider: 'openai', model: 'other', status: '404' })).toBe(1);
    expect(requests({ provider: 'groq', model: 'llama-3.1-8b-instant', status: '200' })).toBe(3);
  });

  it('adds up what the answers cost, from the prices, by provider and model', () => {
    const { families } = metrics;
    const cost = (labels: Record<string, string>) => value(families, 'gateway_cost_usd_total', labels);
    // openai: two plain answers of 9 + 3 tokens (the cache hit costs nothing) and a stream of 5 + 4.
    expect(cost({ provider: 'openai', model: 'gpt-4o' })).toBeCloseTo(2 * (9 * 1 + 3 * 2) / 1e6 + (5 * 1 + 4 * 2) / 1e6, 12);
    // groq: three plain answers of 9 + 3 tokens.
    expect(cost({ provider: 'groq', model: 'llama-3.1-8b-instant' })).toBeCloseTo(3 * (9 * 0.5 + 3 * 1) / 1e6, 12);
    expect(families.has('gateway_unpriced_requests_total')).toBe(true);
    expect(value(families, 'gateway_unpriced_requests_total', {})).toBe(0);
  });

  it('counts attempts by outcome', () => {
    const attempts = (provider: string, outcome: string) => value(metrics.families, 'gateway_attempts_total', { provider, outcome });
    expect(attempts('openai', 'ok')).toBe(3);
    expect(attempts('openai', 'retried')).toBe(2);
    expect(attempts('openai', 'fell_back')).toBe(1);
    expect(attempts('openai', 'error')).toBe(1);
    expect(attempts('openai', 'skipped_breaker')).toBe(1);
    expect(attempts('groq', 'ok')).toBe(3);
    expect(value(metrics.families, 'gateway_attempts_total')).toBe(11);
    // What the mocks saw: every counted upstream request, and no other.
    expect(openai.requests).toHaveLength(7);
    expect(groq.requests).toHaveLength(3);
  });

  it('counts cache verdicts', () => {
    const cache = (result: string) => value(metrics.families, 'gateway_cache_results_total', { operation: 'chat', result });
    expect(cache('HIT')).toBe(1);
    expect(cache('BYPASS')).toBe(1);
    expect(cache('MISS')).toBe(6);
  });

  it('has the GenAI histograms: tokens by type, duration, time to first token, time per output token', () => {
    const { families } = metrics;
    const openaiGpt = { gen_ai_operation_name: 'chat', gen_ai_provider_name: 'openai', gen_ai_request_model: 'gpt-4o' };
    // Answers with usage: two plain ones (9 in, 3 out each) and the stream (5 in, 4 out).
    expect(value(families, 'gen_ai_client_token_usage_count', { ...openaiGpt, gen_ai_token_type: 'input' })).toBe(3);
    expect(value(families, 'gen_ai_client_token_usage_sum', { ...openaiGpt, gen_ai_token_type: 'input' })).toBe(23);
    expect(value(families, 'gen_ai_client_token_usage_sum', { ...openaiGpt, gen_ai_token_type: 'output' })).toBe(10);
    expect(value(families, 'gen_ai_client_token_usage_sum', { gen_ai_provider_name: 'groq', gen_ai_token_type: 'input' })).toBe(27);
    expect(value(families, 'gen_ai_client_token_usage_count', { gen_ai_token_type: 'reasoning' })).toBe(0);
    expect(value(families, 'gen_ai_server_request_duration_seconds_count')).toBe(8);
    expect(value(families, 'gen_ai_server_request_duration_seconds_count', { error_type: '404' })).toBe(1);
    expect(value(families, 'gen_ai_server_time_to_first_token_seconds_count', openaiGpt)).toBe(1);
    expect(value(families, 'gen_ai_server_time_to_first_token_seconds_count')).toBe(1);
    expect(value(families, 'gen_ai_server_time_per_output_token_seconds_count', openaiGpt)).toBe(1);
    // Buckets are cumulative: the +Inf bucket holds every observation.
    expect(value(families, 'gen_ai_server_request_duration_seconds_bucket', { le: '+Inf' })).toBe(8);
  });

  it('has the gateway’s own overhead, upstream time excluded', () => {
    const { families } = metrics;
    expect(value(families, 'gateway_overhead_seconds_count', { operation: 'chat' })).toBe(8);
    const overhead = value(families, 'gateway_overhead_seconds_sum');
    const total = value(families, 'gen_ai_server_request_duration_seconds_sum');
    expect(overhead).toBeGreaterThan(0);
    // The retry's backoff aside, most of the time went to the upstreams.
    expect(overhead).toBeLessThan(total);
  });

  it('shows each provider’s circuit', () => {
    const circuit = (provider: string, state: string) => value(metrics.families, 'gateway_circuit_breaker_state', { provider, state });
    expect(circuit('openai', 'open')).toBe(1);
    expect(circuit('openai', 'closed')).toBe(0);
    expect(circuit('groq', 'closed')).toBe(1);
    expect(circuit('anthropic', 'closed')).toBe(1);
  });

  it('keeps label values bounded: no invented model, no request id', () => {
    expect(metrics.text).not.toContain(INVENTED);
    const models = [...labelValues(metrics.families, 'model'), ...labelValues(metrics.families, 'gen_ai_request_model')];
    expect(new Set(models)).toEqual(new Set(['gpt-4o', '', 'other', 'llama-3.1-8b-instant']));
    expect(metrics.text).not.toMatch(/request_id|[0-9a-f]{8}-[0-9a-f]{4}-/);
  });

  it('gives every gateway a registry of its own', async () => {
    const other = await startGateway(providers());
    try {
      const fresh = await scrape(other.origin);
      expect(fresh.status).toBe(200);
      expect(value(fresh.families, 'gateway_requests_total')).toBe(0);
      expect(value(fresh.families, 'gateway_circuit_breaker_state', { provider: 'openai', state: 'closed' })).toBe(1);
    } finally {
      await other.close();
    }
  });
});

describe('who may scrape /metrics', () => {
  const MASTER = 'master-key-for-metrics-0123456789abcdef';
  const scraper = generateKey();
  const chatter = generateKey();
  const everything = generateKey();
  const record = (name: string, key: string, scopes: string[]) => ({
    id: generateKeyId(),
    name,
    hash: hashKey(key).toString('hex'),
    scopes,
    providers: [],
    created_at: new Date().toISOString(),
  });
  const keys = JSON.stringify({ version: 1, keys: [record('scraper', scraper, ['get:/metrics']), record('chatter', chatter, ['post:/v1/chat/completions']), record('everything', everything, ['all'])] });
  const running: TestGateway[] = [];
  const start = async (...args: Parameters<typeof startGateway>) => {
    const gateway = await startGateway(...args);
    running.push(gateway);
    return gateway;
  };

  afterAll(() => Promise.all(running.map((gateway) => gateway.close())));

  it('with gateway keys: the master key or a key with get:/metrics; else 401 (none) or 403 (no scope)', async () => {
    const gateway = await start({ ...providers(), GATEWAY_MASTER_KEY: MASTER, GATEWAY_KEYS: keys }, { exposed: true });
    const anonymous = await fetch(`${gateway.origin}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string; type: string } }).error).toMatchObject({ code: 'missing_api_key' });
    expect((await scrape(gateway.origin, { authorization: `Bearer ${MASTER}` })).status).toBe(200);
    const scoped = await scrape(gateway.origin, { authorization: `Bearer ${scraper}` });
    expect(scoped.status).toBe(200);
    expect(scoped.families.has('gateway_requests_total')).toBe(true);
    const unscoped = await fetch(`${gateway.origin}/metrics`, { headers: { authorization: `Bearer ${chatter}` } });
    expect(unscoped.status).toBe(403);
    expect(((await unscoped.json()) as { error: { code: string } }).error.code).toBe('scope_not_granted');
    expect((await fetch(`${gateway.origin}/metrics`, { headers: { authorization: 'Bearer gw-not-a-key' } })).status).toBe(401);
    // Scope `all` does not include /metrics: it names every key and its spend.
    expect((await fetch(`${gateway.origin}/metrics`, { headers: { authorization: `Bearer ${everything}` } })).status).toBe(403);
    // The scraper's key is no key for the providers.
    expect((await chat(gateway, 'hi', { headers: { authorization: `Bearer ${scraper}` } })).status).toBe(403);
  });

  it('reachable beyond loopback without gateway keys: 401 for everyone', async () => {
    const gateway = await start(providers(), { exposed: true });
    const response = await fetch(`${gateway.origin}/metrics`);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/get:\/metrics/);
  });

  it('loopback-only without gateway keys: open to this machine’s own clients, not to a web page', async () => {
    const gateway = await start(providers(), { exposed: false });
    expect((await scrape(gateway.origin)).status).toBe(200);
    expect((await fetch(`${gateway.origin}/metrics`, { headers: { origin: 'https://evil.example' } })).status).toBe(401);
  });

  it('GATEWAY_METRICS=off: no /metrics, and it is never proxied', async () => {
    const gateway = await start({ ...providers(), GATEWAY_METRICS: 'off' });
    const before = openai.requests.length;
    expect((await fetch(`${gateway.origin}/metrics`)).status).toBe(404);
    expect(openai.requests.length).toBe(before);
  });
});
