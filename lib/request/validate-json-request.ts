/**
 * Checks the few body fields the gateway itself uses: `model` (unless every chain entry
 * names one), `stream`, and what the operation's row lists (`messages` for chat and
 * Messages requests, `input` for Responses; see `operations/table.ts`). Everything else is
 * the provider's to judge and goes on untouched.
 */
import { badRequest } from '../errors.js';
import { operationSpec, type Operation } from '../operations/table.js';
import type { ChainEntry } from '../routing/parse-chain.js';

/**
 * Decides whether the answer streams: `"stream": true`, or `Accept: text/event-stream`
 * without `"stream": false`, for an operation that streams at all.
 * @param accept the client's `Accept` header
 * @throws GatewayError 400 with `param` naming the field at fault
 */
export function validateJsonRequest(
  operation: Operation,
  body: Record<string, unknown>,
  chain: readonly ChainEntry[],
  accept: string | undefined,
): { stream: boolean } {
  const { model } = body;
  if (chain.some((entry) => entry.model === undefined) && (typeof model !== 'string' || model.trim() === '')) {
    throw badRequest('`model` must be a non-empty string', 'model', 'invalid_model');
  }
  const spec = operationSpec(operation);
  const checked = spec.body?.safeParse(body);
  if (checked && !checked.success) {
    const issue = checked.error.issues[0];
    const field = String(issue.path[0] ?? 'body');
    throw badRequest(`\`${field}\` ${issue.message}`, field, `invalid_${field}`);
  }
  const { stream } = body;
  if (stream !== undefined && stream !== null && typeof stream !== 'boolean') {
    throw badRequest('`stream` must be a boolean', 'stream', 'invalid_stream');
  }
  if (spec.streamFormat === undefined) return { stream: false };
  return { stream: stream === true || (stream !== false && accept?.includes('text/event-stream') === true) };
}
