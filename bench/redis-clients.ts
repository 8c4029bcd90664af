/**
 * `npm run bench:redis-clients`: the two well-kept Node Redis clients, `@redis/client`
 * (node-redis) and `ioredis`, on the gateway's hot path against a local `redis-server`:
 * the rate limiter's admission (EVALSHA of `ADMIT_SCRIPT`) and a cache hit (GET of a
 * 1 KiB answer as bytes), one at a time (latency) and 64 in flight (throughput). Each is
 * set up as the gateway would use it: RESP3, no offline queue, every command bounded by
 * the command timeout. Rounds are interleaved (A B B A) so that drift on a shared machine
 * cancels; the table shows each client's median over its runs. Loopback only, bounded by
 * BENCH_SECONDS (default 2) per run.
 */
import { createClient } from '@redis/client';
import { Redis } from 'ioredis';
import { ADMIT_SCRIPT } from '../lib/store/redis/limit-scripts.js';
import { startRedisServer } from './redis-server.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const TIMEOUT_MS = 50;
const ANSWER = Buffer.alloc(1024, 'a');

interface Measured {
  opsPerSecond: number;
  p50Us: number;
  p99Us: number;
  errors: number;
}

/** Runs `operation` with `inFlight` concurrent loops for SECONDS. */
async function measure(operation: () => Promise<unknown>, inFlight: number): Promise<Measured> {
  const times: number[] = [];
  let errors = 0;
  const end = performance.now() + SECONDS * 1000;
  const loop = async () => {
    while (performance.now() < end) {
      const started = performance.now();
      try {
        await operation();
        times.push(performance.now() - started);
      } catch {
        errors += 1;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, loop));
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const at = (fraction: number) => (times[Math.min(times.length - 1, Math.floor(times.length * fraction))] ?? Number.NaN) * 1000;
  return { opsPerSecond: times.length / seconds, p50Us: at(0.5), p99Us: at(0.99), errors };
}

type Operations = { admit: () => Promise<unknown>; get: () => Promise<unknown>; close: () => Promise<void> };

async function nodeRedis(url: string): Promise<Operations> {
  const client = createClient({ url, RESP: 3, disableOfflineQueue: true, commandOptions: { timeout: TIMEOUT_MS, rejectInFlight: true } });
  client.on('error', () => undefined);
  await client.connect();
  const sha = await client.scriptLoad(ADMIT_SCRIPT);
  await client.set('bench:answer', ANSWER);
  const bytes = client.withTypeMapping({ [36]: Buffer });
  let n = 0;
  return {
    admit: () => client.evalSha(sha, { keys: [`bench:limits:${n++ % 100}`], arguments: [String(Date.now()), '1000000000', '0', '1'] }),
    get: () => bytes.get('bench:answer'),
    close: async () => {
      client.destroy();
    },
  };
}

async function ioredis(url: string, autoPipelining: boolean): Promise<Operations> {
  const client = new Redis(url, { protocol: 3, enableOfflineQueue: false, commandTimeout: TIMEOUT_MS, enableAutoPipelining: autoPipelining, lazyConnect: true });
  client.on('error', () => undefined);
  await client.connect();
  const sha = String(await client.script('LOAD', ADMIT_SCRIPT));
  await client.set('bench:answer', ANSWER);
  let n = 0;
  return {
    admit: () => client.evalsha(sha, 1, `bench:limits:${n++ % 100}`, Date.now(), 1_000_000_000, 0, 1),
    get: () => client.getBuffer('bench:answer'),
    close: async () => {
      client.disconnect();
    },
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const server = await startRedisServer();
  const clients: Record<string, Operations> = {
    'node-redis (@redis/client)': await nodeRedis(server.url),
    'ioredis, auto-pipelining': await ioredis(server.url, true),
    ioredis: await ioredis(server.url, false),
  };
  const names = Object.keys(clients);
  const results: Record<string, Record<string, Measured[]>> = {};
  try {
    for (const { admit, get } of Object.values(clients)) {
      await measure(admit, 8);
      await measure(get, 8);
    }
    const cases: Array<[string, 'admit' | 'get', number]> = [
      ['admission (EVALSHA), 1 in flight', 'admit', 1],
      ['cache hit (GET 1 KiB), 1 in flight', 'get', 1],
      ['admission (EVALSHA), 64 in flight', 'admit', 64],
      ['cache hit (GET 1 KiB), 64 in flight', 'get', 64],
    ];
    for (const [label, operation, inFlight] of cases) {
      results[label] = Object.fromEntries(names.map((name) => [name, []]));
      for (const order of [names, [...names].reverse()]) {
        for (const name of order) results[label][name].push(await measure(clients[name][operation], inFlight));
      }
    }
  } finally {
    for (const client of Object.values(clients)) await client.close();
    await server.stop();
  }
  console.log(`\n| case | client | ops/s | p50 (µs) | p99 (µs) | errors |\n|---|---|---|---|---|---|`);
  for (const [label, byClient] of Object.entries(results)) {
    for (const [name, runs] of Object.entries(byClient)) {
      const cell = (pick: (run: Measured) => number, digits = 0) => median(runs.map(pick)).toFixed(digits);
      console.log(`| ${label} | ${name} | ${cell((run) => run.opsPerSecond)} | ${cell((run) => run.p50Us)} | ${cell((run) => run.p99Us)} | ${runs.reduce((sum, run) => sum + run.errors, 0)} |`);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
