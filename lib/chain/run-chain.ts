/**
 * Runs a request through its provider chain and returns the answer to send.
 */
import { GatewayError } from '../errors.js';
import type { StreamFormat, StreamState } from '../formats/stream-format.js';
import type { ChainEntry } from '../routing/parse-chain.js';
import type { CallInput, Operation, Provider } from '../providers/types.js';
import { forwardedHeaders } from '../upstream/headers.js';
import { attempt, type AttemptResult } from './attempt.js';
import { keysFor, type ClientKeys } from './credentials.js';

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
  signal: AbortSignal;
  /** Retries per provider after the first try. */
  retries: number;
  /** Bound on each attempt, in ms. */
  timeoutMs: number;
  /** The client-facing stream format; undefined for passthrough. */
  format?: StreamFormat;
  onStreamEnd?(state: StreamState): void;
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
export interface ChainContext {
  providers: ReadonlyMap<string, Provider>;
  streamIdleTimeoutMs: number;
}

function callInput(request: ChainRequest, provider: Provider, entry: ChainEntry, apiKey: string | undefined): CallInput {
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
    apiKey,
    headers: forwardedHeaders(request.readHeader, provider.forwardHeaders),
  };
}

/**
 * Sends the request to its chain's first provider.
 * @throws GatewayError as {@link attempt} does, and 400 when the provider cannot serve the operation
 */
export async function runChain(context: ChainContext, request: ChainRequest): Promise<ChainOutcome> {
  const entry = request.chain[0];
  const provider = context.providers.get(entry.provider) as Provider;
  if (!provider.supports(request.operation)) {
    throw new GatewayError({ status: 400, message: `Provider ${entry.provider} does not offer this endpoint`, code: 'unsupported_endpoint' });
  }
  const [apiKey] = keysFor(provider.config, request.chain[0].provider, request.keys);
  const input = callInput(request, provider, entry, apiKey);
  const result = await attempt({
    provider,
    input,
    format: request.format,
    timeoutMs: request.timeoutMs,
    idleTimeoutMs: context.streamIdleTimeoutMs,
    signal: request.signal,
    onStreamEnd: request.onStreamEnd,
  });
  return { result, provider: entry.provider, model: input.model, attempts: 1 };
}
