/**
 * `npm run bench:compare`: the gateway against its floors, in one run. The fake upstream
 * direct, a bare `node:http` server relaying through undici's dispatcher with no stream
 * on the way (`minimal-dispatch-proxy.ts`, the cheapest relay on Node we know), a bare
 * `node:http` + undici `request()` proxy (`minimal-node-proxy.ts`), a minimal Hono app
 * relaying through the dispatcher (`minimal-proxy.ts`, the gateway's framework at the
 * least) and the gateway (the bundle `npm start` runs, with its defaults, and again with
 * its cache off) each get the same loads, interleaved over BENCH_ROUNDS rounds (default 3):
 * CPU time per request and per 100-chunk stream of the serving process (user + system,
 * from `/proc/<pid>/stat`), requests/s at 64 connections, streams/s at 32, p50 latency
 * at a paced 200 req/s, and peak RSS. Throughput and latency are also given against
 * direct, as `npm run bench` gives them. `BENCH_BASELINE=dist/baseline/server.mjs` adds
 * another build of the gateway (an earlier commit's) to the same run. Linux only; loopback only.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { paced, run, type Target } from './load.js';
import { peakRssMb, startNode, type Started } from './processes.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
/**
 * Other builds of the gateway to measure in the same run (comma-separated bundle paths), with
 * its cache off like the `GATEWAY_CACHE=off` row, e.g. an earlier commit's `lib/server.ts`
 * bundled into `dist/baseline/` (so that it finds this checkout's `node_modules`): a change's
 * cost, side by side.
 */
const BASELINES = (process.env.BENCH_BASELINE ?? '').split(',').map((path) => path.trim()).filter(Boolean);
/** Kernel clock ticks per second for `/proc/<pid>/stat` times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used, in µs. */
function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / TICKS_PER_SECOND;
}

let sequence = 0;

/** CPU µs per answer of `pid` while `target` serves a fixed number of requests (or streams). */
async function cpuPerAnswer(target: Target, pid: number, stream: boolean): Promise<number> {
  const before = cpuMicros(pid);
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    connections: stream ? 8 : 16,
    amount: stream ? 1500 : 6000,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: `Hi ${++sequence}` }], ...(stream ? { stream: true } : {}) }),
        }),
      },
    ],
  });
  return (cpuMicros(pid) - before) / result.requests.total;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface Subject {
  name: string;
  target: Target;
  process: Started;
  cpu: number[];
  cpuStream: number[];
  rps: number[];
  streams: number[];
  p50: number[];
}

async function main(): Promise<void> {
  const upstream = await startNode('bench/fake-upstream.ts', {}, /PORT (\d+)/);
  const origin = `http://127.0.0.1:${upstream.port}`;
  const upstreamUrl = { UPSTREAM_URL: `${origin}/v1/chat/completions` };
  // Bundled like the gateway (prebench:compare), so none carries a TypeScript loader.
  const dispatchProxy = await startNode('dist/minimal-dispatch-proxy.mjs', upstreamUrl, /listening on http:\/\/[^:]+:(\d+)/);
  const nodeProxy = await startNode('dist/minimal-node-proxy.mjs', upstreamUrl, /listening on http:\/\/[^:]+:(\d+)/);
  const honoProxy = await startNode('dist/minimal-proxy.mjs', upstreamUrl, /listening on http:\/\/[^:]+:(\d+)/);
  const startGateway = (env: Record<string, string>, bundle = 'dist/server.mjs') =>
    startNode(
      bundle,
      { HOST: '127.0.0.1', PORT: '0', OPENAI_BASE_URL: `${origin}/v1`, OPENAI_API_KEY: 'sk-bench', GATEWAY_AUTH: 'off', ...env },
      /listening on http:\/\/[^:]+:(\d+)/,
    );
  const gateway = await startGateway({});
  const uncached = await startGateway({ GATEWAY_CACHE: 'off' });
  const baselines = await Promise.all(BASELINES.map(async (bundle) => ({ bundle, started: await startGateway({ GATEWAY_CACHE: 'off' }, bundle) })));
  const subject = (name: string, started: Started): Subject => ({
    name,
    target: { url: `http://127.0.0.1:${started.port}/v1/chat/completions`, headers: {} },
    process: started,
    cpu: [],
    cpuStream: [],
    rps: [],
    streams: [],
    p50: [],
  });
  const subjects = [
    subject('fake upstream, direct', upstream),
    subject('bare node:http + undici dispatcher', dispatchProxy),
    subject('bare node:http + undici request()', nodeProxy),
    subject('minimal Hono + undici dispatcher', honoProxy),
    subject('gateway', gateway),
    subject('gateway, GATEWAY_CACHE=off', uncached),
    ...baselines.map(({ bundle, started }) => subject(`baseline ${bundle}, GATEWAY_CACHE=off`, started)),
  ];
  try {
    for (const { target, process } of subjects) {
      await cpuPerAnswer(target, process.child.pid as number, false);
      await cpuPerAnswer(target, process.child.pid as number, true);
    }
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const entry of subjects) {
        const pid = entry.process.child.pid as number;
        entry.cpu.push(await cpuPerAnswer(entry.target, pid, false));
        entry.cpuStream.push(await cpuPerAnswer(entry.target, pid, true));
        entry.rps.push((await run(entry.target, SECONDS, { connections: 64 })).requestsPerSecond);
        entry.streams.push((await run(entry.target, SECONDS, { connections: 32, stream: true })).requestsPerSecond);
        entry.p50.push((await paced(entry.target, 200, SECONDS)).p50Ms);
      }
    }
    const [direct] = subjects;
    const ratio = (values: number[], base: number[]) => `${((100 * median(values)) / median(base)).toFixed(1)}%`;
    console.log(
      '\n| serving process | CPU µs per request | CPU µs per stream | req/s at 64 connections (vs direct) | streams/s at 32 (vs direct) | p50 at 200 req/s, ms (vs direct) | peak RSS (MB) |',
    );
    console.log('|---|---|---|---|---|---|---|');
    for (const entry of subjects) {
      const rss = peakRssMb(entry.process.child.pid as number);
      const added = median(entry.p50) - median(direct.p50);
      console.log(
        `| ${entry.name} | ${median(entry.cpu).toFixed(0)} | ${median(entry.cpuStream).toFixed(0)} ` +
          `| ${median(entry.rps).toFixed(0)} (${ratio(entry.rps, direct.rps)}) | ${median(entry.streams).toFixed(0)} (${ratio(entry.streams, direct.streams)}) ` +
          `| ${median(entry.p50).toFixed(3)} (${entry === direct ? '' : `+${added.toFixed(2)}`}) | ${rss.toFixed(0)} |`,
      );
    }
    console.log(
      `\nMedians over ${ROUNDS} interleaved rounds of ${SECONDS} s; CPU is the serving process's own (the upstream's is in the first row only).`,
    );
  } finally {
    for (const { process } of subjects) process.child.kill();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
