/**
 * Reads wire data through a loose zod schema: a client body that does not fit is the
 * client's mistake (400, naming the field), an upstream answer that does not fit is the
 * provider's (502).
 */
import type { z } from 'zod';
import { badRequest, GatewayError } from '../errors.js';

const utf8 = new TextDecoder();

function where(issue: z.core.$ZodIssue): string {
  return issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
}

/**
 * Checks a client body against `schema`.
 * @param format the format's name for the message, e.g. `chat completions`
 * @throws GatewayError 400 with `param` set to the top-level field at fault
 */
export function parseClientBody<T>(schema: z.ZodType<T>, body: unknown, format: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const param = typeof issue.path[0] === 'string' ? issue.path[0] : null;
  throw badRequest(`Invalid ${format} request${where(issue)}: ${issue.message}`, param, 'invalid_request');
}

/**
 * Parses an upstream JSON answer (bytes or text) against `schema`.
 * @throws GatewayError 502 (`invalid_upstream_response`) for malformed JSON or a shape that does not fit
 */
export function parseUpstreamJson<T>(schema: z.ZodType<T>, raw: Uint8Array | string, provider: string): T {
  let value: unknown;
  try {
    value = JSON.parse(typeof raw === 'string' ? raw : utf8.decode(raw));
  } catch (error) {
    throw invalidUpstream(provider, `is not JSON (${(error as Error).message})`);
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw invalidUpstream(provider, `does not fit its format${where(issue)}: ${issue.message}`);
}

function invalidUpstream(provider: string, problem: string): GatewayError {
  return new GatewayError({ status: 502, message: `Provider ${provider} sent an answer that ${problem}`, code: 'invalid_upstream_response', provider });
}
