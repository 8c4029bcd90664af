/**
 * A floor in `npm run bench:compare`: a bare `node:http` server that relays a chat
 * completion (one write, with its length), or its stream chunk by chunk, through undici's
 * `request()`, the straightforward way (its body is a Node stream). Beside the dispatcher
 * floor it shows what `request()` costs. No framework and none of the gateway's work.
 * Prints its port once listening.
 */
import { createServer } from 'node:http';
import { Agent, request } from 'undici';

const upstream = process.env.UPSTREAM_URL as string;
const agent = new Agent({ keepAliveTimeout: 10_000 });
const server = createServer(async (incoming, outgoing) => {
  const parts: Buffer[] = [];
  for await (const part of incoming) parts.push(part as Buffer);
  const answer = await request(upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.concat(parts), dispatcher: agent });
  const type = String(answer.headers['content-type']);
  if (!type.startsWith('text/event-stream')) {
    const bytes = Buffer.from(await answer.body.arrayBuffer());
    outgoing.writeHead(answer.statusCode, { 'content-type': type, 'content-length': bytes.byteLength });
    outgoing.end(bytes);
    return;
  }
  outgoing.writeHead(answer.statusCode, { 'content-type': type });
  for await (const chunk of answer.body) outgoing.write(chunk);
  outgoing.end();
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.error(`minimal node proxy listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
});
process.once('SIGTERM', () => server.close());
