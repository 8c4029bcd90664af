/**
 * The playground: runs a chat through a provider or a chain with the gateway's own provider
 * keys, as the proxy would (the same `runChain`, retries, fallback and breakers), and reports
 * it as events while it happens: `attempt` as each upstream attempt ends (its provider, model,
 * status or error, duration), `answer` when a provider answers, `delta` for each piece of
 * content as it streams in, then `done` (usage, duration) or `error`. The run is handed to
 * the request listeners like any request (Requests, spend), with the path of the playground.
 */
import { randomUUID } from 'node:crypto';
import type { ChainRequest } from '../chain/run-chain.js';
import { runChain } from '../chain/run-chain.js';
import { badRequest, GatewayError } from '../errors.js';
import type { StreamState } from '../formats/stream-format.js';
import type { Gateway } from '../gateway.js';
import { operationSpec } from '../operations/table.js';
import { validateJsonRequest } from '../request/validate-json-request.js';
import type { ChainEntry } from '../routing/parse-chain.js';
import { resolveChain } from '../routing/resolve-chain.js';
import { decodeSse } from '../sse/decode-sse.js';
import type { CancelSignal } from '../upstream/cancel-signal.js';
import { askStreamUsage } from '../usage/ask-stream-usage.js';
import { notifyListeners, type RequestRecord } from '../usage/request-record.js';

/** What the page sends. */
export interface PlaygroundInput {
  /** A provider or a chain, as `x-provider` takes it (`openai, groq/llama-3.1-8b-instant`); empty for the default. */
  chain?: string;
  model?: string;
  /** The conversation; `prompt` is a one-message one. */
  messages?: { role: string; content: string }[];
  prompt?: string;
}

/** Sends one event to the page. */
export type PlaygroundEmit = (event: 'attempt' | 'answer' | 'delta' | 'done' | 'error', data: unknown) => Promise<void>;

const encoder = new TextEncoder();

async function* chunksOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** The content of one chat completion chunk. */
function deltaOf(data: string): string | undefined {
  if (data === '[DONE]') return undefined;
  const chunk = JSON.parse(data) as { choices?: { delta?: { content?: unknown } }[] };
  const content = chunk.choices?.[0]?.delta?.content;
  return typeof content === 'string' && content.length > 0 ? content : undefined;
}

/**
 * Checks the input and builds the chat body.
 * @throws GatewayError 400 naming the field
 */
function chatBody(input: PlaygroundInput): Record<string, unknown> {
  const messages = input.messages ?? (typeof input.prompt === 'string' && input.prompt.trim() !== '' ? [{ role: 'user', content: input.prompt }] : undefined);
  if (!Array.isArray(messages) || messages.length === 0) throw badRequest('Write a prompt (messages must be a non-empty list)', 'messages');
  const body: Record<string, unknown> = { messages, stream: true };
  if (typeof input.model === 'string' && input.model.trim() !== '') body.model = input.model.trim();
  return body;
}

/** A checked playground run. */
export interface PlaygroundRun {
  body: Record<string, unknown>;
  chain: ChainEntry[];
}

/**
 * Checks the input: the chain, the model, the messages.
 * @throws GatewayError 400 naming the field
 */
export function preparePlayground(gateway: Gateway, input: PlaygroundInput): PlaygroundRun {
  const body = chatBody(input);
  const chain = resolveChain({
    header: typeof input.chain === 'string' && input.chain.trim() !== '' ? input.chain : undefined,
    model: typeof body.model === 'string' ? body.model : undefined,
    defaultProvider: gateway.config.defaultProvider,
    known: gateway.known,
    defaultOwnsPrefixedModels: gateway.defaultOwnsPrefixedModels,
  });
  validateJsonRequest('chat', body, chain, 'text/event-stream');
  return { body, chain };
}

/** The name the playground's requests are counted under (spend, recent requests); no gateway key can have it. */
export const PLAYGROUND_KEY = '(admin playground)';

/**
 * Runs the chat, sending events through `emit`; never throws for the run's own failures
 * (they become an `error` event).
 * @param signal aborts the upstream request when the page goes away
 */
export async function runPlayground(gateway: Gateway, { body, chain }: PlaygroundRun, emit: PlaygroundEmit, signal: CancelSignal): Promise<void> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const labels = chain.map((entry) => (entry.model === undefined ? entry.provider : `${entry.provider}/${entry.model}`));
  const done: RequestRecord = { id: randomUUID(), at: Date.now(), method: 'POST', path: '/admin/api/playground', status: 200, operation: 'chat', key: PLAYGROUND_KEY, chain: labels, attempts: 0, ttfb_ms: 0, duration_ms: 0 };
  let streamState: StreamState | undefined;
  const asked = askStreamUsage('chat', true, body);
  const request: ChainRequest = {
    operation: 'chat',
    method: 'POST',
    subpath: '/chat/completions',
    // The stream's usage, as the proxy asks for it: the playground's spend is counted too.
    body: asked?.body ?? body,
    rawBody: asked?.rawBody ?? encoder.encode(JSON.stringify(body)),
    stream: true,
    chain,
    keys: { providerKey: () => undefined },
    environmentKeys: true,
    readHeader: () => undefined,
    signal,
    retries: gateway.config.retries,
    timeoutMs: gateway.config.timeoutMs,
    format: operationSpec('chat').streamFormat,
    onStreamEnd: (state) => (streamState = state),
    onAttempt: (attempt) => {
      done.attempts += attempt.skipped === undefined ? 1 : 0;
      void emit('attempt', { ...attempt, at_ms: elapsed() });
    },
  };
  // The chain skips a provider whose circuit is open without an attempt: the page says so first.
  for (const entry of chain) {
    if (gateway.breaker.isOpen(entry.provider)) void emit('attempt', { provider: entry.provider, model: entry.model ?? body.model, skipped: 'circuit_open', duration_ms: 0, at_ms: 0 });
  }
  try {
    const outcome = await runChain(gateway, request);
    Object.assign(done, { provider: outcome.provider, model: outcome.model, attempts: outcome.attempts, status: outcome.result.status, ttfb_ms: elapsed() });
    await emit('answer', { provider: outcome.provider, model: outcome.model ?? null, attempts: outcome.attempts, status: outcome.result.status });
    const { result } = outcome;
    if (result.kind === 'rejection') {
      await emit('error', { status: result.status, message: new TextDecoder().decode(result.body).slice(0, 2000) });
    } else if (result.body instanceof Uint8Array) {
      const answer = JSON.parse(new TextDecoder().decode(result.body)) as { choices?: { message?: { content?: string } }[] };
      await emit('delta', { content: answer.choices?.[0]?.message?.content ?? '' });
    } else {
      for await (const events of decodeSse(chunksOf(result.body))) {
        for (const event of events) {
          const content = deltaOf(event.data);
          if (content !== undefined) await emit('delta', { content });
        }
      }
    }
    if (streamState?.usage) {
      done.usage = streamState.usage;
      if (done.provider !== undefined) done.cost_usd = gateway.pricer.cost(done.provider, done.model, streamState.usage);
    }
    await emit('done', { usage: done.usage ?? null, duration_ms: elapsed() });
  } catch (error) {
    if (!(error instanceof GatewayError)) gateway.logger.log('error', { msg: 'playground failed', error: String(error) });
    const status = error instanceof GatewayError ? error.status : 500;
    done.status = status;
    await emit('error', { status, message: error instanceof GatewayError ? error.message : 'The playground failed; see the gateway log' });
  } finally {
    done.duration_ms = elapsed();
    notifyListeners(gateway.listeners, done, (fields) => gateway.logger.log('error', fields));
  }
}
