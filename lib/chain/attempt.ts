/**
 * One attempt: one provider, one key, one upstream request, bounded by a timeout that
 * covers the status, the headers and, for a stream, the first event. It resolves with
 * the provider's answer (2xx) or its own error response; it throws a `GatewayError` for
 * network failures, timeouts and streams that break before their first event.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { GatewayError } from '../errors.js';
import type { StreamFormat, StreamState, Usage } from '../formats/stream-format.js';
import type { CallInput, OperationHandler, Provider } from '../providers/types.js';
import { decodeNdjson } from '../sse/decode-ndjson.js';
import { decodeSse } from '../sse/decode-sse.js';
import { frameSse } from '../sse/frame-sse.js';
import { connectionLost, openUpstream, type OpenedUpstream } from '../upstream/open-upstream.js';
import { sendUpstream } from '../upstream/send.js';
import { boundedSignal, type BoundedSignal } from '../upstream/bounded-signal.js';
import type { CancelSignal } from '../upstream/cancel-signal.js';
import { returnedHeaders } from '../upstream/headers.js';
import { eventChunks, frameChunks, type ChunkContext } from './client-chunks.js';
import { relayStream } from './relay-stream.js';
import { retryAfterMs } from './retry-after.js';
import { streamErrorFailure } from './stream-error-failure.js';

/** What one attempt needs beyond the adapter's input (the same for every attempt of a try). */
export interface AttemptOptions {
  provider: Provider;
  /** The client-facing stream format; undefined for passthrough requests. */
  format?: StreamFormat;
  /** Bound on status, headers and the first stream event, in ms. */
  timeoutMs: number;
  /** Bound on the silence between two stream events, in ms. */
  idleTimeoutMs: number;
  /** The client's signal: its abort stops the upstream request at once. */
  signal: CancelSignal;
  /** Called when a stream relay ends, with what it saw. */
  onStreamEnd?(state: StreamState): void;
  /** See `OpenStream.beforeFinish` (`relay-stream.ts`). */
  beforeStreamFinish?(state: StreamState, provider: string): Promise<void>;
}

/** A provider's answer, ready for the client. */
export interface AttemptAnswer {
  kind: 'answer';
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | ReadableStream<Uint8Array>;
  /** Whether `body` is an SSE stream relayed event by event. */
  streamed: boolean;
  usage?: Usage;
}

/** A provider's own error response (status 300 and up), body read. */
export interface AttemptRejection {
  kind: 'rejection';
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
  /** The wait the provider asked for, in ms. */
  retryAfterMs?: number;
}

export type AttemptResult = AttemptAnswer | AttemptRejection;

const isEventStream = (headers: IncomingHttpHeaders, handler: OperationHandler) => {
  const type = String(headers['content-type'] ?? '');
  return type.includes('text/event-stream') || (handler.streamFraming === 'ndjson' && type.includes('ndjson'));
};

/** The provider's handler for the input's operation (the chain only tries providers that list it). */
const handlerOf = (provider: Provider, input: CallInput) => provider.operations[input.operation] as OperationHandler;

/**
 * Runs one attempt.
 * @throws GatewayError 502 (unreachable, broken stream), 504 (timeout); the client's
 *   abort reason when the client went away
 */
export async function attempt(options: AttemptOptions, input: CallInput): Promise<AttemptResult> {
  const { provider, signal } = options;
  const name = provider.config.name;
  if (signal.aborted) throw signal.reason;
  const bound = boundedSignal(
    signal,
    options.timeoutMs,
    () =>
      new GatewayError({
        status: 504,
        message: `Provider ${name} did not answer within ${options.timeoutMs} ms`,
        code: 'upstream_timeout',
        provider: name,
        retryable: true,
      }),
  );
  const release = bound.done;
  try {
    const handler = handlerOf(provider, input);
    const upstream = handler.buildRequest(input);
    if (input.operation === 'passthrough') {
      const response = await sendUpstream(upstream, bound.signal, name);
      if (response.status < 300) {
        release();
        const body = Readable.toWeb(response.body) as unknown as ReadableStream<Uint8Array>;
        return { kind: 'answer', status: response.status, headers: returnedHeaders(response.headers), body, streamed: false };
      }
      // A provider's error, read whole; a connection lost meanwhile is retried like any other.
      const body = await response.body.bytes().catch((error: unknown) => {
        throw bound.signal.aborted ? bound.signal.reason : connectionLost(name, error);
      });
      release();
      return wholeResult(provider, input, response.status, response.headers, body);
    }
    const response = await openUpstream(upstream, bound.signal, name);
    if (response.status < 300 && input.stream && options.format && isEventStream(response.headers, handler)) {
      return await openStream(options, input, response, returnedHeaders(response.headers), bound);
    }
    const body = await response.body.bytes();
    release();
    return wholeResult(provider, input, response.status, response.headers, body);
  } catch (error) {
    release();
    if (bound.signal.aborted) throw bound.signal.reason;
    throw error;
  }
}

