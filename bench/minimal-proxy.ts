/**
 * A floor the gateway is compared with in `npm run bench:compare`: the smallest Hono app
 * on `@hono/node-server` that relays a chat completion, or its stream as it arrives (one
 * chunk per socket read, as the gateway does), through undici's dispatcher (the gateway's
 * own way to its upstreams), with none of the gateway's work (no validation, chain,
 * cache, log) and no backpressure: what the gateway's framework costs on Node at the
 * least. Prints its port once listening.
 *
 * @see https://github.com/nodejs/undici/blob/main/docs/docs/api/Dispatcher.md#dispatcherdispatchoptions-handler
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { Agent } from 'undici';

const upstream = new URL(process.env.UPSTREAM_URL as string);
const agent = new Agent({ keepAliveTimeout: 10_000 });

/** Sends `body` upstream; resolves with a whole answer, or a stream once its head arrived. */
function relay(body: Uint8Array): Promise<Response> {
  return new Promise((resolve, reject) => {
    let parts: Uint8Array[] = [];
    let status = 200;
    let type = '';
    let stream: ReadableStreamDefaultController<Uint8Array> | undefined;
    const flush = () => {
      if (parts.length === 0) return;
      stream?.enqueue(parts.length === 1 ? parts[0] : Buffer.concat(parts));
      parts = [];
    };
    agent.dispatch(
      { origin: upstream.origin, path: upstream.pathname, method: 'POST', headers: { 'content-type': 'application/json' }, body },
      {
        // Its presence tells undici that this handler speaks the controller API.
        onRequestStart() {},
        onResponseStart(_controller, statusCode, headers) {
          status = statusCode;
          type = String(headers['content-type']);
          if (!type.startsWith('text/event-stream')) return;
          const events = new ReadableStream<Uint8Array>({ start: (controller) => void (stream = controller) });
          resolve(new Response(events, { status, headers: { 'content-type': type } }));
        },
        onResponseData(_controller, chunk) {
          // Undici hands over each HTTP chunk of a read on its own, in one synchronous run.
          if (stream && parts.length === 0) queueMicrotask(flush);
          parts.push(chunk);
        },
        onResponseEnd() {
          if (stream === undefined) {
            resolve(new Response(Buffer.concat(parts), { status, headers: { 'content-type': type } }));
            return;
          }
          flush();
          stream.close();
        },
        onResponseError(_controller, error) {
          if (stream) stream.error(error);
          else reject(error);
        },
      },
    );
  });
}

const app = new Hono();
app.post('/v1/chat/completions', async (c) => relay(new Uint8Array(await c.req.arrayBuffer())));
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  console.error(`minimal proxy listening on http://127.0.0.1:${info.port}`);
});
process.once('SIGTERM', () => server.close());
