/**
 * Streams are retried and replaced only before their first byte reaches the client;
 * after that a failure ends the stream with an error event and no [DONE], so the openai
 * SDK throws instead of returning a truncated answer.
 */
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chunk, sendJson, sleep, startMockUpstream, startSse, type MockUpstream } from '../helpers/mock-upstream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

let openai: MockUpstream;
let groq: MockUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  openai = await startMockUpstream();
  groq = await startMockUpstream();
  gateway = await startGateway({
    OPENAI_BASE_URL: `${openai.origin}/v1`,
    GROQ_BASE_URL: `${groq.origin}/openai/v1`,
    GATEWAY_RETRY_BASE_MS: '5',
    GATEWAY_STREAM_IDLE_TIMEOUT_MS: '400',
    GATEWAY_CIRCUIT_FAILURES: '1000',
  });
});

afterAll(async () => {
  await gateway.close();
  await openai.close();
  await groq.close();
});

afterEach(() => {
  openai.requests.length = 0;
  groq.requests.length = 0;
});

const goodStream = (text: string) => (request: unknown, res: Parameters<Parameters<MockUpstream['handle']>[0]>[1]) => {
  startSse(res);
  for (const word of text.split(' ')) res.write(`data: ${chunk(`${word} `)}\n\n`);
  res.write(`data: ${chunk(null, 'stop')}\n\n`);
  res.end('data: [DONE]\n\n');
};

function client(headers: Record<string, string>) {
  return new OpenAI({ apiKey: 'sk-test', baseURL: `${gateway.origin}/v1`, maxRetries: 0, defaultHeaders: headers });
}

async function collect(headers: Record<string, string>): Promise<string> {
  const stream = await client(headers).chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true });
  let text = '';
  for await (const part of stream) text += part.choices[0]?.delta.content ?? '';
  return text;
}

async function rawStream(headers: Record<string, string>): Promise<{ status: number; text: string; provider: string | null }> {
  const response = await fetch(`${gateway.origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true }),
  });
  return { status: response.status, text: await response.text(), provider: response.headers.get('x-gateway-provider') };
}

describe('before the first byte: retry and fallback', () => {
  it('a first provider that 500s before any byte is replaced by the next', async () => {
    openai.handle((request, res) => sendJson(res, 500, { error: { message: 'boom' } }));
    groq.handle(goodStream('from groq'));
    expect(await collect({ 'x-provider': 'openai, groq' })).toBe('from groq ');
    expect(openai.requests).toHaveLength(3);
  });

  it('a 200 that stalls before its first event is cut by the timeout and replaced', async () => {
    openai.handle((request, res) => startSse(res));
    groq.handle(goodStream('rescued'));
    const started = Date.now();
    const result = await rawStream({ 'x-provider': 'openai, groq', 'x-gateway-timeout': '300', 'x-gateway-retries': '0' });
    expect(result.status).toBe(200);
    expect(result.provider).toBe('groq');
    expect(result.text).toContain('rescued');
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('an error event as the first event is retried like an error status', async () => {
    let calls = 0;
    openai.handle((request, res) => {
      calls += 1;
      if (calls === 1) {
        startSse(res);
        res.end(`data: {"error":{"message":"overloaded","type":"server_error"}}\n\n`);
      } else goodStream('second time')(request, res);
    });
    expect(await collect({ 'x-provider': 'openai' })).toBe('second time ');
  });
});

describe('after the first byte: an honest error event', () => {
  it('a stream that dies after three chunks ends with an error event, no [DONE], and the SDK throws', async () => {
    openai.handle((request, res, raw) => {
      startSse(res);
      for (const word of ['one', 'two', 'three']) res.write(`data: ${chunk(word)}\n\n`);
      setTimeout(() => raw.socket.destroy(), 20);
    });
    const raw = await rawStream({ 'x-provider': 'openai, groq' });
    expect(raw.status).toBe(200);
    expect(raw.text).not.toContain('[DONE]');
    const events = raw.text.trim().split('\n\n');
    expect(events).toHaveLength(4);
    expect(JSON.parse(events[3].slice('data: '.length)).error).toMatchObject({ type: 'upstream_error' });
    expect(groq.requests).toHaveLength(0);

    const thrown = await collect({ 'x-provider': 'openai' }).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(Error);
  });

  it('an upstream that closes cleanly before its finish reason or [DONE] is reported as cut', async () => {
    openai.handle((request, res) => {
      startSse(res);
      res.end(`data: ${chunk('half an ans')}\n\n`);
    });
    const raw = await rawStream({ 'x-provider': 'openai' });
    expect(raw.text).not.toContain('[DONE]');
    expect(raw.text).toContain('"code":"stream_truncated"');
    await expect(collect({ 'x-provider': 'openai' })).rejects.toThrow();
  });

  it('a stream that goes silent past the idle timeout ends with an error event', async () => {
    openai.handle(async (request, res) => {
      startSse(res);
      res.write(`data: ${chunk('hello')}\n\n`);
      await sleep(2000);
      res.end();
    });
    const started = Date.now();
    const raw = await rawStream({ 'x-provider': 'openai' });
    expect(raw.text).toContain('"code":"stream_idle_timeout"');
    expect(raw.text).not.toContain('[DONE]');
    expect(Date.now() - started).toBeLessThan(1500);
    await expect(collect({ 'x-provider': 'openai' })).rejects.toThrow();
  });

  it('an error event inside a 200 stream ends it with an error event', async () => {
    openai.handle(async (request, res) => {
      startSse(res);
      res.write(`data: ${chunk('partial')}\n\n`);
      await sleep(50);
      res.end(`data: {"error":{"message":"model overloaded mid-stream","type":"server_error"}}\n\ndata: [DONE]\n\n`);
    });
    const raw = await rawStream({ 'x-provider': 'openai' });
    expect(raw.text).toContain('model overloaded mid-stream');
    expect(raw.text).not.toContain('[DONE]');
  });

  it('a stream with a finish reason but no [DONE] is complete', async () => {
    openai.handle((request, res) => {
      startSse(res);
      res.write(`data: ${chunk('all')}\n\n`);
      res.end(`data: ${chunk(null, 'stop')}\n\n`);
    });
    const raw = await rawStream({ 'x-provider': 'openai' });
    expect(raw.text).not.toContain('error');
    expect(await collect({ 'x-provider': 'openai' })).toBe('all');
  });
});
