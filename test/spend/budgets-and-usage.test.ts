/**
 * Spend per key, budgets and `GET /v1/usage` through HTTP on one instance (in-process
 * store): a key past its day's or month's budget gets an OpenAI-shaped 429
 * `budget_exceeded` (Anthropic's shape on /v1/messages), the master key has no budget,
 * requests in flight finish and are counted; `/v1/usage` shows the master every key, a key
 * with `get:/v1/usage` its own spend, refuses everyone else, checks its query, and is
 * never sent to a provider.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKey } from '../../lib/keys/key-commands.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { eventually } from '../helpers/keys-cli.js';
import { chatCompletion, sendJson, sleep, startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';

const MASTER = 'master-key-for-spend-tests-0123456789abcdef';
/** Each answer: gpt-4o, 9 input and 3 output tokens at $2.50 and $10 per million. */
const COST = (9 * 2.5 + 3 * 10) / 1e6;
const known = new Set(['openai', 'anthropic']);

let openai: MockUpstream;
let gateway: TestGateway;
const keys: Record<string, string> = {};

const today = () => new Date().toISOString().slice(0, 10);
const nextMidnight = () => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)).toISOString();
};

async function chat(key: string, path = '/v1/chat/completions') {
  const response = await fetch(`${gateway.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: 'gpt-4o', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
}

async function usage(key: string | undefined, query = '') {
  const response = await fetch(`${gateway.origin}/v1/usage${query}`, { headers: key === undefined ? {} : { authorization: `Bearer ${key}` } });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

/** Waits until the master's report shows `requests` for `key` today. */
const spendRecorded = (key: string, requests: number) =>
  eventually(async () => (await usage(MASTER, `?group_by=key&key=${key}`)).body.total?.requests === requests, 3000);

beforeAll(async () => {
  openai = await startMockUpstream();
  const store = join(mkdtempSync(join(tmpdir(), 'spend-keys-')), 'keys.json');
  for (const [name, spec] of Object.entries({
    daily: { budgets: { day: COST * 1.5 } },
    monthly: { budgets: { month: COST / 2 } },
    inflight: { budgets: { day: COST / 2 } },
    reader: { scopes: ['get:/v1/usage', 'post:/v1/chat/completions'] },
    plain: { scopes: ['post:/v1/chat/completions'] },
  })) {
    keys[name] = (await createKey(store, { name, scopes: [], providers: [], ...spec }, known)).key;
  }
  gateway = await startGateway({ OPENAI_BASE_URL: `${openai.origin}/v1`, GATEWAY_KEYS_FILE: store, GATEWAY_MASTER_KEY: MASTER, GATEWAY_RETRIES: '0' });
});

afterAll(async () => {
  await gateway?.close();
  await openai?.close();
});

beforeEach(() => {
  openai.requests.length = 0;
  openai.handle(async (request, res) => {
    if (JSON.stringify(request.json?.messages).includes('slow')) await sleep(300);
    sendJson(res, 200, chatCompletion());
  });
});

describe('budgets', () => {
  it('a key past its day’s budget gets a 429 budget_exceeded with the budget, the spend, the reset and Retry-After', async () => {
    expect((await chat(keys.daily)).status).toBe(200);
    await spendRecorded('daily', 1);
    // Under the budget (1 × cost of 1.5 × cost): admitted, and it goes over.
    expect((await chat(keys.daily)).status).toBe(200);
    await spendRecorded('daily', 2);
    const refused = await chat(keys.daily);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({
      error: {
        message: expect.stringContaining('Budget reached for gateway key "daily"'),
        type: 'rate_limit_error',
        code: 'budget_exceeded',
        param: null,
        budget: { period: 'day', usd: COST * 1.5 },
        spent_usd: expect.closeTo(COST * 2, 12),
        resets_at: nextMidnight(),
      },
    });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(86_400);
    expect(openai.requests).toHaveLength(2);
    // The official SDK reads it as a 429 with the code.
    const client = new OpenAI({ apiKey: keys.daily, baseURL: `${gateway.origin}/v1`, maxRetries: 0 });
    const error = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('budget_exceeded');
    // Anthropic's shape on the Messages API.
    const messages = await chat(keys.daily, '/v1/messages');
    expect(messages.status).toBe(429);
    expect(messages.body).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: expect.stringContaining('Budget reached') } });
    expect(openai.requests).toHaveLength(2);
  });

  it('a month’s budget resets on the first of the next UTC month', async () => {
    expect((await chat(keys.monthly)).status).toBe(200);
    await spendRecorded('monthly', 1);
    const refused = await chat(keys.monthly);
    expect(refused.status).toBe(429);
    const now = new Date();
    expect(refused.body.error).toMatchObject({ code: 'budget_exceeded', budget: { period: 'month', usd: COST / 2 }, resets_at: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString() });
  });

  it('requests already in flight finish and are counted, past the budget; the next is refused', async () => {
    const slow = () =>
      fetch(`${gateway.origin}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.inflight}` },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'slow' }] }),
      }).then((response) => response.status);
    expect(await Promise.all([slow(), slow(), slow()])).toEqual([200, 200, 200]);
    await spendRecorded('inflight', 3);
    expect((await chat(keys.inflight)).status).toBe(429);
  });

  it('the master key has no budget', async () => {
    for (let n = 0; n < 3; n += 1) expect((await chat(MASTER)).status).toBe(200);
  });
});

describe('GET /v1/usage', () => {
  it('the master sees every key’s spend, in the contract’s shape', async () => {
    expect((await chat(keys.reader)).status).toBe(200);
    await spendRecorded('reader', 1);
    const { status, body } = await usage(MASTER, '?group_by=key');
    expect(status).toBe(200);
    expect(body).toMatchObject({ object: 'usage', from: today(), to: today(), group_by: 'key' });
    const groups = body.data.map((group: { group: string }) => group.group);
    expect(groups).toEqual(expect.arrayContaining(['daily', 'monthly', 'inflight', 'reader', 'master']));
    const reader = body.data.find((group: { group: string }) => group.group === 'reader');
    expect(reader).toEqual({ group: 'reader', requests: 1, tokens: { input: 9, output: 3, cache_read: 0, cache_write: 0, reasoning: 0 }, cost_usd: expect.closeTo(COST, 12), unpriced: 0 });
    const costs = body.data.map((group: { cost_usd: number }) => group.cost_usd);
    expect(costs).toEqual([...costs].sort((x, y) => y - x));
    expect(body.total.requests).toBe(body.data.reduce((sum: number, group: { requests: number }) => sum + group.requests, 0));
    const byModel = await usage(MASTER, `?group_by=model&from=${today()}&to=${today()}`);
    expect(byModel.body.data).toEqual([expect.objectContaining({ group: 'openai/gpt-4o', requests: body.total.requests })]);
    // The default: today, by day.
    expect((await usage(MASTER)).body).toMatchObject({ group_by: 'day', from: today(), to: today(), data: [{ group: today(), requests: body.total.requests }] });
  });

  it('a key with get:/v1/usage sees its own spend only', async () => {
    const own = await usage(keys.reader, '?group_by=key');
    expect(own.status).toBe(200);
    expect(own.body.data.map((group: { group: string }) => group.group)).toEqual(['reader']);
    expect(own.body.total.requests).toBe(1);
    const other = await usage(keys.reader, '?key=daily');
    expect(other.status).toBe(403);
    expect(other.body.error).toMatchObject({ code: 'scope_not_granted', param: 'key' });
  });

  it('refuses a key without the scope (403) and no key (401), OpenAI-shaped', async () => {
    expect(await usage(keys.plain)).toMatchObject({ status: 403, body: { error: { code: 'scope_not_granted', type: 'permission_error' } } });
    expect(await usage(undefined)).toMatchObject({ status: 401, body: { error: { type: 'authentication_error' } } });
  });

  it.each([
    ['?group_by=week', 'group_by'],
    ['?from=2026-13-01', 'from'],
    ['?from=2026-02-30', 'from'],
    ['?to=yesterday', 'to'],
    ['?from=2026-12-07&to=2026-12-01', 'to'],
    ['?from=2020-01-01&to=2026-12-01', 'from'],
  ])('%s is a 400 naming %s', async (query, param) => {
    const { status, body } = await usage(MASTER, query);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ type: 'invalid_request_error', param });
  });

  it('is the gateway’s own: never sent to a provider, whatever the method or prefix', async () => {
    expect((await usage(MASTER, '/')).status).toBe(200);
    const post = await fetch(`${gateway.origin}/v1/usage`, { method: 'POST', headers: { authorization: `Bearer ${MASTER}` } });
    expect(post.status).toBe(405);
    for (const path of ['/openai/v1/usage', '/openai/v1/usage/']) {
      const prefixed = await fetch(`${gateway.origin}${path}?from=2026-12-01`, { headers: { authorization: `Bearer ${MASTER}` } });
      expect(prefixed.status).toBe(404);
      expect(((await prefixed.json()) as { error: { message: string } }).error.message).toContain('GET /v1/usage');
    }
    expect(openai.requests).toEqual([]);
  });
});

describe('GET /v1/usage without gateway keys', () => {
  it('this machine’s own client sees everything on a loopback-only gateway', async () => {
    const local = await startGateway({ OPENAI_BASE_URL: `${openai.origin}/v1` });
    try {
      const answer = await fetch(`${local.origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }) });
      expect(answer.status).toBe(200);
      await answer.text();
      await eventually(async () => {
        const response = await fetch(`${local.origin}/v1/usage?group_by=key`);
        const body = (await response.json()) as { data: { group: string; requests: number }[] };
        return response.status === 200 && body.data[0]?.group === '(no key)' && body.data[0].requests === 1;
      }, 3000);
    } finally {
      await local.close();
    }
  });
});
