/**
 * One measurement of `npm run bench:ab`, in its own process: the gateway app of a bundle
 * (`createApp` and `loadConfig`), called in process through `app.fetch` (no client socket),
 * with the bench's fake upstream (an instant chat completion, or with `BENCH_STREAM=1` a
 * 100-chunk stream) on loopback in the same process. After a warm-up, prints the process's
 * CPU µs per request (user + system) over `BENCH_REQUESTS` requests at 16 in flight: the
 * gateway's work plus a fixed amount of client and upstream work that is the same for every
 * bundle. Usage: `node --import tsx bench/ab-runner.ts BUNDLE`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { answerFake } from './fake-answers.js';

type App = { fetch(request: Request): Response | Promise<Response> };
type Bundle = { createApp(config: unknown, options: unknown): App; loadConfig(env: Record<string, string>): unknown };

const STREAM = process.env.BENCH_STREAM === '1';
const upstream = createServer(answerFake);
upstream.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));

const { createApp, loadConfig } = (await import(process.argv[2])) as Bundle;
const env = {
  OPENAI_BASE_URL: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`,
  OPENAI_API_KEY: 'sk-bench',
  GATEWAY_AUTH: 'off',
  GATEWAY_CACHE: 'off',
  LOG_LEVEL: 'info',
  ...(JSON.parse(process.env.BENCH_ENV ?? '{}') as Record<string, string>),
};
// Log lines are made as under `npm start` and dropped here, as a log collector would take them.
const app = createApp(loadConfig(env), { logSink: { write: () => true } });

let sequence = 0;
async function one(): Promise<void> {
  sequence += 1;
  const body = JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: `Hello there ${sequence}` }], ...(STREAM ? { stream: true } : {}) });
  const response = await app.fetch(new Request('http://127.0.0.1/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body }));
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`status ${response.status}`);
}

async function run(count: number): Promise<void> {
  let started = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (started < count) {
        started += 1;
        await one();
      }
    }),
  );
  // The listeners run after the answers (setImmediate): let them finish inside the measurement.
  await new Promise((resolve) => setImmediate(resolve));
}

const requests = Number(process.env.BENCH_REQUESTS ?? 8000);
await run(Math.ceil(requests / 2));
const before = process.cpuUsage();
await run(requests);
const used = process.cpuUsage(before);
process.stdout.write(`${((used.user + used.system) / requests).toFixed(1)}\n`);
process.exit(0);
