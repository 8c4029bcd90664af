/**
 * `npm run bench`'s shared-store run: what Redis (`REDIS_URL`, a local `redis-server` this
 * run starts) adds to a request, against the same gateway with its state in process. Both
 * gateways serve a gateway key with rate limits (every request is admitted by one Lua call
 * and its tokens charged by another), first with the cache off, then with the cache on and
 * every body new (each request also looks up, locks, writes and unlocks its cache entry: the
 * most Redis work a request does). Interleaved (in process, Redis, Redis, in process) like
 * the main run; req/s at 64 connections and p50 at 200 req/s. Skipped, saying why, on a
 * machine without `redis-server`.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKey } from '../lib/keys/key-commands.js';
import { paced, run, type RunResult, type Target } from './load.js';
import { startNode, type Started } from './processes.js';
import { MISSING_REDIS_SERVER, redisServerInstalled, startRedisServer } from './redis-server.js';

/** What the store run measured, per case: in process and with Redis. */
export interface StoreRun {
  label: string;
  memory: { requestsPerSecond: number; p50Ms: number };
  redis: { requestsPerSecond: number; p50Ms: number };
  errors: number;
}

async function gatewayProcess(env: Record<string, string>): Promise<Started> {
  return startNode('dist/server.mjs', { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', ...env }, /listening on http:\/\/[^:]+:(\d+)/);
}

const mean = (a: number, b: number) => (a + b) / 2;

/** Measures both gateways of one case, interleaved. */
async function compare(memory: Target, redis: Target, seconds: number): Promise<Omit<StoreRun, 'label'>> {
  const throughput = async (target: Target) => run(target, seconds, { connections: 64 });
  const latency = async (target: Target) => paced(target, 200, seconds);
  const results: Record<'memory' | 'redis', { rps: RunResult[]; p50: RunResult[] }> = { memory: { rps: [], p50: [] }, redis: { rps: [], p50: [] } };
  for (const side of ['memory', 'redis', 'redis', 'memory'] as const) results[side].rps.push(await throughput(side === 'memory' ? memory : redis));
  for (const side of ['memory', 'redis', 'redis', 'memory'] as const) results[side].p50.push(await latency(side === 'memory' ? memory : redis));
  const summary = (side: 'memory' | 'redis') => ({
    requestsPerSecond: mean(results[side].rps[0].requestsPerSecond, results[side].rps[1].requestsPerSecond),
    p50Ms: mean(results[side].p50[0].p50Ms, results[side].p50[1].p50Ms),
  });
  const errors = [...results.memory.rps, ...results.memory.p50, ...results.redis.rps, ...results.redis.p50].reduce((sum, one) => sum + one.errors, 0);
  return { memory: summary('memory'), redis: summary('redis'), errors };
}

/**
 * Runs the shared-store cases against the fake upstream on `upstreamPort`.
 * @returns the cases, or undefined (after saying why) when redis-server is not installed
 */
export async function storeRun(upstreamPort: number, seconds: number): Promise<StoreRun[] | undefined> {
  if (!redisServerInstalled()) {
    console.log(`\nShared store run skipped: ${MISSING_REDIS_SERVER}`);
    return undefined;
  }
  const redis = await startRedisServer();
  const file = join(mkdtempSync(join(tmpdir(), 'gateway-bench-keys-')), 'keys.json');
  const { key } = await createKey(file, { name: 'bench', scopes: [], providers: [], rpm: 1_000_000_000, tpm: 1_000_000_000 }, new Set(['openai']));
  const common = {
    OPENAI_BASE_URL: `http://127.0.0.1:${upstreamPort}/v1`,
    OPENAI_API_KEY: 'sk-bench',
    GATEWAY_KEYS: readFileSync(file, 'utf8'),
    GATEWAY_KEYS_FILE: join(file, '..', 'none.json'),
  };
  const headers = { authorization: `Bearer ${key}` };
  const cases: StoreRun[] = [];
  try {
    for (const [label, cache] of [
      ['rate-limited key, cache off', 'off'],
      ['rate-limited key, cache on, every request a miss', 'on'],
    ] as const) {
      const memory = await gatewayProcess({ ...common, GATEWAY_CACHE: cache });
      const shared = await gatewayProcess({ ...common, GATEWAY_CACHE: cache, REDIS_URL: redis.url });
      try {
        const targets = [memory, shared].map((process): Target => ({ url: `http://127.0.0.1:${process.port}/v1/chat/completions`, headers }));
        for (const target of targets) await run(target, 1, { connections: 16 });
        cases.push({ label, ...(await compare(targets[0], targets[1], seconds)) });
      } finally {
        memory.child.kill();
        shared.child.kill();
      }
    }
  } finally {
    await redis.stop();
  }
  return cases;
}

/** The table the run prints, and its JSON line. */
export function printStoreRun(cases: readonly StoreRun[]): void {
  console.log(`\nShared store: the same gateway with its state in process and in Redis (REDIS_URL, a local redis-server)\n`);
  console.log('| case | req/s in process | req/s with Redis | Redis vs in process | p50 at 200 req/s in process (ms) | with Redis (ms) | added by Redis |\n|---|---|---|---|---|---|---|');
  for (const one of cases) {
    const ratio = one.redis.requestsPerSecond / one.memory.requestsPerSecond;
    console.log(
      `| ${one.label} | ${one.memory.requestsPerSecond.toFixed(0)} | ${one.redis.requestsPerSecond.toFixed(0)} | ${(ratio * 100).toFixed(1)}% | ` +
        `${one.memory.p50Ms.toFixed(3)} | ${one.redis.p50Ms.toFixed(3)} | ${(one.redis.p50Ms - one.memory.p50Ms >= 0 ? '+' : '') + (one.redis.p50Ms - one.memory.p50Ms).toFixed(3)} ms |`,
    );
  }
  console.log(`\nerrors, timeouts and non-2xx answers: ${cases.reduce((sum, one) => sum + one.errors, 0)}`);
  console.log(JSON.stringify({ shared_store: cases }));
}