/**
 * The result of an answer read whole: a 2xx answer (converted to the client's format when
 * the provider speaks another), or a provider's error response as a rejection.
 * @throws GatewayError 502 (`upstream_redirect`) for a 3xx: redirects are not followed
 */
function wholeResult(provider: Provider, input: CallInput, status: number, upstreamHeaders: IncomingHttpHeaders, body: Uint8Array): AttemptResult {
  const name = provider.config.name;
  const headers = returnedHeaders(upstreamHeaders);
  if (status < 300) {
    const converted = handlerOf(provider, input).convertResponse?.(input, body);
    if (converted) headers['content-type'] = 'application/json';
    return { kind: 'answer', status, headers, body: converted ?? body, streamed: false };
  }
  if (status < 400) {
    throw new GatewayError({
      status: 502,
      message: `Provider ${name} answered with a redirect (${status}), which the gateway does not follow`,
      code: 'upstream_redirect',
      provider: name,
    });
  }
  const converted = handlerOf(provider, input).convertError?.(status, body, input);
  if (converted) headers['content-type'] = 'application/json';
  return {
    kind: 'rejection',
    status,
    headers,
    body: converted ?? body,
    retryAfterMs: retryAfterMs(upstreamHeaders),
  };
}

async function openStream(
  options: AttemptOptions,
  input: CallInput,
  response: OpenedUpstream,
  headers: Record<string, string>,
  bound: BoundedSignal,
): Promise<AttemptAnswer> {
  const { provider } = options;
  const name = provider.config.name;
  const format = options.format as StreamFormat;
  const handler = handlerOf(provider, input);
  const context: ChunkContext = { converter: handler.createStreamConverter?.(input), format, state: { finished: false } };
  // A provider that speaks the client's format has its events passed on as they came.
  const chunks =
    handler.streamFraming === 'ndjson'
      ? eventChunks(decodeNdjson(response.body), context)
      : context.converter === undefined && format.inspectFrame !== undefined
        ? frameChunks(frameSse(response.body), context)
        : eventChunks(decodeSse(response.body), context);
  // Hold the status back until the first client event exists, so that a 200 that
  // stalls or fails at once can still be retried or replaced.
  let first: Uint8Array | undefined;
  while (first === undefined) {
    const next = await chunks.next();
    if (next.done) {
      throw new GatewayError({
        status: 502,
        message: `Provider ${name} closed the stream before its first event`,
        code: 'stream_truncated',
        provider: name,
        retryable: true,
      });
    }
    if (context.state.error) {
      void chunks.return(undefined);
      throw streamErrorFailure(name, context.state.error);
    }
    if (next.value.byteLength > 0) first = next.value;
  }
  // From here on the relay's idle timeout replaces the attempt's timer; the client's
  // abort still reaches the upstream until the relay ends.
  bound.stopTimer();
  const body = relayStream({
    first,
    chunks,
    format,
    state: context.state,
    provider: name,
    idleTimeoutMs: options.idleTimeoutMs,
    abort: bound.abort,
    beforeFinish: options.beforeStreamFinish,
    onEnd: (state) => {
      bound.done();
      options.onStreamEnd?.(state);
    },
  });
  headers['content-type'] = 'text/event-stream; charset=utf-8';
  headers['cache-control'] = 'no-cache';
  return { kind: 'answer', status: response.status, headers, body, streamed: true };
}
