/**
 * docs/api.md "Logs": one JSON line per request with the listed fields, written when the
 * answer is complete (for a stream, when it ended); never a key, never a body; LOG_LEVEL.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chatCompletion, chunk, sendJson, sleep, startMockUpstream, startSse, type MockUpstream } from '../helpers/mock-upstream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { captureLog, type LogCapture } from '../helpers/log-capture.js';
import type { RequestRecord } from '../../lib/usage/request-record.js';

const SECRET_KEY = 'sk-client-secret-0123456789';
const SECRET_TEXT = 'my private prompt text';

let openai: MockUpstream;
let gateway: TestGateway;
let log: LogCapture;

beforeAll(async () => {
  openai = await startMockUpstream();
  log = captureLog();
  gateway = await startGateway(
    { OPENAI_BASE_URL: `${openai.origin}/v1`, GROQ_BASE_URL: 'http://127.0.0.1:9/v1', LOG_LEVEL: 'info', GATEWAY_RETRY_BASE_MS: '1' },
    { logSink: log.sink },
  );
});

afterAll(async () => {
  await gateway.close();
  await openai.close();
});

beforeEach(() => {
  log.raw.length = 0;
});

function chat(body: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return fetch(`${gateway.origin}/v1/chat/completions?api-key=in-the-query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET_KEY}`, ...headers },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: SECRET_TEXT }], ...body }),
  });
}

describe('the request log', () => {
  it('writes a 499 line for a client that left before its answer', async () => {
    openai.handle(() => {
      // Never answers.
    });
    const controller = new AbortController();
    const seen = openai.requests.length;
    const pending = fetch(`${gateway.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
      signal: controller.signal,
    }).catch(() => undefined);
    while (openai.requests.length === seen) await sleep(5);
    controller.abort();
    await pending;
    const line = await log.waitFor((entry) => entry.path === '/v1/chat/completions');
    expect(line).toMatchObject({ level: 'info', status: 499, chain: ['openai'] });
  });

  it('writes one line with every field for an answer, and no key, body or query', async () => {
    openai.handle((request, res) => sendJson(res, 200, chatCompletion(`echo: ${SECRET_TEXT}`)));
    const response = await chat();
    await response.text();
    const line = await log.waitFor((entry) => entry.path === '/v1/chat/completions');
    expect(line).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      level: 'info',
      request_id: response.headers.get('x-request-id'),
      method: 'POST',
      path: '/v1/chat/completions',
      key: null,
      chain: ['openai'],
      provider: 'openai',
      model: 'gpt-4o',
      status: 200,
      attempts: 1,
      cache: 'BYPASS',
      ttfb_ms: expect.any(Number),
      duration_ms: expect.any(Number),
      usage: { prompt_tokens: 9, completion_tokens: 3 },
      // gpt-4o at $2.50 and $10 per million input and output tokens.
      cost_usd: 0.0000525,
    });
    expect(log.raw).toHaveLength(1);
    const text = log.raw.join('\n');
    for (const secret of [SECRET_KEY, SECRET_TEXT, 'in-the-query']) expect(text).not.toContain(secret);
  });

  it('for a stream, writes the line when the stream ends, with the stream’s usage and full duration', async () => {
    openai.handle(async (request, res) => {
      startSse(res);
      res.write(`data: ${chunk('Hel')}\n\n`);
      await sleep(150);
      res.write(`data: ${chunk('lo', 'stop')}\n\n`);
      res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
    const response = await chat({ stream: true });
    const reader = response.body!.getReader();
    await reader.read();
    await sleep(20);
    expect(log.raw).toHaveLength(0);
    while (!(await reader.read()).done);
    const line = await log.waitFor((entry) => entry.status === 200);
    expect(line).toMatchObject({ provider: 'openai', usage: { prompt_tokens: 5, completion_tokens: 2 } });
    expect(line.duration_ms as number).toBeGreaterThanOrEqual(140);
    expect(line.ttfb_ms as number).toBeLessThan(line.duration_ms as number);
  });

  it('logs a client error, a 404 and a failed chain (at error level, with its attempts)', async () => {
    await (await chat({ messages: [] })).text();
    await (await fetch(`${gateway.origin}/nowhere`)).text();
    await (await chat({}, { 'x-provider': 'groq', 'x-gateway-retries': '1' })).text();
    const lines = await log.waitFor((entry) => entry.status === 502).then(() => log.lines());
    expect(lines.map((entry) => [entry.level, entry.status, entry.path])).toEqual([
      ['info', 400, '/v1/chat/completions'],
      ['info', 404, '/nowhere'],
      ['error', 502, '/v1/chat/completions'],
    ]);
    expect(lines[2]).toMatchObject({ chain: ['groq'], provider: null, attempts: 2 });
  });
});

describe('with the response cache', () => {
  it('logs MISS with the upstream usage, then HIT with no attempts and no usage of its own', async () => {
    const capture = captureLog();
    const cached = await startGateway({ OPENAI_BASE_URL: `${openai.origin}/v1`, LOG_LEVEL: 'info', GATEWAY_CACHE: 'on' }, { logSink: capture.sink });
    openai.handle((request, res) => sendJson(res, 200, chatCompletion()));
    const send = () => fetch(`${cached.origin}/v1/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'same' }] }) });
    expect((await send()).headers.get('x-gateway-cache')).toBe('MISS');
    expect((await send()).headers.get('x-gateway-cache')).toBe('HIT');
    await capture.waitFor((entry) => entry.cache === 'HIT');
    expect(capture.lines().map(({ cache, provider, attempts, usage }) => ({ cache, provider, attempts, usage }))).toEqual([
      { cache: 'MISS', provider: 'openai', attempts: 1, usage: { prompt_tokens: 9, completion_tokens: 3 } },
      { cache: 'HIT', provider: 'openai', attempts: 0, usage: null },
    ]);
    await cached.close();
  });
});

describe('LOG_LEVEL', () => {
  it.each([
    ['silent', []],
    ['error', [502]],
    ['warn', [502]],
    ['debug', [200, 502]],
  ])('%s writes %j', async (level, statuses) => {
    const capture = captureLog();
    const quiet = await startGateway({ OPENAI_BASE_URL: `${openai.origin}/v1`, GROQ_BASE_URL: 'http://127.0.0.1:9/v1', LOG_LEVEL: level, GATEWAY_RETRIES: '0' }, { logSink: capture.sink });
    openai.handle((request, res) => sendJson(res, 200, chatCompletion()));
    for (const provider of ['openai', 'groq']) {
      await (await fetch(`${quiet.origin}/v1/chat/completions`, { method: 'POST', headers: { 'x-provider': provider }, body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }] }) })).text();
    }
    await sleep(30);
    expect(capture.lines().map((entry) => entry.status)).toEqual(statuses);
    await quiet.close();
  });
});

describe('request listeners', () => {
  it('hand every finished request to each listener once, a stream when it ended, with usage and never a key', async () => {
    const records: RequestRecord[] = [];
    const listened = await startGateway(
      { OPENAI_BASE_URL: `${openai.origin}/v1` },
      { listeners: [(done) => records.push(done), () => { throw new Error('a broken listener'); }] },
    );
    try {
      openai.handle((_request, response) => sendJson(response, 200, { ...chatCompletion('plain'), usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } }));
      const plain = await fetch(`${listened.origin}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET_KEY}` },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: SECRET_TEXT }] }),
      });
      expect(plain.status).toBe(200);
      await plain.text();
      while (records.length < 1) await sleep(5);
      expect(records[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions', status: 200, provider: 'openai', model: 'gpt-4o', attempts: 1 });
      expect(records[0].usage).toEqual({ input_tokens: 7, output_tokens: 3, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 });
      expect(records[0].at).toBeGreaterThan(Date.now() - 60_000);
      expect(JSON.stringify(records)).not.toContain(SECRET_KEY);
      expect(JSON.stringify(records)).not.toContain(SECRET_TEXT);
    } finally {
      await listened.close();
    }
    expect(records).toHaveLength(1);
  });
});
