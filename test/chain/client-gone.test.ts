/**
 * No upstream call outlives its client's interest: a request whose client has gone
 * before its upstream call starts never sends it, whichever wait it was in (queued behind
 * a pipelined request on the same connection, waiting on an identical request's upstream
 * call, backing off before a retry); one in flight is aborted.
 */
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chatCompletion, sendJson, sleep, startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';
import { gate } from '../helpers/chat-stream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { within } from '../helpers/within.js';

let upstream: MockUpstream;
let gateway: TestGateway;
let cached: TestGateway;

beforeAll(async () => {
  upstream = await startMockUpstream();
  gateway = await startGateway({ OPENAI_BASE_URL: `${upstream.origin}/v1`, GATEWAY_RETRIES: '2', GATEWAY_RETRY_BASE_MS: '200', GATEWAY_CIRCUIT_FAILURES: '1000' });
  cached = await startGateway({ OPENAI_BASE_URL: `${upstream.origin}/v1`, GATEWAY_CACHE: 'on', GATEWAY_RETRIES: '0' });
});

afterAll(async () => {
  await Promise.all([gateway.close(), cached.close()]);
  await upstream.close();
});

afterEach(() => {
  upstream.requests.length = 0;
});

const body = (content: string) => JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content }] });
const head = (text: string) => `POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\ncontent-type: application/json\r\nauthorization: Bearer k\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n${text}`;

/** Resolves once the upstream got its first request (within 3 s). */
async function untilUpstreamCalled(): Promise<void> {
  const called = (async () => {
    while (upstream.requests.length === 0) await sleep(5);
  })();
  await within(called, 3000, 'the upstream was never called');
}

/** Opens a connection to `port`, writes `bytes`, and returns what closes it. */
function send(port: number, bytes: string): { close: () => void } {
  const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
  socket.on('error', () => {});
  return { close: () => socket.destroy() };
}

describe('a client that leaves before its upstream call starts', () => {
  it('queued behind a pipelined request on a connection that closes: its upstream call is aborted too', async () => {
    const { held, release } = gate();
    upstream.handle(async (request, res) => {
      await held;
      sendJson(res, 200, chatCompletion());
    });
    const closedBefore = upstream.closedSockets;
    // Node hands the gateway all three at once; the second and third answers wait behind the first.
    const client = send(gateway.port, head(body('first')) + head(body('second')) + head(body('third')));
    await within(
      (async () => {
        while (upstream.requests.length < 3) await sleep(5);
      })(),
      3000,
      'the three requests never reached the upstream',
    );
    client.close();
    await within(
      (async () => {
        while (upstream.closedSockets - closedBefore < 3) await sleep(5);
      })(),
      2000,
      () => `only ${upstream.closedSockets - closedBefore} of 3 upstream calls were aborted`,
    );
    release();
  });

  it('waiting on an identical request’s upstream call that then fails: no call of its own', async () => {
    const { held, release } = gate();
    upstream.handle(async (request, res) => {
      await held;
      sendJson(res, 500, { error: { message: 'boom', type: 'server_error' } });
    });
    const first = send(cached.port, head(body('same')));
    await untilUpstreamCalled();
    const waiters = Array.from({ length: 5 }, () => send(cached.port, head(body('same'))));
    await sleep(100);
    for (const waiter of waiters) waiter.close();
    first.close();
    await sleep(100);
    release();
    await sleep(300);
    expect(upstream.requests).toHaveLength(1);
  });

  it('backing off before a retry: the retry is never sent', async () => {
    // A one-second Retry-After makes the wait long enough to leave in, whatever the jitter.
    upstream.handle((request, res) => sendJson(res, 503, { error: { message: 'busy', type: 'server_error' } }, { 'retry-after': '1' }));
    const client = send(gateway.port, head(body('retry me')));
    await untilUpstreamCalled();
    client.close();
    await sleep(1300);
    expect(upstream.requests).toHaveLength(1);
  });
});
