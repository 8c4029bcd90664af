/**
 * Redis faults never fail a request: `redis-server` stopped in the middle of a bounded load
 * and started again (every request answered, none held past the command timeout for long,
 * the gateway back on Redis without a restart), and a Redis that accepts the connection and
 * never answers (a plain TCP listener). `GET /health` says `degraded` meanwhile; the log has
 * one line per change of state, not one per request; rate limits follow
 * GATEWAY_LIMITS_ON_STORE_ERROR.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../../lib/keys/key-commands.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { eventually } from '../helpers/keys-cli.js';
import { captureLog, type LogCapture } from '../helpers/log-capture.js';
import { chatCompletion, sendJson, sleep, startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';
import { connectRedis, redisServer, type RedisServer } from '../helpers/redis.js';
import { redisKeyRecords } from '../../lib/store/redis/redis-key-records.js';
import { REDIS_PREFIX } from '../../lib/store/redis/redis-state-store.js';

/** The command timeout of these tests, and the upstream's own time, in ms. */
const TIMEOUT_MS = 100;
const UPSTREAM_MS = 20;
/**
 * No request may take longer than this: the command timeout plus the upstream's time, and
 * room for a busy 2-core machine's scheduling. A request held by Redis (a queue waiting for a
 * reconnection, a reply that never comes) takes seconds or forever, and fails it.
 */
const BOUND_MS = TIMEOUT_MS + UPSTREAM_MS + 800;

let openai: MockUpstream;
/** A key with a rate limit, known without Redis (GATEWAY_KEYS), so that every request asks Redis to count it. */
let limitedKey: string;
let envKeys: string;
let sequence = 0;

beforeAll(async () => {
  openai = await startMockUpstream(async (request, res) => {
    await sleep(UPSTREAM_MS);
    sendJson(res, 200, chatCompletion());
  });
  const file = join(mkdtempSync(join(tmpdir(), 'gateway-faults-')), 'keys.json');
  limitedKey = (await createKey(file, { name: 'limited', scopes: [], providers: [], rpm: 1_000_000, tpm: 100_000_000 }, new Set(['openai']))).key;
  envKeys = readFileSync(file, 'utf8');
});

afterAll(() => openai?.close());

const settings = (url: string, extra: Record<string, string> = {}) => ({
  REDIS_URL: url,
  GATEWAY_REDIS_TIMEOUT_MS: String(TIMEOUT_MS),
  GATEWAY_REDIS_CONNECT_TIMEOUT_MS: '300',
  GATEWAY_KEYS: envKeys,
  OPENAI_BASE_URL: `${openai.origin}/v1`,
  GATEWAY_CACHE: 'on',
  LOG_LEVEL: 'info',
  ...extra,
});

/** One cacheable request with a body of its own (a MISS: lock, write, release) unless `content` repeats. */
async function timedChat(gateway: TestGateway, content = `load ${++sequence}`) {
  const started = performance.now();
  const response = await fetch(`${gateway.origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${limitedKey}` },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content }] }),
  });
  const text = await response.text();
  return { status: response.status, ms: performance.now() - started, cache: response.headers.get('x-gateway-cache'), text, headers: response.headers };
}

const health = async (gateway: TestGateway) => ((await (await fetch(`${gateway.origin}/health`)).json()) as { store: string }).store;

/** Store state lines of the log (not the request lines). */
const stateLines = (log: LogCapture) => log.lines().filter((line) => String(line.msg).startsWith('shared store'));

describe('redis-server stopped during a bounded load, then started again', () => {
  let server: RedisServer;
  let gateway: TestGateway;
  const log = captureLog();

  beforeAll(async () => {
    server = await redisServer();
    gateway = await startGateway(settings(server.url), { logSink: log.sink });
  });

  afterAll(async () => {
    await gateway?.close();
    await server?.stop();
  });

  it('answers every request, none held past the bound; health says degraded; the gateway uses Redis again without a restart', async () => {
    expect((await timedChat(gateway)).status).toBe(200);
    expect(await health(gateway)).toBe('redis');
    const results: Array<{ status: number; ms: number }> = [];
    let running = true;
    // 8 clients in a loop, for at most 3 s or 2000 requests.
    const started = performance.now();
    const loops = Array.from({ length: 8 }, async () => {
      while (running && results.length < 2000 && performance.now() - started < 3000) results.push(await timedChat(gateway));
    });
    await sleep(700);
    await server.stop();
    const whileDown: string[] = [];
    await sleep(200);
    whileDown.push(await health(gateway));
    await sleep(500);
    await server.restart();
    await Promise.all(loops);
    running = false;

    expect(whileDown).toEqual(['degraded']);
    expect(results.length).toBeGreaterThan(50);
    expect(results.filter((result) => result.status !== 200)).toEqual([]);
    const slowest = Math.max(...results.map((result) => result.ms));
    console.log(`redis-server stopped and restarted under load: ${results.length} requests, all 200, slowest ${slowest.toFixed(0)} ms (bound ${BOUND_MS} ms)`);
    expect(slowest).toBeLessThan(BOUND_MS);

    // Back on Redis, without a restart: health, and the (emptied) cache stores and hits again.
    await eventually(async () => (await health(gateway)) === 'redis', 3000);
    const again = await timedChat(gateway, 'after the restart');
    const hit = await timedChat(gateway, 'after the restart');
    expect([again.cache, hit.cache]).toEqual(['MISS', 'HIT']);
    expect(hit.headers.get('x-ratelimit-limit-requests')).toBe('1000000');
    // One line when it went, one when it came back: not one per request. (On a machine so busy
    // that a command outlives its 100 ms bound while Redis is up, such a fault is a change of
    // state too and gets its own pair of lines; never more than a few.)
    const lines = stateLines(log).map((line) => [line.level, line.msg]);
    expect(lines.length % 2).toBe(0);
    expect(lines.length).toBeLessThanOrEqual(6);
    for (let index = 0; index < lines.length; index += 2) {
      expect(lines.slice(index, index + 2)).toEqual([
        ['warn', expect.stringMatching(/^shared store unavailable/)],
        ['info', 'shared store available again'],
      ]);
    }
    expect(JSON.stringify(stateLines(log))).toContain(`redis://127.0.0.1:${server.port}/0`);
  }, 20_000);
});

