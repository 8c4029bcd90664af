/**
 * The gateway's Node HTTP server: Hono's Node adapter, plus OpenAI-shaped answers for the
 * requests that never reach the app. Node's parser refuses bytes HTTP does not allow (CR,
 * LF or NUL inside a header, control characters in the target, oversized heads) before
 * any handler runs and would answer a bare `400` with no body; the adapter refuses some
 * targets (a backslash in the path, a bad `Host`) the same way. Both become the gateway's
 * own error shape here.
 */
import { randomUUID } from 'node:crypto';
import { createServer, ServerResponse, STATUS_CODES, type Server, type ServerOptions } from 'node:http';
import type { Duplex } from 'node:stream';
import { getRequestListener, RequestError } from '@hono/node-server';
import { errorResponse, GatewayError } from '../errors.js';

/** What serves a request: `app.fetch`. */
export type FetchHandler = (request: Request, env: Record<string, unknown>) => Response | Promise<Response>;

/** Errors Node's HTTP parser raises, by `code`, with the status they get. */
const PARSER_STATUSES: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
};

/** Parser errors a control character inside a header causes. */
const HEADER_ERRORS = new Set(['HPE_INVALID_HEADER_TOKEN', 'HPE_LF_EXPECTED', 'HPE_CR_EXPECTED', 'HPE_INVALID_CONSTANT']);

/** The raw HTTP/1.1 answer for a request Node could not parse, then the connection closes. */
export function malformedRequestAnswer(error: Error & { code?: string; reason?: string }): string {
  const status = PARSER_STATUSES[error.code ?? ''] ?? 400;
  const reason = error.reason ?? error.message.replace(/^Parse Error: /, '');
  const body = JSON.stringify(
    new GatewayError({
      status,
      type: 'invalid_request_error',
      message: `Malformed HTTP request: ${reason}.${HEADER_ERRORS.has(error.code ?? '') ? ' Header values may not hold CR, LF, NUL or other control characters.' : ''}`,
      code: 'malformed_request',
    }).toJSON(),
  );
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\n` +
    `content-length: ${Buffer.byteLength(body)}\r\nx-request-id: ${randomUUID()}\r\nconnection: close\r\n\r\n${body}`
  );
}

function onClientError(error: Error & { code?: string }, socket: Duplex): void {
  // A reset or a socket already closing has no one left to answer.
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(malformedRequestAnswer(error));
}

function onAdapterError(error: unknown): Response {
  // The app never ran, so no request id was made for this one yet.
  const headers = { 'x-request-id': randomUUID() };
  if (error instanceof RequestError) {
    return errorResponse(new GatewayError({ status: 400, message: `Malformed request: ${error.message}`, code: 'malformed_request' }), headers);
  }
  return errorResponse(error, headers);
}

/**
 * The adapter flushes a streamed response's head on its own, one write before the first
 * chunk. The gateway only answers a stream once its first event is ready, so here the
 * head waits for that chunk and both leave in one write (Node's default).
 */
class HeadWithBody extends ServerResponse {
  override flushHeaders(): void {}
}

/**
 * Creates (does not start) the Node server for `fetch`.
 * @param serverOptions Node's own options, e.g. `insecureHTTPParser` (tests use it to reach
 *   the app's own header check)
 */
export function createNodeServer(fetch: FetchHandler, serverOptions: ServerOptions = {}): Server {
  const server = createServer(
    { ServerResponse: HeadWithBody, ...serverOptions },
    getRequestListener(fetch, { errorHandler: onAdapterError }),
  );
  server.on('clientError', onClientError);
  return server;
}
