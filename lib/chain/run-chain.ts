/**
 * Runs a request through its provider chain: each entry in order, each with its own
 * retries (see `try-provider.ts`), falling back to the next entry on a retryable
 * failure, skipping providers whose circuit is open unless all of them are. A 4xx
 * other than 408/429 comes back at once; when everything failed, one error lists
 * every attempt.
 */
import { GatewayError } from '../errors.js';
import type { StreamFormat, StreamState } from '../formats/stream-format.js';
import type { ChainEntry } from '../routing/parse-chain.js';
import type { CallInput, Operation, Provider, ResponsesTurn } from '../providers/types.js';
import type { CancelSignal } from '../upstream/cancel-signal.js';
import { forwardedHeaders } from '../upstream/headers.js';
import type { AttemptResult } from './attempt.js';
import type { AttemptEntry } from './attempt-log.js';
import { credentialSource, keysFor, type ClientKeys, type KeyRotation } from './credentials.js';
import { allAttemptsFailed, failureKind, upstreamRequests, type AttemptRecord } from './failures.js';
import { tryProvider, type TrySettings } from './try-provider.js';
import { noUsableKey, skipReason, type SkippedEntry } from './usable-key.js';

/** One request, as the chain sees it. */
export interface ChainRequest {
  operation: Operation;
  method: string;
  /** Path after `/v1`, with its query. */
  subpath: string;
  body?: Record<string, unknown>;
  rawBody?: Uint8Array;
  stream: boolean;
  chain: ChainEntry[];
  keys: ClientKeys;
  /** Reads a client header by lower-case name. */
  readHeader(name: string): string | undefined;
  /** Aborts when the client goes away. */
  signal: CancelSignal;
  /** Retries per provider after the first try. */
  retries: number;
  /** Bound on each attempt, in ms. */
  timeoutMs: number;
  /** True when the client set `timeoutMs` below the gateway's own: its timeouts do not count against a provider's circuit. */
  shortTimeout?: boolean;
  /**
   * Whether the gateway's own `<NAME>_API_KEY`s may be used; when false, an entry that could
   * only use one is skipped (and listed as skipped).
   */
  environmentKeys: boolean;
  /** For `responses`: the response's id and the conversation so far. */
  turn?: ResponsesTurn;
  /** The client-facing stream format; undefined for passthrough. */
  format?: StreamFormat;
  onStreamEnd?(state: StreamState): void;
  /** Awaited when a stream shows its end, before its last events go out (see `relay-stream.ts`). */
  beforeStreamFinish?(state: StreamState, provider: string): Promise<void>;
  /** Receives one entry per attempt and skipped entry, with its timing (see `attempt-log.ts`). */
  attemptLog?: AttemptEntry[];
  /** Called with each attempt's record as it ends (the admin playground shows them live); the proxy sets none. */
  onAttempt?(attempt: AttemptRecord): void;
}

/** What the chain settled on. */
export interface ChainOutcome {
  result: AttemptResult;
  /** The provider that answered. */
  provider: string;
  model?: string;
  /** Upstream requests made, in all. */
  attempts: number;
}

/** The shared, long-lived parts the chain works with. */
export interface ChainContext extends TrySettings {
  providers: ReadonlyMap<string, Provider>;
  /** Bound on the silence between two stream events, in ms. */
  streamIdleTimeoutMs: number;
  /** Round-robin state of the environment keys. */
  keyRotation: KeyRotation;
}

function callInput(request: ChainRequest, provider: Provider, entry: ChainEntry): CallInput {
  const bodyModel = request.body?.model;
  const model = entry.model ?? (typeof bodyModel === 'string' ? bodyModel : undefined);
  return {
    operation: request.operation,
    method: request.method,
    subpath: request.subpath,
    body: request.body,
    rawBody: request.rawBody,
    model,
    modelChanged: entry.model !== undefined && entry.model !== bodyModel,
    stream: request.stream,
    headers: forwardedHeaders(request.readHeader, provider.forwardHeaders),
    turn: request.turn,
  };
}

