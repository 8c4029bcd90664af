/**
 * `npm run bench:compare`: where the gateway's cost per request goes, against its floor.
 * The fake upstream direct, a minimal Hono + undici proxy (`minimal-proxy.ts`) and the
 * gateway (the bundle `npm start` runs) each get the same load, interleaved over
 * BENCH_ROUNDS rounds (default 3): CPU time per request of the serving process (user +
 * system, from `/proc/<pid>/stat`, at 16 connections), p50 latency at a paced 200 req/s,
 * and peak RSS. Linux only; loopback only.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { paced, type Target } from './load.js';
import { peakRssMb, startNode, type Started } from './processes.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const REQUESTS = 6000;
/** Kernel clock ticks per second for `/proc/<pid>/stat` times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used, in µs. */
function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / TICKS_PER_SECOND;
}

let sequence = 0;

/** CPU µs per request of `pid` while `target` serves REQUESTS requests at 16 connections. */
async function cpuPerRequest(target: Target, pid: number): Promise<number> {
  const before = cpuMicros(pid);
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    connections: 16,
    amount: REQUESTS,
    requests: [{ method: 'POST', setupRequest: (request) => ({ ...request, body: JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: `Hi ${++sequence}` }] }) }) }],
  });
  return (cpuMicros(pid) - before) / result.requests.total;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const upstream = await startNode('bench/fake-upstream.ts', {}, /PORT (\d+)/);
  const origin = `http://127.0.0.1:${upstream.port}`;
  // Bundled like the gateway (prebench:compare), so neither carries a TypeScript loader.
  const minimal = await startNode('dist/minimal-proxy.mjs', { UPSTREAM_URL: `${origin}/v1/chat/completions` }, /listening on http:\/\/[^:]+:(\d+)/);
  const gateway = await startNode(
    'dist/server.mjs',
    { HOST: '127.0.0.1', PORT: '0', OPENAI_BASE_URL: `${origin}/v1`, OPENAI_API_KEY: 'sk-bench', GATEWAY_AUTH: 'off' },
    /listening on http:\/\/[^:]+:(\d+)/,
  );
  const subjects: Array<{ name: string; target: Target; process: Started }> = [
    { name: 'fake upstream, direct', target: { url: `${origin}/v1/chat/completions`, headers: {} }, process: upstream },
    { name: 'minimal Hono + undici proxy', target: { url: `http://127.0.0.1:${minimal.port}/v1/chat/completions`, headers: {} }, process: minimal },
    { name: 'gateway', target: { url: `http://127.0.0.1:${gateway.port}/v1/chat/completions`, headers: {} }, process: gateway },
  ];
  try {
    for (const subject of subjects) await cpuPerRequest(subject.target, subject.process.child.pid as number);
    const cpu = subjects.map(() => [] as number[]);
    const p50 = subjects.map(() => [] as number[]);
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [index, subject] of subjects.entries()) {
        cpu[index].push(await cpuPerRequest(subject.target, subject.process.child.pid as number));
        p50[index].push((await paced(subject.target, 200, 3)).p50Ms);
      }
    }
    console.log('\n| serving process | CPU µs per request (median) | p50 at 200 req/s (ms) | peak RSS (MB) |\n|---|---|---|---|');
    for (const [index, subject] of subjects.entries()) {
      const rss = peakRssMb(subject.process.child.pid as number);
      console.log(`| ${subject.name} | ${median(cpu[index]).toFixed(0)} | ${median(p50[index]).toFixed(3)} | ${rss.toFixed(0)} |`);
    }
    console.log(`\nCPU and p50 are medians over ${ROUNDS} interleaved rounds; the upstream's own CPU is in the first row only.`);
  } finally {
    for (const subject of subjects) subject.process.child.kill();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
