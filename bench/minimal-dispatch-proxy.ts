/**
 * The cheapest floor in `npm run bench:compare`: a bare `node:http` server that hands the
 * request to undici's dispatcher with a handler that writes the upstream's answer straight
 * into the client's response (a completion gathered and sent with its length, a stream
 * written as it arrives, one write per socket read, as the gateway does). No framework,
 * no Node or web stream on the way, no backpressure, none of the gateway's work: what
 * relaying costs on Node at the least. Prints its port once listening.
 *
 * @see https://github.com/nodejs/undici/blob/main/docs/docs/api/Dispatcher.md#dispatcherdispatchoptions-handler
 */
import { createServer, type ServerResponse } from 'node:http';
import { Agent, type Dispatcher } from 'undici';

const upstream = new URL(process.env.UPSTREAM_URL as string);
const agent = new Agent({ keepAliveTimeout: 10_000 });

/** Relays one upstream answer into `outgoing`. */
function relay(outgoing: ServerResponse): Dispatcher.DispatchHandler {
  let streamed = false;
  let parts: Uint8Array[] = [];
  let length = 0;
  const flush = () => {
    if (parts.length === 0) return;
    outgoing.write(parts.length === 1 ? parts[0] : Buffer.concat(parts, length));
    parts = [];
    length = 0;
  };
  return {
    // Its presence tells undici that this handler speaks the controller API.
    onRequestStart() {},
    onResponseStart(_controller, statusCode, headers) {
      const type = String(headers['content-type']);
      streamed = type.startsWith('text/event-stream');
      outgoing.statusCode = statusCode;
      outgoing.setHeader('content-type', type);
    },
    onResponseData(_controller, chunk) {
      // Undici hands over each HTTP chunk of a read on its own, in one synchronous run.
      if (streamed && parts.length === 0) queueMicrotask(flush);
      parts.push(chunk);
      length += chunk.byteLength;
    },
    onResponseEnd() {
      if (streamed) {
        flush();
        outgoing.end();
        return;
      }
      const body = parts.length === 1 ? parts[0] : Buffer.concat(parts, length);
      parts = [];
      outgoing.setHeader('content-length', body.byteLength);
      outgoing.end(body);
    },
    onResponseError() {
      outgoing.destroy();
    },
  };
}

const server = createServer((incoming, outgoing) => {
  const parts: Buffer[] = [];
  incoming.on('data', (part: Buffer) => parts.push(part));
  incoming.on('end', () => {
    agent.dispatch(
      {
        origin: upstream.origin,
        path: upstream.pathname,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: parts.length === 1 ? parts[0] : Buffer.concat(parts),
      },
      relay(outgoing),
    );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.error(`dispatch proxy listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
});
process.once('SIGTERM', () => server.close());
