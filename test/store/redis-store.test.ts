/**
 * The conformance cases against Redis: the same behaviour as the in-process store, from a
 * real `redis-server`; each case in a namespace of its own. Then what only a shared store
 * does, between two instances' connections: one trial across the fleet, a circuit opened on
 * one instance skipping on the other, one flight for two caches, one name for two creates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../lib/chain/circuit-breaker.js';
import { createKey, listKeys } from '../../lib/keys/key-commands.js';
import { createLogger } from '../../lib/log/logger.js';
import { ResponseCache } from '../../lib/cache/response-cache.js';
import { RedisCacheStore } from '../../lib/store/redis/redis-cache-store.js';
import { RedisCircuitSync } from '../../lib/store/redis/redis-circuit-sync.js';
import type { RedisConnection } from '../../lib/store/redis/redis-connection.js';
import { RedisFlightLocks } from '../../lib/store/redis/redis-flight-locks.js';
import { redisKeyRecords } from '../../lib/store/redis/redis-key-records.js';
import { RedisKeySource } from '../../lib/store/redis/redis-key-source.js';
import { RedisLimitStore } from '../../lib/store/redis/redis-limit-store.js';
import { eventually } from '../helpers/keys-cli.js';
import { connectRedis, redisServer, type RedisServer } from '../helpers/redis.js';
import { cacheConformance } from './conformance/cache.js';
import { circuitConformance } from './conformance/circuits.js';
import { keyConformance } from './conformance/keys.js';
import { limitConformance } from './conformance/limits.js';
import { spendConformance } from './conformance/spend.js';
import { RedisSpendStore } from '../../lib/store/redis/redis-spend-store.js';

let server: RedisServer;
/** Two instances' connections to one Redis. */
let a: RedisConnection;
let b: RedisConnection;
let namespace = 0;
const prefix = () => `test${++namespace}:`;
const silent = createLogger('silent');

beforeAll(async () => {
  server = await redisServer();
  a = connectRedis(server.url);
  b = connectRedis(server.url);
});

afterAll(async () => {
  a?.close();
  b?.close();
  await server?.stop();
});

limitConformance(() => new RedisLimitStore(a, prefix()));
spendConformance(() => new RedisSpendStore(a, prefix()));
cacheConformance(() => {
  const name = prefix();
  return { store: new RedisCacheStore(a, name), flights: new RedisFlightLocks(a, name) };
});
circuitConformance(() => new RedisCircuitSync(a, prefix(), 10_000));
keyConformance(() => {
  const name = prefix();
  const lifetime = new AbortController();
  return {
    records: redisKeyRecords(a, name),
    view: () => new RedisKeySource(b, name, silent, lifetime.signal),
    close: () => lifetime.abort(),
  };
});

