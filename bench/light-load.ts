/**
 * `npm run bench:light`: why the overhead at a light 200 req/s is larger than the CPU a
 * request costs under load. For the fake upstream (direct), the cheapest relay on Node
 * (`minimal-dispatch-proxy.ts`: bare `node:http` and undici's dispatcher), the gateway's
 * framework at the least (`minimal-proxy.ts`: a minimal Hono app) and the gateway (the
 * bundle `npm start` runs, with its defaults), interleaved over BENCH_ROUNDS rounds
 * (default 3):
 * - the serving process's main-thread CPU per request (Linux `schedstat`, exact), at
 *   full load (16 connections, 6000 requests) and at a paced 200 req/s;
 * - the p50 latency at 200 req/s, and again with busy polling on (`busy-poll.mjs`, which
 *   keeps the event loop from sleeping between requests).
 * `BENCH_BASELINE=dist/baseline/server.mjs` (comma-separated for several) adds an earlier
 * build of the gateway to the same run, for a before-and-after in one run.
 * Linux only; loopback only.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { paced, type Target } from './load.js';
import { startNode, type Started } from './processes.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const RATE = 200;
const BASELINES = (process.env.BENCH_BASELINE ?? '').split(',').map((path) => path.trim()).filter(Boolean);

/** CPU time the main thread of `pid` has used, in µs (`/proc/<pid>/task/<pid>/schedstat`, ns). */
function mainThreadMicros(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1000;
}

let sequence = 0;

async function atFullLoad(target: Target): Promise<number> {
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    connections: 16,
    amount: 6000,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => ({ ...request, body: JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: `Hi ${++sequence}` }] }) }),
      },
    ],
  });
  return result.requests.total;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface Subject {
  name: string;
  target: Target;
  /** The process whose CPU is read: the proxy, or the upstream itself for direct. */
  serving: Started;
  busyPoll: boolean;
  loaded: number[];
  light: number[];
  p50: number[];
  p50Busy: number[];
}

async function main(): Promise<void> {
  const busyPoll = new URL('./busy-poll.mjs', import.meta.url).href;
  const upstream = await startNode('bench/fake-upstream.ts', {}, /PORT (\d+)/);
  const origin = `http://127.0.0.1:${upstream.port}`;
  const env = { HOST: '127.0.0.1', PORT: '0', NODE_OPTIONS: `--import ${busyPoll}` };
  const floorEnv = { ...env, UPSTREAM_URL: `${origin}/v1/chat/completions` };
  const dispatchProxy = await startNode('dist/minimal-dispatch-proxy.mjs', floorEnv, /listening on http:\/\/[^:]+:(\d+)/);
  const honoProxy = await startNode('dist/minimal-proxy.mjs', floorEnv, /listening on http:\/\/[^:]+:(\d+)/);
  const startGateway = (bundle: string) =>
    startNode(bundle, { ...env, OPENAI_BASE_URL: `${origin}/v1`, OPENAI_API_KEY: 'sk-bench', GATEWAY_AUTH: 'off' }, /listening on http:\/\/[^:]+:(\d+)/);
  const gateway = await startGateway('dist/server.mjs');
  const baselines: [string, Started][] = [];
  for (const bundle of BASELINES) baselines.push([bundle, await startGateway(bundle)]);
  const subject = (name: string, serving: Started, url: string, busy: boolean): Subject => ({
    name,
    target: { url, headers: {} },
    serving,
    busyPoll: busy,
    loaded: [],
    light: [],
    p50: [],
    p50Busy: [],
  });
  const subjects = [
    subject('fake upstream, direct', upstream, `${origin}/v1/chat/completions`, false),
    subject('bare node:http + undici dispatcher', dispatchProxy, `http://127.0.0.1:${dispatchProxy.port}/v1/chat/completions`, true),
    subject('minimal Hono + undici dispatcher', honoProxy, `http://127.0.0.1:${honoProxy.port}/v1/chat/completions`, true),
    subject('gateway', gateway, `http://127.0.0.1:${gateway.port}/v1/chat/completions`, true),
    ...baselines.map(([bundle, started]) => subject(`baseline ${bundle}`, started, `http://127.0.0.1:${started.port}/v1/chat/completions`, true)),
  ];
  try {
    for (const s of subjects) {
      await atFullLoad(s.target);
      await paced(s.target, RATE, 1);
    }
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const s of subjects) {
        const pid = s.serving.child.pid as number;
        let before = mainThreadMicros(pid);
        const total = await atFullLoad(s.target);
        s.loaded.push((mainThreadMicros(pid) - before) / total);
        before = mainThreadMicros(pid);
        const light = await paced(s.target, RATE, SECONDS);
        s.light.push((mainThreadMicros(pid) - before) / (RATE * SECONDS));
        s.p50.push(light.p50Ms);
        if (!s.busyPoll) continue;
        s.serving.child.kill('SIGUSR2');
        s.p50Busy.push((await paced(s.target, RATE, SECONDS)).p50Ms);
        s.serving.child.kill('SIGUSR2');
      }
    }
  } finally {
    for (const s of [gateway, honoProxy, dispatchProxy, upstream]) s.child.kill();
  }
  const direct = median(subjects[0].p50);
  const ms = (value: number) => `${value.toFixed(3)} (+${(value - direct).toFixed(2)})`;
  console.log(`\nmedians of ${ROUNDS} interleaved rounds; main-thread CPU from schedstat\n`);
  console.log('| serving process | main-thread CPU µs per request, full load | same, at 200 req/s | light / full | p50 at 200 req/s, ms (vs direct) | p50 with busy polling, ms (vs direct) |');
  console.log('|---|---|---|---|---|---|');
  for (const s of subjects) {
    const loaded = median(s.loaded);
    const light = median(s.light);
    const p50 = s.name.endsWith('direct') ? direct.toFixed(3) : ms(median(s.p50));
    const busy = s.p50Busy.length > 0 ? ms(median(s.p50Busy)) : '';
    console.log(`| ${s.name} | ${loaded.toFixed(0)} | ${light.toFixed(0)} | ${(light / loaded).toFixed(1)}x | ${p50} | ${busy} |`);
  }
  console.log(JSON.stringify(Object.fromEntries(subjects.map((s) => [s.name, { loaded: s.loaded, light: s.light, p50: s.p50, p50Busy: s.p50Busy }]))));
}

await main();
