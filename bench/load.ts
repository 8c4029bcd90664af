/**
 * The load runs, on autocannon: throughput at a fixed number of connections, latency at a
 * fixed rate (percentiles from every response's own time, in ms with sub-ms precision),
 * and streams.
 *
 * @see https://github.com/mcollina/autocannon
 */
import autocannon from 'autocannon';

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
 * @param options `connections`, and `rate` (req/s over all connections) for a fixed-rate run
 */
export async function run(
  target: Target,
  seconds: number,
  options: { connections: number; rate?: number; stream?: boolean },
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
    overallRate: options.rate,
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
