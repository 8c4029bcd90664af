/**
 * `npm run bench`: the gateway against a direct call to the same fake upstream, measured
 * in one run and interleaved (direct, gateway, gateway, direct) so that drift cancels.
 * Prints a table of gateway/direct ratios and one JSON line; then what the shared store adds
 * (`store-run.ts`: the same gateway in process and with REDIS_URL, a local redis-server;
 * BENCH_STORE=off skips it). Loopback only; every run is bounded by BENCH_SECONDS (default 5)
 * per measurement.
 */
import { peakRssMb, startNode } from './processes.js';
import { paced, run, type RunResult, type Target } from './load.js';
import { printStoreRun, storeRun } from './store-run.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

/** Runs `measure` as direct, gateway, gateway, direct and averages each side. */
async function interleaved(
  direct: Target,
  gateway: Target,
  measure: (target: Target) => Promise<RunResult>,
): Promise<{ direct: RunResult; gateway: RunResult }> {
  const d1 = await measure(direct);
  const g1 = await measure(gateway);
  const g2 = await measure(gateway);
  const d2 = await measure(direct);
  const mean = (a: RunResult, b: RunResult): RunResult => ({
    requestsPerSecond: (a.requestsPerSecond + b.requestsPerSecond) / 2,
    p50Ms: (a.p50Ms + b.p50Ms) / 2,
    p99Ms: (a.p99Ms + b.p99Ms) / 2,
    bytesPerResponse: (a.bytesPerResponse + b.bytesPerResponse) / 2,
    errors: a.errors + b.errors,
  });
  return { direct: mean(d1, d2), gateway: mean(g1, g2) };
}

const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