/**
 * Runs the chain.
 * @throws GatewayError 400 when no provider of the chain offers the endpoint; the error
 *   listing every attempt when all failed; the client's abort reason when it left
 */
export async function runChain(context: ChainContext, request: ChainRequest): Promise<ChainOutcome> {
  const entries = request.chain.filter((entry) => (context.providers.get(entry.provider) as Provider).operations[request.operation] !== undefined);
  if (entries.length === 0) {
    throw new GatewayError({
      status: 400,
      message: `No provider of the chain (${request.chain.map((e) => e.provider).join(', ')}) offers this endpoint`,
      code: 'unsupported_endpoint',
    });
  }
  const records: AttemptRecord[] = [];
  const log = request.attemptLog;
  const { onAttempt } = request;
  const record = (attempt: AttemptRecord, started?: number) => {
    records.push(attempt);
    if (log) {
      const ended = performance.now();
      log.push({ provider: attempt.provider, model: attempt.model, status: attempt.status, error: attempt.error, skipped: attempt.skipped, started: started ?? ended, ended });
    }
    if (onAttempt) onAttempt(attempt);
  };
  // The client's own key goes to the chain's first provider only, and only when the client
  // named it (a provider read from a `provider/model` model may not be the one the key is for).
  const first = request.chain[0].fromModel ? '' : request.chain[0].provider;
  const skipped: SkippedEntry[] = [];
  let last: unknown;

  const tryEntries = async (force: boolean): Promise<ChainOutcome | undefined> => {
    for (const entry of entries) {
      const provider = context.providers.get(entry.provider) as Provider;
      const input = callInput(request, provider, entry);
      const source = credentialSource(provider.config, first, request.keys);
      const reason = skipReason(provider.config, source, request.environmentKeys);
      if (reason !== undefined) {
        // Listed once, in chain order, even when a second pass (all circuits open) comes by again.
        if (!force) {
          skipped.push({ provider: entry.provider, model: input.model, skipped: reason });
          record({ provider: entry.provider, model: input.model, skipped: reason, duration_ms: 0 });
        }
        continue;
      }
      // A closed circuit (the common case) is known at once: no await, and no microtasks, per request.
      if (!force && context.breaker.state(entry.provider) !== 'closed' && !(await context.breaker.claim(entry.provider))) {
        if (log) {
          const now = performance.now();
          log.push({ provider: entry.provider, model: input.model, skipped: 'circuit_open', started: now, ended: now });
        }
        continue;
      }
      try {
        const result = await tryProvider(
          {
            provider,
            input,
            keys: keysFor(provider.config, first, request.keys, context.keyRotation),
            clientKeys: source === 'client' || source === 'header',
            shortTimeout: request.shortTimeout === true,
            retries: request.retries,
            format: request.format,
            timeoutMs: request.timeoutMs,
            idleTimeoutMs: context.streamIdleTimeoutMs,
            signal: request.signal,
            onStreamEnd: request.onStreamEnd,
            beforeStreamFinish: request.beforeStreamFinish,
            record,
          },
          context,
        );
        return { result, provider: entry.provider, model: input.model, attempts: upstreamRequests(records) };
      } catch (error) {
        if (request.signal.aborted) {
          context.breaker.release(entry.provider);
          throw request.signal.reason;
        }
        if (!failureKind(error).fallback) throw error;
        last = error;
      }
    }
    return undefined;
  };

  const outcome =
    (await tryEntries(false)) ?? (upstreamRequests(records) === 0 && skipped.length < entries.length ? await tryEntries(true) : undefined);
  if (outcome) return outcome;
  if (upstreamRequests(records) === 0 && skipped.length > 0) throw noUsableKey(skipped, request.keys.gatewayKeyUsed ? '' : first);
  throw allAttemptsFailed(records, last);
}
