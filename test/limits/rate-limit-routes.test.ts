/**
 * Rate limits through the gateway, with a fake clock: a 429 with Retry-After and
 * OpenAI's headers, the headers on every answer of a limited key (errors too), a 403 not
 * counted, tokens counted from the provider's usage, streams included.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKey } from '../../lib/keys/key-commands.js';
import { chatCompletion, chunk, sendJson, startMockUpstream, startSse, type MockUpstream } from '../helpers/mock-upstream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { eventually } from '../helpers/keys-cli.js';

/** 2030-01-01T00:00:00Z. */
const T0 = Date.UTC(2030, 0, 1);
const clock = { now: T0 + 10_000 };
const store = join(mkdtempSync(join(tmpdir(), 'gateway-limits-')), 'keys.json');
const keys: Record<string, string> = {};
let openai: MockUpstream;
let gateway: TestGateway;

const usageChunk = (prompt: number, completion: number) =>
  JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [], usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion } });

async function chat(key: string, body: Record<string, unknown> = {}) {
  const response = await fetch(`${gateway.origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], ...body }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text };
}

/** The answer's Retry-After and x-ratelimit-* headers. */
const limitHeaders = (answer: { headers: Headers }) =>
  Object.fromEntries([...answer.headers].filter(([name]) => name === 'retry-after' || name.startsWith('x-ratelimit-')));

beforeAll(async () => {
  const known = new Set(['openai']);
  keys.rpm = (await createKey(store, { name: 'rpm-2', scopes: [], providers: [], rpm: 2 }, known)).key;
  keys.tpm = (await createKey(store, { name: 'tpm-20', scopes: [], providers: [], tpm: 20 }, known)).key;
  keys.stream = (await createKey(store, { name: 'tpm-stream', scopes: [], providers: [], tpm: 15 }, known)).key;
  keys.free = (await createKey(store, { name: 'unlimited', scopes: [], providers: [] }, known)).key;
  keys.scoped = (await createKey(store, { name: 'openai-only', scopes: [], providers: ['openai'], rpm: 1 }, new Set(['openai', 'groq']))).key;
  openai = await startMockUpstream((request, res) => sendJson(res, 200, chatCompletion(), { 'x-ratelimit-limit-requests': '10000' }));
  gateway = await startGateway({ OPENAI_BASE_URL: `${openai.origin}/v1`, GATEWAY_KEYS_FILE: store }, { now: () => clock.now });
});

afterAll(async () => {
  await gateway.close();
  await openai.close();
});

beforeEach(() => {
  openai.requests.length = 0;
  openai.handle((request, res) => sendJson(res, 200, chatCompletion(), { 'x-ratelimit-limit-requests': '10000' }));
});

describe('requests per minute', () => {
  it('a burst of rpm is admitted, the next is a 429 with Retry-After and OpenAI’s headers; one more fits every 60 s / rpm', async () => {
    clock.now = T0 + 10_000;
    const first = await chat(keys.rpm);
    expect(first.status).toBe(200);
    expect(limitHeaders(first)).toEqual({ 'x-ratelimit-limit-requests': '2', 'x-ratelimit-remaining-requests': '1', 'x-ratelimit-reset-requests': '30s' });
    expect((await chat(keys.rpm)).headers.get('x-ratelimit-remaining-requests')).toBe('0');
    clock.now = T0 + 22_300;
    const refused = await chat(keys.rpm);
    expect(refused.status).toBe(429);
    expect(limitHeaders(refused)).toEqual({
      'retry-after': '18',
      'x-ratelimit-limit-requests': '2',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '48s',
    });
    expect(JSON.parse(refused.text)).toEqual({
      error: { message: expect.stringMatching(/rpm-2.*2 requests per minute.*18 s/), type: 'rate_limit_error', code: 'rate_limit_exceeded', param: null },
    });
    expect(openai.requests).toHaveLength(2);
    clock.now = T0 + 40_000;
    expect((await chat(keys.rpm)).status).toBe(200);
    expect((await chat(keys.rpm)).status).toBe(429);
  });

  it('every answer of a limited key carries its headers, a 400 included', async () => {
    clock.now = T0 + 120_000;
    const refused = await chat(keys.rpm, { messages: [] });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('x-ratelimit-remaining-requests')).toBe('1');
  });

  it('a request refused for its scope (403) is not counted, and still carries the key’s headers', async () => {
    clock.now = T0 + 240_000;
    for (let n = 0; n < 3; n += 1) {
      const refused = await chat(keys.scoped, { model: 'groq/llama-3.1-8b-instant' });
      expect(refused.status).toBe(403);
      expect(refused.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    }
    expect((await chat(keys.scoped)).status).toBe(200);
    expect(openai.requests).toHaveLength(1);
  });

  it('a key without limits gets no gateway limit headers; the provider’s own pass through', async () => {
    const answer = await chat(keys.free);
    expect(answer.headers.get('x-ratelimit-limit-requests')).toBe('10000');
    expect(answer.headers.get('x-ratelimit-remaining-requests')).toBeNull();
  });

  it('a models list is counted too', async () => {
    clock.now = T0 + 360_000;
    const models = () => fetch(`${gateway.origin}/v1/models`, { headers: { authorization: `Bearer ${keys.rpm}`, 'x-provider': 'openai' } });
    openai.handle((request, res) => sendJson(res, 200, { object: 'list', data: [{ id: 'gpt-4o', object: 'model' }] }));
    expect((await models()).headers.get('x-ratelimit-remaining-requests')).toBe('1');
    expect((await models()).status).toBe(200);
    expect((await models()).status).toBe(429);
  });
});

describe('tokens per minute', () => {
  it('counts the usage of plain answers and refuses once the bucket is full, until it drains', async () => {
    clock.now = T0 + 480_000;
    const first = await chat(keys.tpm);
    expect(first.headers.get('x-ratelimit-remaining-tokens')).toBe('20');
    // chatCompletion() reports 9 + 3 tokens.
    await eventually(async () => (await chat(keys.tpm)).headers.get('x-ratelimit-remaining-tokens') !== '20');
    await eventually(async () => (await chat(keys.tpm)).status === 429);
    const refused = await chat(keys.tpm);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('x-ratelimit-remaining-tokens')).toBe('0');
    expect(refused.text).toMatch(/20 tokens per minute/);
    clock.now = T0 + 600_000;
    expect((await chat(keys.tpm)).status).toBe(200);
  });

  it('counts a stream’s usage when the stream ends', async () => {
    clock.now = T0 + 720_000;
    openai.handle((request, res) => {
      startSse(res);
      res.write(`data: ${chunk('Hi', 'stop')}\n\n`);
      res.write(`data: ${usageChunk(5, 10)}\n\n`);
      res.end('data: [DONE]\n\n');
    });
    const streamed = await chat(keys.stream, { stream: true, stream_options: { include_usage: true } });
    expect(streamed.text).toContain('[DONE]');
    expect(streamed.headers.get('x-ratelimit-remaining-tokens')).toBe('15');
    await eventually(async () => (await chat(keys.stream)).status === 429);
  });
});
