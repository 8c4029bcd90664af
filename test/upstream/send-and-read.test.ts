import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../lib/errors.js';
import { CancelSignal } from '../../lib/upstream/cancel-signal.js';
import { sendAndRead } from '../../lib/upstream/send-and-read.js';
import { sleep, startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';

let upstream: MockUpstream;

beforeAll(async () => {
  upstream = await startMockUpstream();
});
afterAll(async () => {
  await upstream.close();
});

const post = (path = '/v1/chat/completions', body = '{"model":"m"}') => ({
  url: `${upstream.origin}${path}`,
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
  body,
});

describe('sendAndRead', () => {
  it('sends the request as built and resolves with the status, headers and the whole body in a buffer of its own', async () => {
    upstream.handle((_request, res) => {
      res.writeHead(201, [['content-type', 'application/json'], ['x-ratelimit-remaining-requests', '9'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']]);
      res.write('{"id":"chatcmpl-1",');
      setTimeout(() => res.end('"object":"chat.completion"}'), 5);
    });
    const answer = await sendAndRead(post('/v1/chat/completions?x=1'), new CancelSignal(), 'openai');
    expect(answer.status).toBe(201);
    expect(answer.headers['x-ratelimit-remaining-requests']).toBe('9');
    expect(answer.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(Buffer.from(answer.body).toString()).toBe('{"id":"chatcmpl-1","object":"chat.completion"}');
    expect(answer.body.byteOffset).toBe(0);
    expect(answer.body.buffer.byteLength).toBe(answer.body.byteLength);
    const sent = upstream.requests.at(-1);
    expect(sent).toMatchObject({ method: 'POST', url: '/v1/chat/completions?x=1', body: '{"model":"m"}' });
    expect(sent?.headers.authorization).toBe('Bearer sk-test');
  });

  it('a refused connection is a retryable 502 upstream_unreachable', async () => {
    const error = await sendAndRead({ ...post(), url: 'http://127.0.0.1:9/v1/chat/completions' }, new CancelSignal(), 'groq').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 502, code: 'upstream_unreachable', provider: 'groq' });
  });

  it('a connection cut after the answer began gives undici own error, not upstream_unreachable', async () => {
    upstream.handle((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"id":');
      setTimeout(() => res.socket?.destroy(), 5);
    });
    const error = await sendAndRead(post(), new CancelSignal(), 'openai').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(GatewayError);
    expect((error as { code?: string }).code).toMatch(/^UND_ERR/);
  });

  it('an abort mid-answer rejects with its reason at once and closes the upstream socket', async () => {
    // A server of its own, so that no earlier test's socket closes during this one.
    const hanging = await startMockUpstream((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id":');
    });
    try {
      const signal = new CancelSignal();
      const pending = sendAndRead({ ...post(), url: `${hanging.origin}/v1/chat/completions` }, signal, 'openai').catch((e: unknown) => e);
      while (hanging.requests.length === 0) await sleep(2);
      await sleep(20);
      expect(hanging.closedSockets).toBe(0);
      const reason = new GatewayError({ status: 504, message: 'too slow', code: 'upstream_timeout' });
      signal.abort(reason);
      expect(await pending).toBe(reason);
      for (let waited = 0; hanging.closedSockets === 0 && waited < 1000; waited += 5) await sleep(5);
      expect(hanging.closedSockets).toBeGreaterThan(0);
    } finally {
      await hanging.close();
    }
  });

  it('an abort before sending sends nothing', async () => {
    const seen = upstream.requests.length;
    const signal = new CancelSignal();
    const reason = new Error('client left');
    signal.abort(reason);
    await expect(sendAndRead(post(), signal, 'openai')).rejects.toBe(reason);
    await sleep(20);
    expect(upstream.requests.length).toBe(seen);
  });
});
