/**
 * docs/api.md "Resilience": retries, fallback, Retry-After, timeouts, every attempt failing,
 * each against scripted mock upstreams on loopback.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chatCompletion, sendJson, sleep, startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

let openai: MockUpstream;
let groq: MockUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  openai = await startMockUpstream();
  groq = await startMockUpstream();
  gateway = await startGateway({
    OPENAI_BASE_URL: `${openai.origin}/v1`,
    GROQ_BASE_URL: `${groq.origin}/openai/v1`,
    GROQ_API_KEY: 'gsk-env',
    GATEWAY_RETRY_BASE_MS: '5',
    GATEWAY_MAX_RETRY_AFTER_MS: '2000',
    GATEWAY_CIRCUIT_FAILURES: '1000',
  });
});

afterAll(async () => {
  await gateway.close();
  await openai.close();
  await groq.close();
});

afterEach(() => {
  openai.requests.length = 0;
  groq.requests.length = 0;
});

/** Answers each request with the next scripted status (the last one repeats). */
function script(mock: MockUpstream, steps: Array<number | ((res: Parameters<Parameters<MockUpstream['handle']>[0]>[1]) => void)>) {
  let index = 0;
  mock.handle((request, res) => {
    const step = steps[Math.min(index++, steps.length - 1)];
    if (typeof step === 'function') return step(res);
    if (step === 200) return sendJson(res, 200, chatCompletion(`from ${mock === openai ? 'openai' : 'groq'}`));
    sendJson(res, step, { error: { message: `scripted ${step}`, type: 'server_error' } });
  });
}

