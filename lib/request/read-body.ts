/**
 * Reads a request body up to a byte limit. A declared `content-length` over the limit is
 * refused before a byte is read; a chunked body is read until it passes the limit.
 * (Hono's body-limit middleware does the same, but touching `c.req.raw.body` makes the
 * Node adapter build a full `Request` for every call, which costs on the hot path.)
 */
import type { Context } from 'hono';
import { GatewayError } from '../errors.js';

/**
 * The 413, sent as soon as the limit is known to be passed; the gateway never holds more
 * than `limit` bytes of a body. What still arrives is discarded for a bounded while, as
 * the Node adapter does for a declared length it was never asked to read (at most 64 MiB
 * or 500 ms, then the connection closes): a client that sends its whole body before
 * reading (fetch, most SDKs) then gets the 413 instead of a reset, and the connection
 * stays usable.
 */
const tooLarge = (limit: number) =>
  new GatewayError({
    status: 413,
    message: `The request body is larger than the gateway's limit of ${limit} bytes`,
    code: 'request_too_large',
  });

const DISCARD_MAX_BYTES = 64 * 1024 * 1024;
const DISCARD_MAX_MS = 500;

/** Reads and drops the rest of a chunked body, within the bounds above, then lets go of it. */
async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  const deadline = performance.now() + DISCARD_MAX_MS;
  let discarded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    discarded += value.byteLength;
    if (discarded > DISCARD_MAX_BYTES || performance.now() > deadline) {
      await reader.cancel();
      return;
    }
  }
}

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
      chunks.length = 0;
      discardRest(reader).catch(() => {
        // The client hung up mid-body: there is nothing left to discard.
      });
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
