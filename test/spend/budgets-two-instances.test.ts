/**
 * A budget holds across instances: two gateways with the same `REDIS_URL` (a real
 * redis-server) count one key's spend together; once the spend from both reaches the
 * budget, either refuses with 429 `budget_exceeded`, and `/v1/usage` on either shows the
 * requests of both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../lib/keys/key-commands.js';
import type { RedisConnection } from '../../lib/store/redis/redis-connection.js';
import { redisKeyRecords } from '../../lib/store/redis/redis-key-records.js';
import { REDIS_PREFIX } from '../../lib/store/redis/redis-state-store.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { eventually } from '../helpers/keys-cli.js';
import { chatCompletion, sendJson, startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';
import { connectRedis, redisServer, type RedisServer } from '../helpers/redis.js';

const MASTER = 'master-key-for-two-instance-spend-0123456789';
/** Each answer: gpt-4o, 9 input and 3 output tokens at $2.50 and $10 per million. */
const COST = (9 * 2.5 + 3 * 10) / 1e6;

let server: RedisServer;
let operator: RedisConnection;
let openai: MockUpstream;
let a: TestGateway;
let b: TestGateway;
let key: string;

async function chat(gateway: TestGateway) {
  const response = await fetch(`${gateway.origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
  });
  return { status: response.status, body: (await response.json()) as { error?: Record<string, unknown> } };
}

async function requestsSeenBy(gateway: TestGateway): Promise<number> {
  const response = await fetch(`${gateway.origin}/v1/usage?group_by=key&key=team`, { headers: { authorization: `Bearer ${MASTER}` } });
  return ((await response.json()) as { total: { requests: number } }).total.requests;
}

beforeAll(async () => {
  server = await redisServer();
  operator = connectRedis(server.url);
  openai = await startMockUpstream((_request, res) => sendJson(res, 200, chatCompletion()));
  // Room for two answers and a bit: the third request is past it.
  key = (await createKey(redisKeyRecords(operator, REDIS_PREFIX), { name: 'team', scopes: [], providers: [], budgets: { day: COST * 1.5 } }, new Set(['openai']))).key;
  const env = { REDIS_URL: server.url, GATEWAY_REDIS_TIMEOUT_MS: '2000', OPENAI_BASE_URL: `${openai.origin}/v1`, GATEWAY_RETRIES: '0', GATEWAY_MASTER_KEY: MASTER };
  [a, b] = await Promise.all([startGateway(env), startGateway(env)]);
}, 30_000);

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  operator?.close();
  await openai?.close();
  await server?.stop();
});

describe('a budget across two instances sharing Redis', () => {
  it('spend from both counts together; then 429 on either', async () => {
    expect((await chat(a)).status).toBe(200);
    await eventually(async () => (await requestsSeenBy(b)) === 1, 3000);
    // Under the budget on B, with A's spend in it.
    expect((await chat(b)).status).toBe(200);
    await eventually(async () => (await requestsSeenBy(a)) === 2, 3000);
    for (const gateway of [a, b]) {
      const refused = await chat(gateway);
      expect(refused.status).toBe(429);
      expect(refused.body.error).toMatchObject({ code: 'budget_exceeded', budget: { period: 'day', usd: COST * 1.5 } });
      expect(refused.body.error?.spent_usd as number).toBeCloseTo(COST * 2, 12);
    }
    expect(openai.requests).toHaveLength(2);
  });
});