describe('between two instances', () => {
  it('a circuit opened on one instance is skipped by the other; one trial goes out across both', async () => {
    const name = prefix();
    const clock = { now: 5_000_000 };
    const first = new CircuitBreaker(2, 1000, () => clock.now, new RedisCircuitSync(a, name, 10_000));
    const second = new CircuitBreaker(2, 1000, () => clock.now, new RedisCircuitSync(b, name, 10_000));
    await new Promise((resolve) => setTimeout(resolve, 50));
    first.failure('openai');
    first.failure('openai');
    await eventually(async () => second.isOpen('openai'), 1000);
    expect(await second.claim('openai')).toBe(false);
    clock.now += 1000;
    const claims = await Promise.all([first.claim('openai'), second.claim('openai')]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    // The trial's success closes the circuit on both.
    (claims[0] ? first : second).success('openai');
    await eventually(async () => !first.isOpen('openai') && !second.isOpen('openai') && (await second.claim('openai')) && (await first.claim('openai')), 1000);
  });

  it('an instance that starts late learns of a circuit opened before it started', async () => {
    const name = prefix();
    const first = new CircuitBreaker(1, 60_000, Date.now, new RedisCircuitSync(a, name, 10_000));
    first.failure('groq');
    const late = connectRedis(server.url);
    const second = new CircuitBreaker(1, 60_000, Date.now, new RedisCircuitSync(late, name, 10_000));
    late.warmUp();
    await eventually(async () => second.isOpen('groq'), 1000);
    late.close();
  });

  it('two caches on two connections make one call for concurrent identical requests', async () => {
    const name = prefix();
    const caches = [a, b].map((connection) => new ResponseCache(new RedisCacheStore(connection, name), 60_000, Date.now, { maxEntryBytes: 1 << 20, flights: new RedisFlightLocks(connection, name) }));
    let calls = 0;
    const produce = async () => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 150));
      return { result: { kind: 'answer' as const, status: 200, headers: {}, body: new TextEncoder().encode('one'), streamed: false }, provider: 'openai', attempts: 1 };
    };
    const served = await Promise.all(Array.from({ length: 10 }, (_, index) => caches[index % 2].serve('f'.repeat(64), { lookup: true, write: true }, produce, 5000)));
    expect(calls).toBe(1);
    expect(served.filter((one) => 'hit' in one)).toHaveLength(9);
  });

  it('a waiter makes its own call when the holder died (its lock expires, unrenewed) or when its own wait passes its bound', async () => {
    const name = prefix();
    const cache = new ResponseCache(new RedisCacheStore(b, name), 60_000, Date.now, { maxEntryBytes: 1 << 20, flights: new RedisFlightLocks(b, name) });
    let calls = 0;
    const produce = async () => {
      calls += 1;
      return { result: { kind: 'answer' as const, status: 200, headers: {}, body: new TextEncoder().encode('own'), streamed: false }, provider: 'openai', attempts: 1 };
    };
    // A holder that took the lock and died: nobody renews or releases it.
    await a.run((client) => client.set(`${name}flight:${'d'.repeat(64)}`, 'dead-holder', { expiration: { type: 'PX', value: 400 } }));
    const started = performance.now();
    expect('outcome' in (await cache.serve('d'.repeat(64), { lookup: true, write: true }, produce, 10_000))).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(350);
    // A holder still alive, past the waiter's bound.
    await a.run((client) => client.set(`${name}flight:${'e'.repeat(64)}`, 'slow-holder', { expiration: { type: 'PX', value: 60_000 } }));
    expect('outcome' in (await cache.serve('e'.repeat(64), { lookup: true, write: true }, produce, 300))).toBe(true);
    expect(calls).toBe(2);
  });

  it('two creates of one name at once: exactly one succeeds', async () => {
    const name = prefix();
    const results = await Promise.allSettled([a, b, a, b].map((connection) => createKey(redisKeyRecords(connection, name), { name: 'same', scopes: [], providers: [] }, new Set(['openai']))));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(await listKeys(redisKeyRecords(a, name))).toHaveLength(1);
  });
});

describe('spend in Redis', () => {
  it('expires each day’s spend and each period’s totals after about 400 days; both instances read one count', async () => {
    const name = prefix();
    const usage = { input_tokens: 1, output_tokens: 1, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 };
    await new RedisSpendStore(a, name).add({ day: '2026-12-07', key: 'team', provider: 'openai', model: 'gpt-4o', usage, cost_usd: 0.5 });
    await new RedisSpendStore(b, name).add({ day: '2026-12-07', key: 'team', provider: 'openai', model: 'gpt-4o', usage, cost_usd: 0.25 });
    for (const key of [`${name}spend:2026-12-07`, `${name}spend-total:2026-12-07`, `${name}spend-total:2026-12`]) {
      const ttl = await a.run((client) => client.ttl(key));
      expect(ttl, key).toBeGreaterThan(399 * 86_400);
      expect(ttl, key).toBeLessThanOrEqual(400 * 86_400);
    }
    expect(await new RedisSpendStore(b, name).spent('team', '2026-12-07')).toEqual({ day: 0.75, month: 0.75 });
  });
});