describe('gateway keys in Redis while Redis is down, and after it came back empty', () => {
  it('the last good copy stays in force: a key read before keeps working, also once a Redis without persistence restarted empty', async () => {
    const server = await redisServer();
    const log = captureLog();
    const gateway = await startGateway(settings(server.url, { GATEWAY_KEYS: '', LOG_LEVEL: 'warn' }), { logSink: log.sink });
    const operator = connectRedis(server.url);
    try {
      const { key } = await createKey(redisKeyRecords(operator, REDIS_PREFIX), { name: 'kept', scopes: [], providers: [] }, new Set(['openai']));
      operator.close();
      const status = async () =>
        (
          await fetch(`${gateway.origin}/v1/chat/completions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
            body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'kept?' }] }),
          })
        ).status;
      await eventually(async () => (await status()) === 200, 1000);
      await server.stop();
      expect(await status()).toBe(200);
      await server.restart();
      await log.waitFor((line) => String(line.msg).includes('keeping the last good keys'), 5000);
      expect(await status()).toBe(200);
    } finally {
      operator.close();
      await gateway.close();
      await server.stop();
    }
  }, 20_000);
});

describe('a Redis that accepts the connection and never answers', () => {
  let silent: Server;
  const sockets = new Set<Socket>();
  let url: string;

  beforeAll(async () => {
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    url = `redis://127.0.0.1:${(silent.address() as { port: number }).port}`;
  });

  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('stalls nothing: every request answered within the bound, health degraded, one log line', async () => {
    const log = captureLog();
    const gateway = await startGateway(settings(url), { logSink: log.sink });
    try {
      const results = [];
      for (let round = 0; round < 3; round += 1) results.push(...(await Promise.all(Array.from({ length: 10 }, () => timedChat(gateway)))));
      expect(results.map((result) => result.status)).toEqual(Array(30).fill(200));
      const slowest = Math.max(...results.map((result) => result.ms));
      console.log(`silent Redis: 30 requests, all 200, slowest ${slowest.toFixed(0)} ms (bound ${BOUND_MS} ms)`);
      expect(slowest).toBeLessThan(BOUND_MS);
      // Open by default: admitted uncounted, so no limit headers are made up.
      expect(results[29].headers.get('x-ratelimit-remaining-requests')).toBeNull();
      expect(results.every((result) => result.cache === 'MISS')).toBe(true);
      await eventually(async () => (await health(gateway)) === 'degraded', 2000);
      expect(stateLines(log).map((line) => line.msg)).toEqual([expect.stringMatching(/^shared store unavailable/)]);
    } finally {
      await gateway.close();
    }
  });

  it('GATEWAY_LIMITS_ON_STORE_ERROR=closed refuses a rate-limited key with a 503 instead; a key without limits is served', async () => {
    const master = 'm'.repeat(40);
    const gateway = await startGateway(settings(url, { GATEWAY_LIMITS_ON_STORE_ERROR: 'closed', GATEWAY_MASTER_KEY: master, LOG_LEVEL: 'silent' }));
    try {
      const refused = await timedChat(gateway);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(JSON.parse(refused.text).error).toMatchObject({ code: 'rate_limit_store_unavailable', type: 'api_error' });
      expect(refused.ms).toBeLessThan(BOUND_MS);
      const response = await fetch(`${gateway.origin}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${master}` },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'master' }] }),
      });
      expect(response.status).toBe(200);
    } finally {
      await gateway.close();
    }
  });

  it('a gateway key that only the unreachable store could know is a 503 to try again, never let through', async () => {
    const gateway = await startGateway(settings(url, { GATEWAY_KEYS: '', LOG_LEVEL: 'silent' }));
    try {
      const unknown = await fetch(`${gateway.origin}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer gw-${'x'.repeat(43)}` },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'who am I' }] }),
      });
      expect(unknown.status).toBe(503);
      expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('key_store_unavailable');
      expect(openai.requests.some((request) => request.json?.messages && JSON.stringify(request.json.messages).includes('who am I'))).toBe(false);
    } finally {
      await gateway.close();
    }
  });
});
