/**
 * Reads a request body up to a byte limit. A declared `content-length` over the limit is
 * refused before a byte is read; a chunked body is read until it passes the limit.
 * (Hono's body-limit middleware does the same, but touching `c.req.raw.body` makes the
 * Node adapter build a full `Request` for every call, which costs on the hot path.)
 */
import type { Context } from 'hono';
import { GatewayError } from '../errors.js';

const tooLarge = (limit: number) =>
  new GatewayError({
    status: 413,
    message: `The request body is larger than the gateway's limit of ${limit} bytes`,
    code: 'request_too_large',
  });

/**
 * The body's bytes; empty for a request without a body.
 * @param limit the most bytes accepted (`GATEWAY_MAX_BODY_BYTES`)
 * @throws GatewayError 413 past the limit, 400 for a malformed `content-length`
 */
export async function readBody(c: Context, limit: number): Promise<Uint8Array> {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return new Uint8Array(0);
  const declared = c.req.header('content-length');
  if (declared !== undefined) {
    if (!/^\d+$/.test(declared)) throw new GatewayError({ status: 400, message: 'Malformed content-length', code: 'invalid_request' });
    if (Number(declared) > limit) throw tooLarge(limit);
    if (declared === '0') return new Uint8Array(0);
    return new Uint8Array(await c.req.arrayBuffer());
  }
  const stream = c.req.raw.body;
  if (stream === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      void reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
