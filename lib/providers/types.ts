/**
 * What every provider adapter is: pure functions from the gateway's request to an
 * upstream `UpstreamRequest`, and from the upstream's answer back. An adapter never
 * fetches, retries or caches; the chain does that once for everyone.
 */

import type { Operation } from '../operations/table.js';
import type { ArrivedOutput } from '../usage/arrived-output.js';

export type { Operation };

/** One server-sent event, as decoded by the WHATWG rules. */
export interface SseEvent {
  event?: string;
  id?: string;
  /** The data lines joined by `\n`; JSON left untouched. */
  data: string;
}

/** A request ready to send upstream. */
export interface UpstreamRequest {
  /** Absolute URL, query included. */
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** What the chain hands an adapter for one attempt. */
export interface CallInput {
  operation: Operation;
  method: string;
  /** The part of the path after `/v1`, with its query: `/chat/completions`, `/files?limit=2`. */
  subpath: string;
  /** The client's JSON body, parsed; undefined for bodyless or non-JSON passthrough requests. */
  body?: Record<string, unknown>;
  /** The client's body bytes, sent unchanged when nothing in it has to change. */
  rawBody?: Uint8Array;
  /** The model for this attempt: the chain entry's model, or the body's. */
  model?: string;
  /** True when `model` differs from the body's `model`, so the body must be re-serialised. */
  modelChanged: boolean;
  /** Whether the client asked for a stream. */
  stream: boolean;
  /** The credential chosen for this provider, or undefined when none was found. */
  apiKey?: string;
  /** Allow-listed client headers (lower-case names) this provider's API uses. */
  headers: Record<string, string>;
  /** For `responses`: what the gateway settled before the chain ran (the response's id, the conversation so far). */
  turn?: ResponsesTurn;
}

/**
 * One `POST /v1/responses` as the gateway prepared it: the id and time a translated answer
 * gets, and, for a `previous_response_id`, the conversation rebuilt from stored responses and
 * where the previous response was made (a provider that made it itself may continue it by id).
 */
export interface ResponsesTurn {
  /** `resp_…` */
  id: string;
  /** Unix time, in seconds. */
  createdAt: number;
  /** The stored conversation before this request: input and output items, oldest first. */
  history: readonly Record<string, unknown>[];
  /** The previous response's maker, when the request continues one. */
  previous?: { id: string; provider: string; native: boolean };
  /** Whether the answer is stored: `store` not false, and the request has a tenant. */
  stored: boolean;
}

/**
 * Converts one upstream stream into the client's events. `push` gets each upstream
 * event (SSE) or line (NDJSON, as `data`) and returns the events to send; `end` is
 * called once when the upstream finished and returns any final events.
 */
export interface StreamConverter {
  push(event: SseEvent): SseEvent[];
  end(): SseEvent[];
  /**
   * The answer text written so far, counted by the converter (exactly, from the deltas it
   * writes), for a stream cut before its usage; the client format adds its chunks to it.
   */
  arrived?: ArrivedOutput;
}

/** How a provider frames its streams. */
export type StreamFraming = 'sse' | 'ndjson';

/** The fixed facts of a configured provider: one row of a provider table plus its environment. */
export interface ProviderConfig {
  /** Lower-case name, used in `x-provider`, `/{name}/v1` and `x-{name}-api-key`. */
  name: string;
  /** Which adapter family speaks to it, e.g. `openai-compatible`. */
  dialect: string;
  /**
   * The base URL its own official SDK takes (no trailing slash); empty for a provider
   * that has no public default and must be configured (Azure's resource URL).
   */
  baseURL: string;
  /** Keys from `<NAME>_API_KEY`, rotated round-robin; empty when none. */
  apiKeys: string[];
  /** True for providers that work without any key (local servers). */
  keyOptional: boolean;
  /** Dialect-specific settings (e.g. Azure's `apiVersion`). */
  settings: Record<string, string>;
}

/** One model of a provider's list, in OpenAI's `model` object shape; unknown fields are kept. */
export interface ModelEntry {
  id: string;
  object?: string;
  created?: number;
  owned_by?: string;
  [field: string]: unknown;
}

/**
 * What a provider does for one operation: its request, and its answer, stream and errors
 * back in the client's format. Pure functions: no I/O.
 */
export interface OperationHandler {
  /**
   * Builds the upstream request for one attempt.
   * @throws GatewayError (400) when the input cannot be expressed for this provider.
   */
  buildRequest(input: CallInput): UpstreamRequest;
  /**
   * Converts a 2xx non-stream upstream body to the client's format. Absent or returning
   * undefined means the bytes pass through unchanged.
   */
  convertResponse?(input: CallInput, body: Uint8Array): Uint8Array | undefined;
  /** Creates a converter for one stream; absent or undefined means events pass through unchanged. */
  createStreamConverter?(input: CallInput): StreamConverter | undefined;
  /**
   * Maps an upstream error body to the client's error shape (OpenAI's, or Anthropic's for
   * `messages`); absent or undefined means the provider's own body passes through.
   */
  convertError?(status: number, body: Uint8Array, input: CallInput): Uint8Array | undefined;
  /** How the upstream frames this operation's streams; `sse` when absent. */
  streamFraming?: StreamFraming;
}

/** A provider adapter: one configured provider's facts and, per operation it serves, its handler. */
export interface Provider {
  readonly config: ProviderConfig;
  /** Client headers (lower-case) this provider's API uses, forwarded when present. */
  readonly forwardHeaders: readonly string[];
  /**
   * The chat field that holds the output token limit in chat bodies the gateway writes
   * (a translated `/v1/messages` or `/v1/responses`): `max_tokens` unless set. OpenAI's
   * reasoning models take only `max_completion_tokens`; some compatible servers only `max_tokens`.
   */
  readonly maxTokensField?: 'max_tokens' | 'max_completion_tokens';
  /**
   * Whether the provider takes an assistant message's `reasoning_content` back in the
   * conversation (DeepSeek wants it within a tool loop; OpenAI refuses it), so that the
   * thinking blocks a Messages client sends back reach it; off unless set.
   */
  readonly reasoningInHistory?: boolean;
  /**
   * Whether `model` takes a reasoning setting translated from another API (see
   * `reasoning-models.ts`); every model when absent.
   */
  readonly reasons?: (model: string | undefined) => boolean;
  /**
   * The operations it serves, each with its own handler; the chain skips a provider for
   * an operation it does not list (and answers 400 when none of the chain serves it).
   */
  readonly operations: Readonly<Partial<Record<Operation, OperationHandler>>>;
  /** The request that lists this provider's models. */
  buildModelsRequest(apiKey: string | undefined): UpstreamRequest;
  /** Reads the model entries (each with its `id`) from the answer to {@link buildModelsRequest}. */
  parseModels(body: unknown): ModelEntry[];
  /** Maps an error answer to the models list to OpenAI's shape; absent means it passes through. */
  convertModelsError?(status: number, body: Uint8Array): Uint8Array | undefined;
}
