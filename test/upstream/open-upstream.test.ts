import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../lib/errors.js';
import { CancelSignal } from '../../lib/upstream/cancel-signal.js';
import { openUpstream } from '../../lib/upstream/open-upstream.js';
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

describe('openUpstream', () => {
  it('sends the request as built and resolves with the status, headers and the whole body in a buffer of its own', async () => {
    upstream.handle((_request, res) => {
      res.writeHead(201, [['content-type', 'application/json'], ['x-ratelimit-remaining-requests', '9'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2']]);
      res.write('{"id":"chatcmpl-1",');
      setTimeout(() => res.end('"object":"chat.completion"}'), 5);
    });
    const answer = await openUpstream(post('/v1/chat/completions?x=1'), new CancelSignal(), 'openai');
    expect(answer.status).toBe(201);
    expect(answer.headers['x-ratelimit-remaining-requests']).toBe('9');
    expect(answer.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    const body = await answer.body.bytes();
    expect(Buffer.from(body).toString()).toBe('{"id":"chatcmpl-1","object":"chat.completion"}');
    expect(body.byteOffset).toBe(0);
    expect(body.buffer.byteLength).toBe(body.byteLength);
    const sent = upstream.requests.at(-1);
    expect(sent).toMatchObject({ method: 'POST', url: '/v1/chat/completions?x=1', body: '{"model":"m"}' });
    expect(sent?.headers.authorization).toBe('Bearer sk-test');
  });

  it('skips an informational 103 and resolves with the answer after it', async () => {
    upstream.handle((_request, res) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    const answer = await openUpstream(post(), new CancelSignal(), 'openai');
    expect(answer.status).toBe(200);
    expect(Buffer.from(await answer.body.bytes()).toString()).toBe('{"ok":true}');
  });

  it('a refused connection is a retryable 502 upstream_unreachable', async () => {
    const error = await openUpstream({ ...post(), url: 'http://127.0.0.1:9/v1/chat/completions' }, new CancelSignal(), 'groq').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 502, code: 'upstream_unreachable', provider: 'groq' });
  });

  it('a connection cut after the answer began fails the body with a retryable 502 upstream_connection_lost', async () => {
    upstream.handle((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"id":');
      setTimeout(() => res.socket?.destroy(), 5);
    });
    const answer = await openUpstream(post(), new CancelSignal(), 'openai');
    expect(answer.status).toBe(200);
    const error = await answer.body.bytes().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 502, code: 'upstream_connection_lost', provider: 'openai', retryable: true });
  });

  it('an abort mid-answer rejects with its reason at once and closes the upstream socket', async () => {
    // A server of its own, so that no earlier test's socket closes during this one.
    const hanging = await startMockUpstream((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id":');
    });
    try {
      const signal = new CancelSignal();
      const answer = await openUpstream({ ...post(), url: `${hanging.origin}/v1/chat/completions` }, signal, 'openai');
      const pending = answer.body.bytes().catch((e: unknown) => e);
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
    await expect(openUpstream(post(), signal, 'openai')).rejects.toBe(reason);
    await sleep(20);
    expect(upstream.requests.length).toBe(seen);
  });

  it('hands each chunk over as it arrives, and the end after the last', async () => {
    upstream.handle(async (_request, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const part of ['data: 1\n\n', 'data: 2\n\n', 'data: [DONE]\n\n']) {
        res.write(part);
        await sleep(30);
      }
      res.end();
    });
    const answer = await openUpstream(post(), new CancelSignal(), 'openai');
    const started = performance.now();
    const seen: Array<[string, number]> = [];
    for await (const chunk of answer.body) seen.push([Buffer.from(chunk).toString(), performance.now() - started]);
    expect(seen.map(([text]) => text).join('')).toBe('data: 1\n\ndata: 2\n\ndata: [DONE]\n\n');
    // Written 30 ms apart: held until the end, they would come as one piece.
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen[0][1]).toBeLessThan(seen.at(-1)?.[1] ?? 0);
  });

  it('pauses the upstream while its reader lags, and loses nothing', async () => {
    const total = 32 * 1024 * 1024;
    let written = 0;
    upstream.handle(async (_request, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const part = Buffer.alloc(16 * 1024, 0x61);
      while (written < total) {
        written += part.byteLength;
        if (!res.write(part)) await new Promise((resolve) => res.once('drain', resolve));
      }
      res.end();
    });
    const answer = await openUpstream(post(), new CancelSignal(), 'openai');
    await sleep(300);
    // Socket buffers and the queue hold about 4 MiB here; unpaused, all 32 would be in by now.
    expect(written).toBeLessThan(total / 4);
    let read = 0;
    for await (const chunk of answer.body) read += chunk.byteLength;
    expect(read).toBe(total);
  });

  it('a reader that stops early aborts the request and frees its socket', async () => {
    const endless = await startMockUpstream(async (_request, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      while (!res.destroyed) {
        res.write('data: {}\n\n');
        await sleep(5);
      }
    });
    try {
      const answer = await openUpstream({ ...post(), url: `${endless.origin}/v1/chat/completions` }, new CancelSignal(), 'openai');
      for await (const chunk of answer.body) if (chunk.byteLength > 0) break;
      for (let waited = 0; endless.closedSockets === 0 && waited < 1000; waited += 5) await sleep(5);
      expect(endless.closedSockets).toBeGreaterThan(0);
    } finally {
      await endless.close();
    }
  });
});
