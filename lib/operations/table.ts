/**
 * Every endpoint the gateway serves through a provider chain, one row each: the path it
 * answers (a POST after `/v1`), the client's stream format when it streams, how the
 * response cache treats it, what the gateway itself checks of its body, and the shape of
 * the gateway's own errors on it. A new endpoint is a row here plus a handler in the
 * providers that serve it (`OperationHandler`, `providers/types.ts`); nothing else names it.
 */
import { z } from 'zod';
import { anthropicStreamFormat } from '../formats/anthropic-stream.js';
import { openAIStreamFormat } from '../formats/openai-stream.js';
import { responsesStreamFormat } from '../formats/responses-stream.js';
import type { StreamFormat } from '../formats/stream-format.js';

/**
 * How the response cache treats an operation's non-stream answers (docs/api.md "Caching"):
 * `deterministic` ones are cached under `GATEWAY_CACHE=auto`, `on-request` ones only when
 * the request sends `Cache-Control: max-age=N` (or under `GATEWAY_CACHE=on`), `never` never.
 */
export type CachePolicy = 'deterministic' | 'on-request' | 'never';

/** One operation. */
export interface OperationSpec {
  /** The POST path after `/v1` that it answers; none for passthrough. */
  path?: string;
  /** The client's stream format; undefined for an operation that never streams. */
  streamFormat?: StreamFormat;
  cache: CachePolicy;
  /**
   * The few body fields the gateway itself reads, beyond `model` and `stream` (checked for
   * every JSON operation); the rest is the provider's to judge. A failure is a 400 naming
   * the field, code `invalid_<field>`.
   */
  body?: z.ZodType;
  /** The shape of the gateway's own errors: OpenAI's, or Anthropic's on the Messages API. */
  errorShape: 'openai' | 'anthropic';
}

const nonEmptyArray = z.array(z.unknown(), { error: 'must be a non-empty array' }).min(1, { error: 'must be a non-empty array' });
const withMessages = z.looseObject({ messages: nonEmptyArray });

/** The operations, by name. */
export const OPERATIONS = {
  /** `POST /v1/chat/completions`, OpenAI chat format in and out. */
  chat: { path: '/chat/completions', streamFormat: openAIStreamFormat, cache: 'on-request', body: withMessages, errorShape: 'openai' },
  /** `POST /v1/completions`, OpenAI legacy completions. */
  completions: { path: '/completions', streamFormat: openAIStreamFormat, cache: 'on-request', errorShape: 'openai' },
  /** `POST /v1/embeddings`: the same input gives the same vectors. */
  embeddings: { path: '/embeddings', cache: 'deterministic', errorShape: 'openai' },
  /** `POST /v1/messages`, Anthropic Messages format in and out. */
  messages: { path: '/messages', streamFormat: anthropicStreamFormat, cache: 'on-request', body: withMessages, errorShape: 'anthropic' },
  /** `POST /v1/messages/count_tokens`: a Messages request's input tokens, `{"input_tokens":N}`. */
  count_tokens: { path: '/messages/count_tokens', cache: 'never', body: withMessages, errorShape: 'anthropic' },
  /** `POST /v1/responses`, OpenAI's Responses API in and out. */
  responses: {
    path: '/responses',
    streamFormat: responsesStreamFormat,
    cache: 'on-request',
    body: z.looseObject({
      input: z.union([z.string(), z.array(z.record(z.string(), z.unknown()))], { error: 'must be a string or an array of item objects' }).optional(),
      // A background response is polled at the provider that runs it, which the gateway's store cannot follow.
      background: z.union([z.literal(false), z.null()], { error: 'is not supported: the gateway answers each response in the request that makes it' }).optional(),
    }),
    errorShape: 'openai',
  },
  /** Any other `/v1/*`, sent on unchanged. */
  passthrough: { cache: 'never', errorShape: 'openai' },
} as const satisfies Record<string, OperationSpec>;

/** The gateway endpoints a request can be for. */
export type Operation = keyof typeof OPERATIONS;

/** Each operation's POST path → its name. */
const BY_PATH: ReadonlyMap<string, Operation> = new Map(
  (Object.entries(OPERATIONS) as [Operation, OperationSpec][]).filter(([, spec]) => spec.path !== undefined).map(([name, spec]) => [spec.path as string, name]),
);

/** The operation a method and a path after `/v1` are for: `models` for `GET /models`, `passthrough` for anything unlisted. */
export function operationFor(method: string, path: string): Operation | 'models' {
  if (method === 'POST') return BY_PATH.get(path) ?? 'passthrough';
  if (method === 'GET' && path === '/models') return 'models';
  return 'passthrough';
}

/** An operation's row. */
export const operationSpec = (operation: Operation): OperationSpec => OPERATIONS[operation];
