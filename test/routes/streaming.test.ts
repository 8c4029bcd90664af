/**
 * Streams go through event by event: never buffered, and a client that leaves closes
 * the upstream request at once.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunk, startMockUpstream, startSse, sleep, type MockUpstream } from '../helpers/mock-upstream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

let upstream: MockUpstream;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startMockUpstream();
  gateway = await startGateway({ OPENAI_BASE_URL: `${upstream.origin}/v1` });
  client = new OpenAI({ apiKey: 'sk-test', baseURL: `${gateway.origin}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

describe('streaming', () => {
  it('streams with the openai SDK, including the usage chunk whose choices are empty', async () => {
    upstream.handle((request, res) => {
      startSse(res);
      res.write(`data: ${chunk('Hel')}\n\n`);
      res.write(`data: ${chunk('lo')}\n\n`);
      res.write(`data: ${chunk(null, 'stop')}\n\n`);
      res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage;
    for await (const part of stream) {
      text += part.choices[0]?.delta.content ?? '';
      if (part.usage) usage = part.usage;
    }
    expect(text).toBe('Hello');
    expect(usage).toEqual({ prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 });
    expect(upstream.requests.at(-1)!.json).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('passes an OpenAI-format stream on byte for byte (compact fields, comments), and re-frames CR line ends with LF', async () => {
    const events = `data:${chunk('a')}\n\n: keep-alive\n\nid: 1\ndata: ${chunk(null, 'stop')}\n\ndata: [DONE]\n\n`;
    upstream.handle((request, res) => {
      startSse(res);
      res.end(events);
    });
    const post = () =>
      fetch(`${gateway.origin}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true }),
      });
    const passed = await post();
    expect(passed.status).toBe(200);
    expect(await passed.text()).toBe(events);

    upstream.handle((request, res) => {
      startSse(res);
      res.end(`data: ${chunk('a')}\r\n\r\n: c\r\rdata: ${chunk(null, 'stop')}\r\rdata: [DONE]\r\n\r\n`);
    });
    expect(await (await post()).text()).toBe(`data: ${chunk('a')}\n\ndata: ${chunk(null, 'stop')}\n\ndata: [DONE]\n\n`);
  });

  it('is not buffered: the client holds the first chunk while the upstream still holds the rest', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    upstream.handle(async (request, res) => {
      startSse(res);
      res.write(`data: ${chunk('first')}\n\n`);
      await held;
      res.write(`data: ${chunk(' second', 'stop')}\n\n`);
      res.end('data: [DONE]\n\n');
    });
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const iterator = stream[Symbol.asyncIterator]();
    const first = await Promise.race([iterator.next(), sleep(3000).then(() => 'timed out' as const)]);
    expect(first).not.toBe('timed out');
    expect((first as IteratorResult<OpenAI.ChatCompletionChunk>).value.choices[0].delta.content).toBe('first');
    release();
    const rest: string[] = [];
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) rest.push(next.value.choices[0].delta.content ?? '');
    expect(rest.join('')).toBe(' second');
  });

  it('Accept: text/event-stream asks for a stream even without "stream": true', async () => {
    upstream.handle((request, res) => {
      startSse(res);
      res.end(`data: ${chunk('ok', 'stop')}\n\ndata: [DONE]\n\n`);
    });
    const response = await fetch(`${gateway.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(await response.text()).toContain('data: [DONE]');
    expect(upstream.requests.at(-1)!.json?.stream).toBe(true);
  });

  it('never passes on a line the upstream cut in half: a cut chunk, even one holding a finish reason, ends in an error event', async () => {
    const whole = `data: ${chunk('a')}\n\n`;
    const cut = `data: ${chunk('b', 'stop')}`.slice(0, -3);
    upstream.handle((request, res) => {
      startSse(res);
      res.end(whole + cut);
    });
    const response = await fetch(`${gateway.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true }),
    });
    const text = await response.text();
    expect(text.startsWith(whole)).toBe(true);
    expect(text).not.toContain(cut);
    expect(text).not.toContain('[DONE]');
    expect(text.slice(whole.length)).toMatch(/^data: \{"error":\{.*"code":"stream_truncated"/);
  });

  it('re-frames CRLF events, comments and a last event without its blank line as well-formed SSE', async () => {
    upstream.handle((request, res) => {
      startSse(res);
      res.write(`: keep-alive\r\n\r\ndata: ${chunk('a')}\r\n\r\n`);
      res.write(`data: ${chunk('b', 'stop')}\r\rdata: [DONE]`);
      res.end();
    });
    const response = await fetch(`${gateway.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true }),
    });
    expect(await response.text()).toBe(`data: ${chunk('a')}\n\ndata: ${chunk('b', 'stop')}\n\ndata: [DONE]\n\n`);
  });

  it('closes the upstream socket as soon as the client aborts', async () => {
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
    upstream.handle(async (request, res, raw) => {
      res.on('close', () => upstreamClosed());
      startSse(res);
      for (let i = 0; i < 200 && !res.destroyed; i++) {
        res.write(`data: ${chunk(`part ${i} `)}\n\n`);
        await sleep(20);
      }
      res.end();
    });
    const controller = new AbortController();
    const response = await fetch(`${gateway.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    const abortedAt = Date.now();
    controller.abort();
    const outcome = await Promise.race([closed.then(() => 'closed'), sleep(2000).then(() => 'still open')]);
    expect(outcome).toBe('closed');
    expect(Date.now() - abortedAt).toBeLessThan(1000);
  });

  it('closes the upstream socket at once when the client leaves before any answer (non-stream and stream)', async () => {
    for (const stream of [false, true]) {
      let upstreamClosed!: () => void;
      const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
      upstream.handle((request, res) => {
        // Thinks forever: no status, no byte.
        res.on('close', () => upstreamClosed());
      });
      const seen = upstream.requests.length;
      const controller = new AbortController();
      const pending = fetch(`${gateway.origin}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream }),
        signal: controller.signal,
      }).catch((error: unknown) => error);
      while (upstream.requests.length === seen) await sleep(10);
      controller.abort();
      await pending;
      const outcome = await Promise.race([closed.then(() => 'closed'), sleep(2000).then(() => 'still open')]);
      expect(outcome, `stream: ${stream}`).toBe('closed');
    }
  });
});