async function main(): Promise<void> {
  const upstream = await startNode('bench/fake-upstream.ts', {}, /PORT (\d+)/);
  // The gateway as `npm start` runs it: the bundle `npm run build` wrote (prebench).
  const gatewayProcess = await startNode(
    'dist/server.mjs',
    {
      // GATEWAY_* and LOG_LEVEL pass through, so `GATEWAY_CACHE=off npm run bench` measures that.
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('GATEWAY_') || name === 'LOG_LEVEL')),
      HOST: '127.0.0.1',
      PORT: '0',
      OPENAI_BASE_URL: `http://127.0.0.1:${upstream.port}/v1`,
      OPENAI_API_KEY: 'sk-bench',
      // A developer's own key store must not switch gateway keys on for the benchmark.
      GATEWAY_AUTH: 'off',
    } as Record<string, string>,
    /listening on http:\/\/[^:]+:(\d+)/,
  );
  const direct: Target = { url: `http://127.0.0.1:${upstream.port}/v1/chat/completions`, headers: { authorization: 'Bearer sk-bench' } };
  const gateway: Target = { url: `http://127.0.0.1:${gatewayProcess.port}/v1/chat/completions`, headers: { 'x-provider': 'openai' } };
  try {
    // Warm both paths up (JIT, connection pools) before measuring.
    await run(direct, 1, { connections: 16 });
    await run(gateway, 1, { connections: 16 });
    await run(gateway, 1, { connections: 8, stream: true });

    const throughput = await interleaved(direct, gateway, (target) => run(target, SECONDS, { connections: 64 }));
    const at1000 = await interleaved(direct, gateway, (target) => paced(target, 1000, SECONDS));
    const at200 = await interleaved(direct, gateway, (target) => paced(target, 200, SECONDS));
    const streams = await interleaved(direct, gateway, (target) => run(target, SECONDS, { connections: 32, stream: true }));
    const rss = peakRssMb(gatewayProcess.child.pid as number);

    const ratio = throughput.gateway.requestsPerSecond / throughput.direct.requestsPerSecond;
    const streamRatio = streams.gateway.requestsPerSecond / streams.direct.requestsPerSecond;
    const overhead200 = at200.gateway.p50Ms - at200.direct.p50Ms;
    const overhead1000 = at1000.gateway.p50Ms - at1000.direct.p50Ms;
    const chunksPerStream = 101;
    const rows: Array<[string, string, string, string, string, boolean | undefined]> = [
      ['req/s at 64 connections', fixed(throughput.direct.requestsPerSecond, 0), fixed(throughput.gateway.requestsPerSecond, 0), `${fixed(ratio * 100, 1)}%`, '>= 40%', ratio >= 0.4],
      ['p50 latency at 1000 req/s (ms)', fixed(at1000.direct.p50Ms, 3), fixed(at1000.gateway.p50Ms, 3), `+${fixed(overhead1000, 3)} ms`, '', undefined],
      ['p99 latency at 1000 req/s (ms)', fixed(at1000.direct.p99Ms, 3), fixed(at1000.gateway.p99Ms, 3), `+${fixed(at1000.gateway.p99Ms - at1000.direct.p99Ms, 3)} ms`, '', undefined],
      ['p50 latency at 200 req/s (ms)', fixed(at200.direct.p50Ms, 3), fixed(at200.gateway.p50Ms, 3), `+${fixed(overhead200, 3)} ms`, '<= 0.3 ms', overhead200 <= 0.3],
      ['p99 latency at 200 req/s (ms)', fixed(at200.direct.p99Ms, 3), fixed(at200.gateway.p99Ms, 3), `+${fixed(at200.gateway.p99Ms - at200.direct.p99Ms, 3)} ms`, '', undefined],
      ['streams/s at 32 concurrent', fixed(streams.direct.requestsPerSecond, 0), fixed(streams.gateway.requestsPerSecond, 0), `${fixed(streamRatio * 100, 1)}%`, '>= 60%', streamRatio >= 0.6],
      ['chunks/s at 32 concurrent', fixed(streams.direct.requestsPerSecond * chunksPerStream, 0), fixed(streams.gateway.requestsPerSecond * chunksPerStream, 0), `${fixed(streamRatio * 100, 1)}%`, '', undefined],
      ['gateway peak RSS (MB)', '', fixed(rss, 1), '', '< 120 MB', rss < 120],
    ];
    const errors = [throughput, at1000, at200, streams].reduce((sum, pair) => sum + pair.direct.errors + pair.gateway.errors, 0);
    console.log(`\n| measure | direct | gateway | gateway vs direct | target | met |\n|---|---|---|---|---|---|`);
    for (const [name, d, g, versus, target, met] of rows) {
      console.log(`| ${name} | ${d} | ${g} | ${versus} | ${target} | ${met === undefined ? '' : met ? 'yes' : 'NO'} |`);
    }
    console.log(`\nerrors, timeouts and non-2xx answers: ${errors}; stream bytes per answer direct ${fixed(streams.direct.bytesPerResponse, 0)}, gateway ${fixed(streams.gateway.bytesPerResponse, 0)}`);
    console.log(
      JSON.stringify({
        seconds_per_run: SECONDS,
        req_per_s: { direct: throughput.direct.requestsPerSecond, gateway: throughput.gateway.requestsPerSecond, ratio },
        p50_ms_at_1000: { direct: at1000.direct.p50Ms, gateway: at1000.gateway.p50Ms, overhead: overhead1000 },
        p99_ms_at_1000: { direct: at1000.direct.p99Ms, gateway: at1000.gateway.p99Ms },
        p50_ms_at_200: { direct: at200.direct.p50Ms, gateway: at200.gateway.p50Ms, overhead: overhead200 },
        p99_ms_at_200: { direct: at200.direct.p99Ms, gateway: at200.gateway.p99Ms },
        streams_per_s: { direct: streams.direct.requestsPerSecond, gateway: streams.gateway.requestsPerSecond, ratio: streamRatio },
        chunks_per_s: { direct: streams.direct.requestsPerSecond * chunksPerStream, gateway: streams.gateway.requestsPerSecond * chunksPerStream },
        gateway_peak_rss_mb: rss,
        errors,
      }),
    );
    gatewayProcess.child.kill();
    // What REDIS_URL adds (BENCH_STORE=off skips it).
    if (process.env.BENCH_STORE !== 'off') {
      const cases = await storeRun(upstream.port, SECONDS);
      if (cases) printStoreRun(cases);
    }
  } finally {
    gatewayProcess.child.kill();
    upstream.child.kill();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
