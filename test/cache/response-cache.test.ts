/**
 * docs/api.md "Caching", through HTTP against a counting mock upstream.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chunk, sendJson, sleep, startMockUpstream, startSse, type MockUpstream } from '../helpers/mock-upstream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

let upstream: MockUpstream;
let gateway: TestGateway;
let clock = 1_000_000;
let answerNumber = 0;

beforeAll(async () => {
  upstream = await startMockUpstream();
  gateway = await startGateway(
    { OPENAI_BASE_URL: `${upstream.origin}/v1`, GATEWAY_CACHE: 'on', GATEWAY_CACHE_TTL: '60', GATEWAY_CACHE_MAX_BYTES: '40000', GATEWAY_RETRY_BASE_MS: '1' },
    { now: () => clock },
  );
});

afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

beforeEach(() => {
  upstream.requests.length = 0;
  upstream.handle((request, res) => {
    if (request.json?.stream) {
      startSse(res);
      res.end(`data: ${chunk('streamed', 'stop')}\n\ndata: [DONE]\n\n`);
      return;
    }
    const padding = typeof request.json?.pad === 'number' ? 'x'.repeat(request.json.pad) : '';
    sendJson(res, 200, { id: `answer-${++answerNumber}`, object: 'chat.completion', padding, choices: [{ index: 0, message: { role: 'assistant', content: 'cached?' }, finish_reason: 'stop' }] });
  });
});

let unique = 0;
const fresh = (extra: Record<string, unknown> = {}) => ({ model: 'gpt-4o', messages: [{ role: 'user', content: `q${++unique}` }], ...extra });

async function ask(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(`${gateway.origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-tenant-a', ...headers },
    body: JSON.stringify(body),
  });
  return { response, text: await response.text(), cache: response.headers.get('x-gateway-cache') };
}

describe('response cache', () => {
  it('a repeat is a HIT with one upstream call, the same bytes, status and content type, and an age', async () => {
    const body = fresh();
    const first = await ask(body);
    clock += 3_500;
    const second = await ask(body);
    expect(first.cache).toBe('MISS');
    expect(second.cache).toBe('HIT');
    expect(second.text).toBe(first.text);
    expect(second.response.status).toBe(first.response.status);
    expect(second.response.headers.get('content-type')).toBe(first.response.headers.get('content-type'));
    expect(second.response.headers.get('age')).toBe('3');
    expect(upstream.requests).toHaveLength(1);
  });

  it('key order in the body does not matter', async () => {
    const body = fresh({ temperature: 0.5 });
    await ask(body);
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    expect((await ask(reordered)).cache).toBe('HIT');
    expect(upstream.requests).toHaveLength(1);
  });

  it('a stream asked twice makes two upstream calls', async () => {
    const body = fresh({ stream: true });
    const first = await ask(body);
    const second = await ask(body);
    expect([first.cache, second.cache]).toEqual(['BYPASS', 'BYPASS']);
    expect(upstream.requests).toHaveLength(2);
  });

  it('two different keys never share an entry', async () => {
    const body = fresh();
    await ask(body, { authorization: 'Bearer sk-tenant-a' });
    const other = await ask(body, { authorization: 'Bearer sk-tenant-b' });
    expect(other.cache).toBe('MISS');
    const viaHeader = await ask(body, { authorization: '', 'x-openai-api-key': 'sk-tenant-c' });
    expect(viaHeader.cache).toBe('MISS');
    expect(upstream.requests).toHaveLength(3);
  });

  it('a different chain or path is a different entry', async () => {
    const body = fresh();
    await ask(body);
    expect((await ask(body, { 'x-provider': 'openai/gpt-4o-mini' })).cache).toBe('MISS');
    expect(upstream.requests).toHaveLength(2);
  });

  it('Cache-Control: no-cache skips the lookup but still writes; no-store skips the write', async () => {
    const body = fresh();
    await ask(body);
    const refreshed = await ask(body, { 'cache-control': 'no-cache' });
    expect(refreshed.cache).toBe('BYPASS');
    expect(upstream.requests).toHaveLength(2);
    expect((await ask(body)).text).toBe(refreshed.text);

    const unstored = fresh();
    expect((await ask(unstored, { 'cache-control': 'no-store' })).cache).toBe('MISS');
    expect((await ask(unstored)).cache).toBe('MISS');
    expect(upstream.requests).toHaveLength(4);
  });

  it('an entry expires after GATEWAY_CACHE_TTL seconds', async () => {
    const body = fresh();
    await ask(body);
    clock += 59_000;
    expect((await ask(body)).cache).toBe('HIT');
    clock += 2_000;
    expect((await ask(body)).cache).toBe('MISS');
    expect(upstream.requests).toHaveLength(2);
  });

  it('the byte bound evicts the least recently used, and an entry over a tenth of it is not kept', async () => {
    const big = fresh({ pad: 5_000 });
    await ask(big);
    expect((await ask(big)).cache).toBe('MISS');

    const first = fresh({ pad: 3_000 });
    await ask(first);
    expect((await ask(first)).cache).toBe('HIT');
    for (let i = 0; i < 12; i++) await ask(fresh({ pad: 3_000 }));
    expect((await ask(first)).cache).toBe('MISS');
  });

  it('100 concurrent identical requests make one upstream call', async () => {
    upstream.handle(async (request, res) => {
      await sleep(100);
      sendJson(res, 200, { id: `answer-${++answerNumber}`, choices: [] });
    });
    const body = fresh();
    const answers = await Promise.all(Array.from({ length: 100 }, () => ask(body)));
    expect(upstream.requests).toHaveLength(1);
    expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
    expect(answers.filter((answer) => answer.cache === 'MISS')).toHaveLength(1);
    expect(answers.every((answer) => answer.response.status === 200)).toBe(true);
  });

  it('a failed first call is not shared: the others make their own', async () => {
    let calls = 0;
    upstream.handle(async (request, res) => {
      calls += 1;
      await sleep(100);
      if (calls === 1) sendJson(res, 400, { error: { message: 'first one fails' } });
      else sendJson(res, 200, { id: 'good', choices: [] });
    });
    const body = fresh();
    const answers = await Promise.all(Array.from({ length: 10 }, () => ask(body)));
    expect(answers.filter((answer) => answer.response.status === 400)).toHaveLength(1);
    expect(answers.filter((answer) => answer.response.status === 200)).toHaveLength(9);
    expect(upstream.requests.length).toBe(2);
    expect((await ask(body)).cache).toBe('HIT');
  });
});

describe('GATEWAY_CACHE=off', () => {
  it('turns the cache off: every answer says BYPASS', async () => {
    const off = await startGateway({ OPENAI_BASE_URL: `${upstream.origin}/v1`, GATEWAY_CACHE: 'off' });
    const body = JSON.stringify(fresh());
    const headers = { 'content-type': 'application/json' };
    const first = await fetch(`${off.origin}/v1/chat/completions`, { method: 'POST', headers, body });
    const second = await fetch(`${off.origin}/v1/chat/completions`, { method: 'POST', headers, body });
    expect([first.headers.get('x-gateway-cache'), second.headers.get('x-gateway-cache')]).toEqual(['BYPASS', 'BYPASS']);
    expect(upstream.requests).toHaveLength(2);
    await off.close();
  });
});

describe('Cache-Control: max-age=N', () => {
  it('accepts a stored answer up to N seconds old; an older one is replaced by a fresh call', async () => {
    const body = fresh();
    expect((await ask(body)).cache).toBe('MISS');
    clock += 5_000;
    expect((await ask(body, { 'cache-control': 'max-age=10' })).cache).toBe('HIT');
    const stale = await ask(body, { 'cache-control': 'max-age=4' });
    expect(stale.cache).toBe('MISS');
    expect(upstream.requests).toHaveLength(2);
    // The fresh answer replaced the stored one.
    expect((await ask(body, { 'cache-control': 'max-age=0' })).text).toBe(stale.text);
  });
});

describe('GATEWAY_CACHE=auto (the default)', () => {
  let auto: TestGateway;

  beforeAll(async () => {
    auto = await startGateway({ OPENAI_BASE_URL: `${upstream.origin}/v1`, GATEWAY_CACHE: '' }, { now: () => clock });
  });

  afterAll(() => auto.close());

  async function send(path: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
    const response = await fetch(`${auto.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { text: await response.text(), cache: response.headers.get('x-gateway-cache') };
  }

  it('two identical chat requests get two answers: no lookup, no write', async () => {
    const body = fresh();
    const first = await send('/v1/chat/completions', body);
    const second = await send('/v1/chat/completions', body);
    expect([first.cache, second.cache]).toEqual(['BYPASS', 'BYPASS']);
    expect(second.text).not.toBe(first.text);
    expect(upstream.requests).toHaveLength(2);
    // Nothing was stored either: a request that now asks still misses.
    expect((await send('/v1/chat/completions', body, { 'cache-control': 'max-age=60' })).cache).toBe('MISS');
  });

  it('a chat, completions or messages request that sends max-age=N is cached', async () => {
    for (const path of ['/v1/chat/completions', '/v1/completions']) {
      const body = path === '/v1/completions' ? { model: 'gpt-4o', prompt: `p${++unique}` } : fresh();
      const first = await send(path, body, { 'cache-control': 'max-age=300' });
      const second = await send(path, body, { 'cache-control': 'max-age=300' });
      expect([first.cache, second.cache]).toEqual(['MISS', 'HIT']);
      expect(second.text).toBe(first.text);
      // Without max-age, the same request is not served from the cache.
      expect((await send(path, body)).cache).toBe('BYPASS');
    }
    expect(upstream.requests).toHaveLength(4);
  });

  it('embeddings are cached without asking; no-cache and no-store keep their meaning', async () => {
    const body = { model: 'text-embedding-3-small', input: `e${++unique}` };
    expect((await send('/v1/embeddings', body)).cache).toBe('MISS');
    expect((await send('/v1/embeddings', body)).cache).toBe('HIT');
    expect((await send('/v1/embeddings', body, { 'cache-control': 'no-cache' })).cache).toBe('BYPASS');
    const unstored = { model: 'text-embedding-3-small', input: `e${++unique}` };
    expect((await send('/v1/embeddings', unstored, { 'cache-control': 'no-store' })).cache).toBe('MISS');
    expect((await send('/v1/embeddings', unstored)).cache).toBe('MISS');
    expect(upstream.requests).toHaveLength(4);
  });
});
