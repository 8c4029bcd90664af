/**
 * The ollama provider behind OpenAI's format, end to end over HTTP: the `openai` SDK
 * chats, streams and embeds against a mock of Ollama's native API that reads requests
 * the way Ollama does.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendJson, startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';
import { contentBeforeRelease, gate, readChatStream } from '../helpers/chat-stream.js';
import { readToEnd, readUntil } from '../helpers/held-stream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { ollamaLine, ollamaProblem, startNdjson, validatingOllama, writeLine } from '../helpers/providers/ollama-mock.js';

let ollama: MockUpstream;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  ollama = await startMockUpstream();
  gateway = await startGateway({ OLLAMA_BASE_URL: ollama.origin, GATEWAY_RETRIES: '0' });
  // Ollama needs no key: the SDK's placeholder goes nowhere but to the first provider.
  client = new OpenAI({ apiKey: 'ollama', baseURL: `${gateway.origin}/ollama/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await gateway.close();
  await ollama.close();
});

beforeEach(() => {
  ollama.requests.length = 0;
});

const last = () => ollama.requests.at(-1)!;
const weather = { type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };

describe('ollama: chat completions in, /api/chat out', () => {
  it('chats without a key: stream false, options from the sampling fields', async () => {
    ollama.handle(validatingOllama((request, res) => sendJson(res, 200, ollamaLine('Hi there!', true))));
    const answer = await fetch(`${gateway.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'ollama/llama3.2', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], max_tokens: 20, temperature: 0.3, stop: ['\n'] }),
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ object: 'chat.completion', model: 'llama3.2', choices: [{ message: { content: 'Hi there!' }, finish_reason: 'stop' }], usage: { prompt_tokens: 11, completion_tokens: 4 } });
    expect(last().url).toBe('/api/chat');
    expect(last().headers.authorization).toBeUndefined();
    expect(last().json).toEqual({
      model: 'llama3.2',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }],
      stream: false,
      options: { temperature: 0.3, num_predict: 20, stop: ['\n'] },
    });
  });

  it('the mock reads requests as Ollama does, so the tests above would catch a bad translation', () => {
    const problem = (json: Record<string, unknown>) => ollamaProblem({ method: 'POST', url: '/api/chat', headers: {}, body: '', json });
    expect(problem({ model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }] })).toMatch(/content/);
    expect(problem({ model: 'm', messages: [{ role: 'user', content: 'x', images: ['data:image/png;base64,AAAA'] }] })).toMatch(/base64/);
    expect(problem({ model: 'm', messages: [], options: { max_tokens: 3 } })).toMatch(/max_tokens/);
    expect(problem({ model: 'm', messages: [{ role: 'user', content: 'x' }] })).toBeUndefined();
  });

  it('sends the SDK’s placeholder key as a Bearer token, where an Ollama behind a proxy would read it', async () => {
    ollama.handle(validatingOllama((request, res) => sendJson(res, 200, ollamaLine('ok', true))));
    await client.chat.completions.create({ model: 'llama3.2', messages: [{ role: 'user', content: 'Hi' }] });
    expect(last().headers.authorization).toBe('Bearer ollama');
  });

  it('round-trips tools: object arguments and tool_name out, tool calls back with ids', async () => {
    ollama.handle(
      validatingOllama((request, res) => sendJson(res, 200, ollamaLine('', true, { message: { role: 'assistant', content: '', tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Oslo' } } }] } }))),
    );
    const answer = await client.chat.completions.create({
      model: 'qwen3',
      tools: [weather],
      messages: [
        { role: 'user', content: 'Weather in Paris, then Oslo?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
      ],
    });
    expect(answer.choices[0].finish_reason).toBe('tool_calls');
    expect(answer.choices[0].message.tool_calls?.[0]).toMatchObject({ type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } });
    expect((last().json?.messages as unknown[])[2]).toEqual({ role: 'tool', content: '18°C', tool_name: 'get_weather' });
  });

  it('sends data-URL images as base64 and refuses http image URLs, which Ollama cannot fetch', async () => {
    ollama.handle(validatingOllama((request, res) => sendJson(res, 200, ollamaLine('A pixel.', true))));
    await client.chat.completions.create({
      model: 'llava',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }] }],
    });
    expect((last().json?.messages as unknown[])[0]).toEqual({ role: 'user', content: 'What?', images: ['iVBORw0KGgo='] });
    const thrown = await client.chat.completions
      .create({ model: 'llava', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }] })
      .catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(OpenAI.BadRequestError);
    expect(ollama.requests).toHaveLength(1);
  });

  it('turns the NDJSON stream into SSE chunks, with the usage chunk and [DONE]', async () => {
    ollama.handle(
      validatingOllama((request, res) => {
        startNdjson(res);
        writeLine(res, ollamaLine('The sky '));
        writeLine(res, ollamaLine('is blue.'));
        res.end(`${JSON.stringify(ollamaLine('', true))}\n`);
      }),
    );
    const response = await fetch(`${gateway.origin}/ollama/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content: 'Why?' }], stream: true, stream_options: { include_usage: true } }),
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = (await response.text()).split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    expect(JSON.parse(events.at(-2)!.slice(6))).toMatchObject({ choices: [], usage: { prompt_tokens: 11, completion_tokens: 4, total_tokens: 15 } });
    const stream = await client.chat.completions.create({ model: 'llama3.2', messages: [{ role: 'user', content: 'Why?' }], stream: true });
    expect((await readChatStream(stream)).text).toBe('The sky is blue.');
    expect(last().json?.stream).toBe(true);
  });

  it('translates as lines arrive: the first text is at the client while Ollama still holds the rest', async () => {
    const { held, release } = gate();
    ollama.handle(async (request, res) => {
      startNdjson(res);
      writeLine(res, ollamaLine('first'));
      await held;
      writeLine(res, ollamaLine(' second'));
      res.end(`${JSON.stringify(ollamaLine('', true))}\n`);
    });
    const stream = await client.chat.completions.create({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }], stream: true });
    expect(await contentBeforeRelease(stream, 'first', release)).toBe(' second');
  });

  it('an error line mid-stream ends the stream with an error and no [DONE]', async () => {
    const { held, release } = gate();
    ollama.handle(async (request, res) => {
      startNdjson(res);
      writeLine(res, ollamaLine('partial'));
      await held;
      res.end(`${JSON.stringify({ error: 'an error was encountered while running the model: unexpected EOF' })}\n`);
    });
    const response = await fetch(`${gateway.origin}/ollama/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content: 'hi' }], stream: true }),
    });
    const reader = response.body!.getReader();
    const before = await readUntil(reader, '"content":"partial"', 3000);
    release();
    const text = before + (await readToEnd(reader, 3000));
    expect(text).toMatch(/data: \{"error":\{"message":"an error was encountered while running the model: unexpected EOF"/);
    expect(text).not.toContain('[DONE]');
  });

  it('embeds through /api/embed, in the SDK’s default base64 encoding', async () => {
    ollama.handle(validatingOllama((request, res) => sendJson(res, 200, { model: 'all-minilm', embeddings: [[0.25, -0.5], [1, 2]], prompt_eval_count: 6 })));
    const result = await client.embeddings.create({ model: 'all-minilm', input: ['a', 'b'] });
    expect(result.data.map((item) => item.embedding)).toEqual([[0.25, -0.5], [1, 2]]);
    expect(result.usage).toEqual({ prompt_tokens: 6, total_tokens: 6 });
    expect(last().json).toEqual({ model: 'all-minilm', input: ['a', 'b'] });
  });

  it('maps Ollama’s error body to OpenAI’s shape with Ollama’s status', async () => {
    ollama.handle((request, res) => sendJson(res, 404, { error: 'model "llama9" not found, try pulling it first' }));
    const thrown = await client.chat.completions.create({ model: 'llama9', messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(OpenAI.NotFoundError);
    expect((thrown as InstanceType<typeof OpenAI.NotFoundError>).message).toContain('model "llama9" not found');
  });

  it('serves /v1/messages through two translations: Messages to chat to /api/chat, and back', async () => {
    ollama.handle(validatingOllama((request, res) => sendJson(res, 200, ollamaLine('Hello from Ollama', true))));
    const anthropic = new Anthropic({ apiKey: 'unused', baseURL: `${gateway.origin}/ollama`, maxRetries: 0 });
    const message = await anthropic.messages.create({ model: 'llama3.2', max_tokens: 30, messages: [{ role: 'user', content: 'Hello' }] });
    expect(message).toMatchObject({ type: 'message', content: [{ type: 'text', text: 'Hello from Ollama' }], stop_reason: 'end_turn', usage: { input_tokens: 11, output_tokens: 4 } });
    expect(last().json).toMatchObject({ stream: false, options: { num_predict: 30 } });
  });
});
