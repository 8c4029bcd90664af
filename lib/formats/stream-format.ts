/**
 * What the gateway must know of a client-facing stream format: whether an outgoing
 * event finishes the stream or reports an error, the token usage it carries, and how
 * to tell the client that the stream broke.
 */
import type { GatewayError } from '../errors.js';
import type { SseEvent } from '../providers/types.js';
import { readUsage } from '../usage/read-usage.js';
import type { ArrivedOutput } from '../usage/arrived-output.js';
import type { TokenUsage } from '../usage/token-usage.js';

/** Token counts from a provider's `usage`, in the one shape (see `usage/token-usage.ts`). */
export type Usage = TokenUsage;

/** What has been seen of one stream so far. */
export interface StreamState {
  /** True once the stream carried its end (`[DONE]`, a finish reason, `message_stop`…). */
  finished: boolean;
  /**
   * The error an event reported, if any: its message, code and type, and the HTTP status
   * it stands for when the event said (Google's `code`).
   */
  error?: { message: string; code?: string; type?: string; status?: number };
  usage?: Usage;
  /** The answer text that went to the client so far, for a stream cut before its usage (see `usage/arrived-output.ts`). */
  arrived?: ArrivedOutput;
}

/** One client-facing stream format. */
export interface StreamFormat {
  /** Updates `state` from one outgoing event; must stay cheap on ordinary chunks. */
  inspect(event: SseEvent, state: StreamState): void;
  /**
   * Updates `state` from a batch of outgoing events and their SSE `text` at once, when the
   * format can tell from the text alone (cheaper than one look per event); optional.
   */
  inspectBatch?(events: SseEvent[], text: string, state: StreamState): void;
  /**
   * Updates `state` from the LF-framed bytes of whole events that pass to the client
   * unchanged, when the bytes alone can tell; optional.
   * @returns false when the events must be parsed and inspected one by one instead
   */
  inspectFrame?(frame: Buffer, state: StreamState): boolean;
  /**
   * The event that ends a broken stream, so that a client never mistakes it for a finished one.
   * @param state what the stream showed so far (a format that numbers its events continues from there)
   */
  errorEvent(error: GatewayError, state?: StreamState): SseEvent;
  /**
   * Whether an event, once inspected, is left out of what the client gets: the usage chunk
   * the gateway asked for on a client's behalf. Called only for events whose text holds
   * `"usage"`; optional (nothing is left out).
   */
  dropsEvent?(event: SseEvent): boolean;
}

/** Reads a `usage` object of any dialect (see `usage/read-usage.ts`). */
export { readUsage };

/** An event's data as a JSON object; undefined for other JSON or text that is not JSON (`[DONE]`). */
export function parseJsonObject(data: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
