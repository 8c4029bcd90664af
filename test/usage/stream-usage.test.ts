/**
 * Usage for every request, streams included, through HTTP against mock providers: the
 * gateway asks OpenAI-compatible upstreams for `stream_options.include_usage` itself and
 * leaves that usage chunk out for a client that did not ask (official `openai` SDK and raw
 * SSE), while a client that asked sees it exactly once; a translated stream (Anthropic)
 * counts from the provider's own usage events; a cut stream counts what arrived, partial;
 * a plain answer carries `x-gateway-cost-usd`, `unpriced` for a model without a price.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { captureLog, type LogCapture, type LogLine } from '../helpers/log-capture.js';
import { chunk, sendJson, startMockUpstream, startSse, type MockUpstream } from '../helpers/mock-upstream.js';
import { anthropicEvent, anthropicMessage } from '../helpers/providers/anthropic-mock.js';
import { geminiResponse, writeGeminiEvent } from '../helpers/providers/gemini-mock.js';

let openai: MockUpstream;
let anthropic: MockUpstream;
let gemini: MockUpstream;
let gateway: TestGateway;
let log: LogCapture;

/** What the mock reports: 20 input tokens (8 of them cached), 5 output (2 of them reasoning). */
const UPSTREAM_USAGE = { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25, prompt_tokens_details: { cached_tokens: 8 }, completion_tokens_details: { reasoning_tokens: 2 } };
/** gpt-4o-mini: $0.15 input, $0.075 cached input, $0.60 output per million tokens. */
const MINI_COST = (12 * 0.15 + 8 * 0.075 + 5 * 0.6) / 1e6;

/** An OpenAI stream as OpenAI writes it: with `include_usage`, `"usage": null` on each chunk, then the usage chunk and `[DONE]` in one write. */
function openAIStream(request: { json?: Record<string, unknown> }, res: import('node:http').ServerResponse) {
  const asked = (request.json?.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
  const withNull = (text: string) => (asked ? JSON.stringify({ ...JSON.parse(text), usage: null }) : text);
  startSse(res);
  res.write(`data: ${withNull(chunk('Hel', null, 'gpt-4o-mini'))}\n\n`);
  res.write(`data: ${withNull(chunk('lo', 'stop', 'gpt-4o-mini'))}\n\n`);
  const usage = asked ? `data: ${JSON.stringify({ id: 'chatcmpl-123', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [], usage: UPSTREAM_USAGE })}\n\n` : '';
  res.end(`${usage}data: [DONE]\n\n`);
}

const lineFor = (id: string | null): Promise<LogLine> => log.waitFor((line) => line.request_id === id);

beforeAll(async () => {
  openai = await startMockUpstream();
  anthropic = await startMockUpstream();
  gemini = await startMockUpstream();
  log = captureLog();
  gateway = await startGateway(
    {
      OPENAI_BASE_URL: `${openai.origin}/v1`,
      ANTHROPIC_BASE_URL: anthropic.origin,
      GEMINI_BASE_URL: gemini.origin,
      OLLAMA_BASE_URL: `${openai.origin}/ollama`,
      GATEWAY_RETRIES: '0',
      LOG_LEVEL: 'info',
      GATEWAY_PRICES: JSON.stringify({ 'ollama/*': { input: 1, output: 2 } }),
    },
    { logSink: log.sink },
  );
});

afterAll(async () => {
  await gateway?.close();
  await Promise.all([openai?.close(), anthropic?.close(), gemini?.close()]);
});

beforeEach(() => {
  openai.requests.length = 0;
  openai.handle((request, res) => (request.json?.stream ? openAIStream(request, res) : sendJson(res, 200, { id: 'x', object: 'chat.completion', created: 1, model: String(request.json?.model), choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }], usage: UPSTREAM_USAGE })));
});

