/**
 * A floor the gateway is compared with in `npm run bench:compare`: the smallest Hono app
 * on `@hono/node-server` that relays a chat completion, or its stream chunk by chunk,
 * through undici, with none of the gateway's work (no validation, chain, cache, log).
 * Prints its port once listening.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { Agent, request } from 'undici';

const upstream = process.env.UPSTREAM_URL as string;
const agent = new Agent({ keepAliveTimeout: 10_000 });
const app = new Hono();
app.post('/v1/chat/completions', async (c) => {
  const body = new Uint8Array(await c.req.arrayBuffer());
  const answer = await request(upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body, dispatcher: agent });
  const type = String(answer.headers['content-type']);
  if (!type.startsWith('text/event-stream')) {
    return new Response((await answer.body.bytes()) as BodyInit, { status: answer.statusCode, headers: { 'content-type': type } });
  }
  const chunks = answer.body[Symbol.asyncIterator]();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value as Uint8Array);
    },
  });
  return new Response(stream, { status: answer.statusCode, headers: { 'content-type': type } });
});
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  console.error(`minimal proxy listening on http://127.0.0.1:${info.port}`);
});
process.once('SIGTERM', () => server.close());
