/**
 * The load runs: throughput and streams at a fixed number of connections on autocannon,
 * and latency at a fixed rate on an open-loop pacer (percentiles from every response's
 * own time, in ms with sub-ms precision).
 *
 * @see https://github.com/mcollina/autocannon
 */
import autocannon from 'autocannon';
import { Pool } from 'undici';

/** One target of a run: the direct upstream or the gateway. */
export interface Target {
  url: string;
  headers: Record<string, string>;
}

let sequence = 0;

/** Every body carries a unique id, so that no cache can answer. */
const body = (stream: boolean) =>
  JSON.stringify({ model: 'bench-model', messages: [{ role: 'user', content: `Hello ${++sequence}` }], ...(stream ? { stream: true } : {}) });

/** What one run measured. */
export interface RunResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Mean bytes per response body and headers. */
  bytesPerResponse: number;
  errors: number;
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

/**
 * Runs load against `target` for `seconds`.
 * @param options `connections`, and `stream` for the 100-chunk stream
 */
export async function run(
  target: Target,
  seconds: number,
  options: { connections: number; stream?: boolean },
): Promise<RunResult> {
  const times: number[] = [];
  let instance: autocannon.Instance | undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon({
    url: target.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    // autocannon's own `idReplacement` sends nothing on this version; a setupRequest does the same.
    requests: [{ method: 'POST', setupRequest: (request) => ({ ...request, body: body(options.stream === true) }) }],
    connections: options.connections,
    duration: seconds,
    timeout: 10,
    }, (error, result) => (error ? reject(error) : resolve(result)));
  });
  instance?.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    times.push(responseTime);
  });
  const result = await done;
  const sorted = Float64Array.from(times).sort();
  return {
    requestsPerSecond: result.requests.total / seconds,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    bytesPerResponse: result.requests.total > 0 ? result.throughput.total / result.requests.total : 0,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/**
 * Latency at a truly fixed rate: one request every `1000 / rate` ms, sent whether or not
 * the earlier ones have been answered (an open loop), over a pool of keep-alive
 * connections (undici). autocannon's own rate mode sends each second's quota back to
 * back and then pauses, which measures bursts rather than a steady rate.
 * @returns p50 and p99 in ms, from each response's own time
 */
export async function paced(target: Target, rate: number, seconds: number): Promise<RunResult> {
  const pool = new Pool(new URL(target.url).origin, { connections: 64, keepAliveTimeout: 30_000 });
  const { pathname } = new URL(target.url);
  const times: number[] = [];
  let errors = 0;
  let bytes = 0;
  const pending: Promise<void>[] = [];
  const one = async () => {
    const started = performance.now();
    try {
      const response = await pool.request({
        path: pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...target.headers },
        body: body(false),
      });
      const answer = await response.body.bytes();
      bytes += answer.byteLength;
      if (response.statusCode !== 200) errors += 1;
      else times.push(performance.now() - started);
    } catch {
      errors += 1;
    }
  };
  const total = rate * seconds;
  const interval = 1000 / rate;
  const start = performance.now();
  for (let sent = 0; sent < total; sent += 1) {
    // Sleep until this request's slot; timers are coarse, so catch up by slot, not by tick.
    const due = start + sent * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(one());
  }
  await Promise.all(pending);
  await pool.close();
  const sorted = Float64Array.from(times).sort();
  return {
    requestsPerSecond: times.length / seconds,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    bytesPerResponse: times.length > 0 ? bytes / (times.length + errors) : 0,
    errors,
  };
}