async function chat(headers: Record<string, string> = {}) {
  const started = Date.now();
  const response = await fetch(`${gateway.origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client', ...headers },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
  });
  return { response, json: (await response.json()) as Record<string, any>, ms: Date.now() - started };
}

describe('retries and fallback', () => {
  it('503, 503, 200: retried on the same provider until it answers', async () => {
    script(openai, [503, 503, 200]);
    const { response, json } = await chat({ 'x-provider': 'openai' });
    expect(response.status).toBe(200);
    expect(json.choices[0].message.content).toBe('from openai');
    expect(response.headers.get('x-gateway-attempts')).toBe('3');
    expect(openai.requests).toHaveLength(3);
  });

  it('always 500: falls back to the next provider, with that entry’s model and its own key', async () => {
    script(openai, [500]);
    script(groq, [200]);
    const { response, json } = await chat({ 'x-provider': 'openai, groq/llama-3.1-8b-instant' });
    expect(response.status).toBe(200);
    expect(json.choices[0].message.content).toBe('from groq');
    expect(response.headers.get('x-gateway-provider')).toBe('groq');
    expect(response.headers.get('x-gateway-attempts')).toBe('4');
    expect(openai.requests).toHaveLength(3);
    expect(groq.requests[0].json?.model).toBe('llama-3.1-8b-instant');
    // The client's key went only to the first provider.
    expect(openai.requests[0].headers.authorization).toBe('Bearer sk-client');
    expect(groq.requests[0].headers.authorization).toBe('Bearer gsk-env');
  });

  it('a 400 comes back at once: no retry, no fallback, the provider’s own body', async () => {
    script(openai, [400]);
    script(groq, [200]);
    const { response, json } = await chat({ 'x-provider': 'openai, groq' });
    expect(response.status).toBe(400);
    expect(json).toEqual({ error: { message: 'scripted 400', type: 'server_error' } });
    expect(openai.requests).toHaveLength(1);
    expect(groq.requests).toHaveLength(0);
  });

  it('429 with Retry-After: 1: the retry comes about a second later', async () => {
    script(openai, [(res) => sendJson(res, 429, { error: { message: 'slow down' } }, { 'retry-after': '1' }), 200]);
    const { response } = await chat({ 'x-provider': 'openai' });
    expect(response.status).toBe(200);
    expect(openai.requests).toHaveLength(2);
    const [first, second] = openai.requests.map((request) => request.receivedAt!);
    expect(second - first).toBeGreaterThanOrEqual(950);
    expect(second - first).toBeLessThan(1800);
  });

  it('a Retry-After over the cap goes to the next provider instead of waiting', async () => {
    script(openai, [(res) => sendJson(res, 429, { error: { message: 'come back tomorrow' } }, { 'retry-after': '3600' })]);
    script(groq, [200]);
    const { response, ms } = await chat({ 'x-provider': 'openai, groq' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-gateway-provider')).toBe('groq');
    expect(openai.requests).toHaveLength(1);
    expect(ms).toBeLessThan(1000);
  });

  it('a hang is cut at the 500 ms timeout, then the next provider answers', async () => {
    script(openai, [() => undefined]);
    script(groq, [200]);
    const { response, ms } = await chat({ 'x-provider': 'openai, groq', 'x-gateway-timeout': '500', 'x-gateway-retries': '0' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-gateway-provider')).toBe('groq');
    expect(ms).toBeGreaterThanOrEqual(480);
    expect(ms).toBeLessThan(1500);
  });

  it('a hang alone is a 504 timeout_error', async () => {
    script(openai, [() => undefined]);
    const { response, json } = await chat({ 'x-provider': 'openai', 'x-gateway-timeout': '200', 'x-gateway-retries': '1' });
    expect(response.status).toBe(504);
    expect(json.error.type).toBe('timeout_error');
    expect(json.error.attempts).toHaveLength(2);
    expect(json.error.attempts[0]).toMatchObject({ provider: 'openai', model: 'gpt-4o', error: 'upstream_timeout' });
  });

  it('a reset socket is retried', async () => {
    let calls = 0;
    openai.handle((request, res, raw) => {
      calls += 1;
      if (calls === 1) raw.socket.destroy();
      else sendJson(res, 200, chatCompletion('after reset'));
    });
    const { response, json } = await chat({ 'x-provider': 'openai' });
    expect(response.status).toBe(200);
    expect(json.choices[0].message.content).toBe('after reset');
    expect(response.headers.get('x-gateway-attempts')).toBe('2');
  });

  it('a body cut after its head is retried, then falls back, stream or not', async () => {
    const cut = (res: Parameters<Parameters<MockUpstream['handle']>[0]>[1]) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
      res.write('{"id":"chatcmpl-cut","choices":[');
      setTimeout(() => res.socket?.destroy(), 5);
    };
    script(openai, [cut]);
    script(groq, [200]);
    const { response, json } = await chat({ 'x-provider': 'openai, groq', 'x-gateway-retries': '1' });
    expect(response.status).toBe(200);
    expect(json.choices[0].message.content).toBe('from groq');
    expect(response.headers.get('x-gateway-attempts')).toBe('3');
    expect(openai.requests).toHaveLength(2);

    // A stream whose connection breaks before its first event is retried the same way.
    openai.requests.length = 0;
    openai.handle((_request, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"id":"chatcmpl-cut","choi');
      setTimeout(() => res.socket?.destroy(), 5);
    });
    groq.handle((_request, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: {"id":"g","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"from groq"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n');
    });
    const streamed = await fetch(`${gateway.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client', 'x-provider': 'openai, groq', 'x-gateway-retries': '1' },
      body: JSON.stringify({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get('x-gateway-provider')).toBe('groq');
    expect(await streamed.text()).toContain('from groq');
    expect(openai.requests).toHaveLength(2);
  });

  it('a passthrough error body cut mid-way is retried too', async () => {
    let calls = 0;
    openai.handle((_request, res) => {
      calls += 1;
      if (calls > 1) return sendJson(res, 200, { object: 'list', data: [] });
      res.writeHead(503, { 'content-type': 'application/json', 'content-length': '200' });
      res.write('{"error":');
      setTimeout(() => res.socket?.destroy(), 5);
    });
    const response = await fetch(`${gateway.origin}/v1/files`, { headers: { authorization: 'Bearer sk-client', 'x-provider': 'openai' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ object: 'list', data: [] });
    expect(response.headers.get('x-gateway-attempts')).toBe('2');
  });

  it('every attempt failing: the last status, and an error that lists each attempt in order', async () => {
    script(openai, [500]);
    script(groq, [503]);
    const { response, json } = await chat({ 'x-provider': 'openai, groq/llama-3.1-8b-instant', 'x-gateway-retries': '1' });
    expect(response.status).toBe(503);
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(response.headers.get('x-gateway-attempts')).toBe('4');
    expect(response.headers.get('x-gateway-cache')).toBe('BYPASS');
    expect(json.error.type).toBe('upstream_error');
    expect(json.error.attempts.map((a: { provider: string; status: number }) => [a.provider, a.status])).toEqual([
      ['openai', 500],
      ['openai', 500],
      ['groq', 503],
      ['groq', 503],
    ]);
    expect(json.error.attempts[2].model).toBe('llama-3.1-8b-instant');
    expect(typeof json.error.attempts[0].duration_ms).toBe('number');
    expect(json.error.message).toMatch(/openai\/gpt-4o: 500.*groq\/llama-3.1-8b-instant: 503/);
  });

  it('x-request-id is echoed when the client sent one', async () => {
    script(openai, [200]);
    const { response } = await chat({ 'x-request-id': 'trace-abc-123' });
    expect(response.headers.get('x-request-id')).toBe('trace-abc-123');
  });
});

describe('client abort', () => {
  it('stops a pending backoff sleep: no later attempt is made', async () => {
    script(openai, [(res) => sendJson(res, 503, { error: { message: 'busy' } }, { 'retry-after': '1' }), 200]);
    const controller = new AbortController();
    const pending = fetch(`${gateway.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-provider': 'openai, groq' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
      signal: controller.signal,
    }).catch((error: unknown) => error);
    await sleep(200);
    expect(openai.requests).toHaveLength(1);
    controller.abort();
    await pending;
    await sleep(1300);
    expect(openai.requests).toHaveLength(1);
    expect(groq.requests).toHaveLength(0);
  });
});
