/**
 * Many instances, one gateway: two gateways with the same `REDIS_URL` (a real redis-server),
 * each with its own connection, as two Vercel function instances would be, through HTTP
 * against mock providers. The cache (per tenant), single flight, a key's rate limit, a key
 * created or revoked in the shared store, and a provider's open circuit hold across both.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKey, revokeKey } from '../../lib/keys/key-commands.js';
import type { RedisConnection } from '../../lib/store/redis/redis-connection.js';
import { redisKeyRecords } from '../../lib/store/redis/redis-key-records.js';
import { REDIS_PREFIX } from '../../lib/store/redis/redis-state-store.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { eventually } from '../helpers/keys-cli.js';
import { chatCompletion, sendJson, sleep, startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';
import { connectRedis, redisServer, type RedisServer } from '../helpers/redis.js';

let server: RedisServer;
let openai: MockUpstream;
let groq: MockUpstream;
let a: TestGateway;
let b: TestGateway;
/** The operator's own connection, as `npm run keys` makes one. */
let operator: RedisConnection;
let answers = 0;
const known = new Set(['openai', 'groq']);

async function chat(gateway: TestGateway, headers: Record<string, string>, content = 'hi') {
  const response = await fetch(`${gateway.origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content }] }),
  });
  return { status: response.status, headers: response.headers, text: await response.text(), cache: response.headers.get('x-gateway-cache') };
}

beforeAll(async () => {
  server = await redisServer();
  operator = connectRedis(server.url);
  openai = await startMockUpstream();
  groq = await startMockUpstream();
  const env = {
    REDIS_URL: server.url,
    // Generous, so that a busy machine's scheduling never passes for a Redis fault here (faults have their own tests).
    GATEWAY_REDIS_TIMEOUT_MS: '2000',
    OPENAI_BASE_URL: `${openai.origin}/v1`,
    GROQ_BASE_URL: `${groq.origin}/openai/v1`,
    GATEWAY_CACHE: 'on',
    GATEWAY_RETRIES: '0',
    GATEWAY_CIRCUIT_FAILURES: '2',
    GATEWAY_CIRCUIT_COOLDOWN_MS: '60000',
  };
  [a, b] = await Promise.all([startGateway(env), startGateway(env)]);
}, 30_000);

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  operator?.close();
  await Promise.all([openai?.close(), groq?.close()]);
  await server?.stop();
});

beforeEach(() => {
  openai.requests.length = 0;
  groq.requests.length = 0;
  openai.handle(async (request, res) => {
    if (request.json?.messages && JSON.stringify(request.json.messages).includes('slow')) await sleep(300);
    sendJson(res, 200, { ...chatCompletion(), id: `answer-${++answers}` });
  });
  groq.handle((request, res) => sendJson(res, 200, chatCompletion('from groq')));
});

describe('two instances, one Redis', () => {
  it('the cache: a MISS on one, a HIT on the other for the same tenant, a MISS for another tenant', async () => {
    const first = await chat(a, { authorization: 'Bearer sk-tenant-a' }, 'cache me');
    const second = await chat(b, { authorization: 'Bearer sk-tenant-a' }, 'cache me');
    const other = await chat(b, { authorization: 'Bearer sk-tenant-b' }, 'cache me');
    expect([first.cache, second.cache, other.cache]).toEqual(['MISS', 'HIT', 'MISS']);
    expect(second.text).toBe(first.text);
    expect(other.text).not.toBe(first.text);
    expect(openai.requests).toHaveLength(2);
  });

  it('20 concurrent identical requests spread over both instances make 1 upstream call', async () => {
    const all = await Promise.all(Array.from({ length: 20 }, (_, index) => chat(index % 2 === 0 ? a : b, { authorization: 'Bearer sk-tenant-a' }, 'slow and shared')));
    expect(openai.requests).toHaveLength(1);
    expect(all.every((answer) => answer.status === 200)).toBe(true);
    expect(new Set(all.map((answer) => answer.text)).size).toBe(1);
    expect(all.filter((answer) => answer.cache === 'MISS')).toHaveLength(1);
  });

  it('a key with --rpm 5 gets exactly 5 × 200 across both, then 429 with Retry-After', async () => {
    const { key } = await createKey(redisKeyRecords(operator, REDIS_PREFIX), { name: 'five', scopes: [], providers: [], rpm: 5 }, known);
    const headers = { authorization: `Bearer ${key}`, 'cache-control': 'no-store, no-cache' };
    await eventually(async () => (await fetch(`${b.origin}/health`).then((response) => response.json()) as { auth: string }).auth === 'keys', 1000);
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof chat>> | undefined;
    for (let index = 0; index < 8; index += 1) {
      const answer = await chat(index % 2 === 0 ? a : b, headers, `rpm ${index}`);
      statuses.push(answer.status);
      if (answer.status === 429) refused ??= answer;
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    // One more every 12 s (60 s / 5): GCRA, not a window that turns.
    expect(refused?.headers.get('retry-after')).toMatch(/^1[12]$/);
    expect(refused?.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(openai.requests).toHaveLength(5);
  });

  it('a key created in the shared store is accepted by both within 1 s, and refused within 1 s of its revocation', async () => {
    const records = redisKeyRecords(operator, REDIS_PREFIX);
    const { key } = await createKey(records, { name: 'fresh', scopes: [], providers: [] }, known);
    const headers = { authorization: `Bearer ${key}` };
    const accepted = await Promise.all([a, b].map((gateway) => eventually(async () => (await chat(gateway, headers, 'new key')).status === 200, 1000)));
    await revokeKey(records, 'fresh');
    const refused = await Promise.all([a, b].map((gateway) => eventually(async () => (await chat(gateway, headers, 'revoked key')).status === 401, 1000)));
    console.log(`a key created in Redis: accepted by A after ${accepted[0]} ms, by B after ${accepted[1]} ms; revoked: refused by A after ${refused[0]} ms, by B after ${refused[1]} ms`);
    for (const ms of [...accepted, ...refused]) expect(ms).toBeLessThan(1000);
  });

  it('an instance started after a key was created accepts it on its very first request (a cold start reads the keys first)', async () => {
    const { key } = await createKey(redisKeyRecords(operator, REDIS_PREFIX), { name: 'cold', scopes: [], providers: [] }, known);
    const cold = await startGateway({ REDIS_URL: server.url, GATEWAY_REDIS_TIMEOUT_MS: '2000', OPENAI_BASE_URL: `${openai.origin}/v1` });
    try {
      expect((await chat(cold, { authorization: `Bearer ${key}` }, 'cold start')).status).toBe(200);
    } finally {
      await cold.close();
    }
  });

  it('a provider failing on instance A is skipped by instance B', async () => {
    const { key } = await createKey(redisKeyRecords(operator, REDIS_PREFIX), { name: 'breaker', scopes: [], providers: [] }, known);
    // Both know the key before the test begins (a new key takes up to a second to arrive).
    for (const gateway of [a, b]) await eventually(async () => (await chat(gateway, { authorization: `Bearer ${key}`, 'x-provider': 'groq' }, 'known?')).status === 200, 1000);
    openai.handle((request, res) => sendJson(res, 500, { error: { message: 'down', type: 'server_error' } }));
    const headers = { authorization: `Bearer ${key}`, 'x-provider': 'openai, groq', 'cache-control': 'no-store, no-cache' };
    for (let index = 0; index < 2; index += 1) expect((await chat(a, headers, `fail ${index}`)).status).toBe(200);
    expect(openai.requests).toHaveLength(2);
    // The circuit opened on A after its second failure; B hears of it at once (pub/sub).
    await sleep(200);
    const fromB = await chat(b, headers, 'skip openai');
    expect(fromB.status).toBe(200);
    expect(fromB.headers.get('x-gateway-provider')).toBe('groq');
    expect(openai.requests).toHaveLength(2);
  });
});

describe('stored responses across instances', () => {
  it('a response stored by instance A is read and continued by instance B at once', async () => {
    const local = await startMockUpstream((request, res) => sendJson(res, 200, chatCompletion(`turn ${(request.json?.messages as unknown[]).length}`)));
    // A Redis of its own: the keys the tests above made would switch gateway keys on here.
    const own = await redisServer();
    const env = { REDIS_URL: own.url, GATEWAY_REDIS_TIMEOUT_MS: '2000', GATEWAY_PROVIDERS: `local=${local.origin}/v1` };
    const [first, second] = await Promise.all([startGateway(env), startGateway(env)]);
    try {
      const post = async (gateway: TestGateway, body: Record<string, unknown>) => {
        const response = await fetch(`${gateway.origin}/local/v1/responses`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-tenant' }, body: JSON.stringify(body) });
        return (await response.json()) as { id: string; status: string };
      };
      const made = await post(first, { model: 'm', input: 'hello' });
      const read = await fetch(`${second.origin}/v1/responses/${made.id}`, { headers: { authorization: 'Bearer sk-tenant' } });
      expect(read.status).toBe(200);
      expect(((await fetch(`${second.origin}/health`).then((response) => response.json())) as { responses: string }).responses).toBe('redis');
      await post(second, { model: 'm', input: 'again', previous_response_id: made.id });
      // Instance B rebuilt the conversation from what instance A stored: user, assistant, user.
      expect((local.requests[1].json?.messages as unknown[]).length).toBe(3);
    } finally {
      await Promise.all([first.close(), second.close()]);
      await Promise.all([local.close(), own.stop()]);
    }
  });
});