describe('the usage chunk the gateway asks for', () => {
  it('a client that did not ask (openai SDK) never sees it; the gateway asked, and counted it', async () => {
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${gateway.origin}/v1`, maxRetries: 0 });
    const { data: stream, response } = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true }).withResponse();
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const part of stream) chunks.push(part);
    expect(chunks.map((part) => part.choices[0]?.delta.content ?? '').join('')).toBe('Hello');
    expect(chunks.every((part) => part.choices.length > 0)).toBe(true);
    expect(chunks.filter((part) => part.usage)).toEqual([]);
    expect(openai.requests[0].json?.stream_options).toEqual({ include_usage: true });
    const line = await lineFor(response.headers.get('x-request-id'));
    expect(line.usage).toEqual({ prompt_tokens: 20, completion_tokens: 5, cache_read_tokens: 8, reasoning_tokens: 2 });
    expect(line.cost_usd as number).toBeCloseTo(MINI_COST, 12);
  });

  it('raw SSE without stream_options: no usage chunk in the bytes, one [DONE]', async () => {
    const response = await fetch(`${gateway.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: false } }),
    });
    const text = await response.text();
    expect(text).toContain('"content":"lo"');
    expect(text).not.toContain('prompt_tokens');
    expect(text).not.toContain('"choices":[]');
    expect(text.match(/^data: \[DONE\]$/gm)).toHaveLength(1);
    // The client's own options stay, with include_usage turned on.
    expect(openai.requests[0].json?.stream_options).toEqual({ include_usage: true });
    expect((await lineFor(response.headers.get('x-request-id'))).usage).toMatchObject({ prompt_tokens: 20, completion_tokens: 5 });
  });

  it('a client that asked sees the usage chunk exactly once, as the provider sent it', async () => {
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${gateway.origin}/v1`, maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const part of stream) chunks.push(part);
    const withUsage = chunks.filter((part) => part.usage);
    expect(withUsage).toHaveLength(1);
    expect(withUsage[0].choices).toEqual([]);
    expect(withUsage[0].usage).toEqual(UPSTREAM_USAGE);
  });

  it('a plain answer carries its cost in x-gateway-cost-usd; a model without a price says unpriced', async () => {
    const priced = await fetch(`${gateway.origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }) });
    await priced.text();
    expect(Number(priced.headers.get('x-gateway-cost-usd'))).toBeCloseTo(MINI_COST, 12);
    const unpriced = await fetch(`${gateway.origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'ft:my-own-model-xyz', messages: [{ role: 'user', content: 'hi' }] }) });
    await unpriced.text();
    expect(unpriced.headers.get('x-gateway-cost-usd')).toBe('unpriced');
    expect(await lineFor(unpriced.headers.get('x-request-id'))).toMatchObject({ cost_usd: null, unpriced: true, usage: { prompt_tokens: 20 } });
  });
});

describe('translated streams and cut streams', () => {
  /** Anthropic's own usage: 10 uncached input tokens, 1000 read from the cache, 200 written to it. */
  const START_USAGE = { input_tokens: 10, cache_read_input_tokens: 1000, cache_creation_input_tokens: 200, output_tokens: 1 };
  const start = anthropicEvent({ type: 'message_start', message: { ...anthropicMessage([]), stop_reason: null, usage: START_USAGE } });
  /** claude-3-5-haiku: $0.80 input, $1 cache write, $0.08 cache read, $4 output per million tokens. */
  const haiku = (output: number) => (10 * 0.8 + 200 * 1 + 1000 * 0.08 + output * 4) / 1e6;

  it('an Anthropic stream as chat, client did not ask: no usage chunk, the cache reads and writes counted', async () => {
    anthropic.handle((_request, res) => {
      startSse(res);
      res.write(start);
      res.write(anthropicEvent({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }));
      res.write(anthropicEvent({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } }));
      res.write(anthropicEvent({ type: 'content_block_stop', index: 0 }));
      res.write(anthropicEvent({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 6 } }));
      res.end(anthropicEvent({ type: 'message_stop' }));
    });
    const response = await fetch(`${gateway.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-provider': 'anthropic' },
      body: JSON.stringify({ model: 'claude-3-5-haiku-20241022', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }], stream: true }),
    });
    const text = await response.text();
    expect(text).toContain('"content":"Hi"');
    expect(text).not.toContain('prompt_tokens');
    const line = await lineFor(response.headers.get('x-request-id'));
    expect(line.usage).toEqual({ prompt_tokens: 1210, completion_tokens: 6, cache_read_tokens: 1000, cache_write_tokens: 200 });
    expect(line.cost_usd as number).toBeCloseTo(haiku(6), 12);
  });

  it('a Gemini stream as chat, client did not ask: no usage chunk, its cached and thinking tokens counted', async () => {
    gemini.handle((_request, res) => {
      startSse(res);
      writeGeminiEvent(res, { ...geminiResponse([{ text: 'Hi' }]), usageMetadata: undefined });
      writeGeminiEvent(res, { ...geminiResponse([{ text: '!' }], 'STOP'), usageMetadata: { promptTokenCount: 1000, cachedContentTokenCount: 600, candidatesTokenCount: 20, thoughtsTokenCount: 80, totalTokenCount: 1100 } });
      res.end();
    });
    const response = await fetch(`${gateway.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-provider': 'gemini' },
      body: JSON.stringify({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'hi' }], stream: true }),
    });
    const text = await response.text();
    expect(text).toContain('"content":"Hi"');
    expect(text).not.toContain('prompt_tokens');
    const line = await lineFor(response.headers.get('x-request-id'));
    expect(line.usage).toEqual({ prompt_tokens: 1000, completion_tokens: 100, cache_read_tokens: 600, reasoning_tokens: 80 });
    // gemini-2.5-flash: $0.30 input, $0.03 cached, $2.50 output (thinking included) per million.
    expect(line.cost_usd as number).toBeCloseTo((400 * 0.3 + 600 * 0.03 + 100 * 2.5) / 1e6, 12);
  });

  it('embeddings count their input tokens; GATEWAY_PRICES prices a provider the table does not', async () => {
    openai.handle((request, res) =>
      request.url.startsWith('/ollama')
        ? sendJson(res, 200, { model: 'llama3.2', created_at: '2026-12-07T00:00:00Z', message: { role: 'assistant', content: 'hi' }, done: true, done_reason: 'stop', prompt_eval_count: 100, eval_count: 50 })
        : sendJson(res, 200, { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.5] }], model: 'text-embedding-3-small', usage: { prompt_tokens: 1000, total_tokens: 1000 } }),
    );
    const embeddings = await fetch(`${gateway.origin}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'text-embedding-3-small', input: 'hi' }) });
    await embeddings.text();
    // text-embedding-3-small: $0.02 per million input tokens.
    expect(Number(embeddings.headers.get('x-gateway-cost-usd'))).toBeCloseTo((1000 * 0.02) / 1e6, 12);
    expect(await lineFor(embeddings.headers.get('x-request-id'))).toMatchObject({ usage: { prompt_tokens: 1000, completion_tokens: 0 } });
    const ollama = await fetch(`${gateway.origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-provider': 'ollama' }, body: JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }] }) });
    expect(ollama.status).toBe(200);
    await ollama.text();
    // GATEWAY_PRICES: ollama/* at $1 input and $2 output per million.
    expect(Number(ollama.headers.get('x-gateway-cost-usd'))).toBeCloseTo((100 * 1 + 50 * 2) / 1e6, 12);
  });

  it('a Messages stream cut after its start counts what arrived, partial', async () => {
    anthropic.handle((_request, res) => {
      startSse(res);
      res.write(start);
      res.write(anthropicEvent({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }));
      res.write(anthropicEvent({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } }));
      setTimeout(() => res.destroy(), 20);
    });
    const response = await fetch(`${gateway.origin}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-provider': 'anthropic', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-3-5-haiku-20241022', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }], stream: true }),
    });
    const text = await response.text();
    expect(text).toContain('event: error');
    const line = await lineFor(response.headers.get('x-request-id'));
    expect(line.usage).toEqual({ prompt_tokens: 1210, completion_tokens: 1, cache_read_tokens: 1000, cache_write_tokens: 200, partial: true });
    expect(line.cost_usd as number).toBeCloseTo(haiku(1), 12);
  });
});
