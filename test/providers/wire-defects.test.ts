/**
 * The wire defects found by replaying other gateways' bug reports, each with the test
 * that would have caught it, end to end over HTTP against mocks that refuse what the real
 * APIs refuse.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chatCompletion, chunk, sendJson, startMockUpstream, startSse, type MockUpstream } from '../helpers/mock-upstream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { anthropicEvent, anthropicMessage, streamEvents, validatingAnthropic } from '../helpers/providers/anthropic-mock.js';
import { geminiResponse, validatingGemini, writeGeminiEvent } from '../helpers/providers/gemini-mock.js';
import { validatingOllama } from '../helpers/providers/ollama-mock.js';

let anthropic: MockUpstream;
let gemini: MockUpstream;
let openai: MockUpstream;
let groq: MockUpstream;
let openrouter: MockUpstream;
let ollama: MockUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  [anthropic, gemini, openai, groq, openrouter, ollama] = await Promise.all(Array.from({ length: 6 }, () => startMockUpstream()));
  gateway = await startGateway({
    ANTHROPIC_BASE_URL: anthropic.origin,
    GEMINI_BASE_URL: gemini.origin,
    OPENAI_BASE_URL: `${openai.origin}/v1`,
    GROQ_BASE_URL: `${groq.origin}/v1`,
    OPENROUTER_BASE_URL: `${openrouter.origin}/api/v1`,
    OLLAMA_BASE_URL: ollama.origin,
    GATEWAY_RETRIES: '1',
    GATEWAY_RETRY_BASE_MS: '1',
    GATEWAY_CIRCUIT_FAILURES: '1000',
  });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([anthropic, gemini, openai, groq, openrouter, ollama].map((mock) => mock.close()));
});

beforeEach(() => {
  for (const mock of [anthropic, gemini, openai, groq, openrouter, ollama]) mock.requests.length = 0;
});

const sdk = (provider: string, headers: Record<string, string> = {}) =>
  new OpenAI({ apiKey: 'sk-client', baseURL: `${gateway.origin}/v1`, maxRetries: 0, defaultHeaders: { 'x-provider': provider, ...headers } });

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${gateway.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client', ...headers }, body: JSON.stringify(body) });

const hi = [{ role: 'user' as const, content: 'hi' }];

describe('a streamed Anthropic tool_use block with no input', () => {
  it('gives arguments "{}", never "", so that a client can JSON.parse them', async () => {
    anthropic.handle(
      validatingAnthropic((request, res) =>
        streamEvents(res, [
          anthropicEvent({ type: 'message_start', message: { ...anthropicMessage([]), stop_reason: null } }),
          anthropicEvent({ type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_time', input: {} } }),
          anthropicEvent({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '' } }),
          anthropicEvent({ type: 'content_block_stop', index: 0 }),
          anthropicEvent({ type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 3 } }),
          anthropicEvent({ type: 'message_stop' }),
        ]),
      ),
    );
    const stream = sdk('anthropic').chat.completions.stream({
      model: 'claude-sonnet-4-5',
      messages: hi,
      tools: [{ type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } }],
    });
    const final = await stream.finalChatCompletion();
    const call = final.choices[0].message.tool_calls?.[0];
    expect(call).toMatchObject({ id: 'toolu_1', function: { name: 'get_time', arguments: '{}' } });
    expect(JSON.parse((call as { function: { arguments: string } }).function.arguments)).toEqual({});
  });
});

describe('Gemini’s error inside a 200 stream, as a JSON array', () => {
  const exhausted = [{ error: { code: 429, message: 'Resource has been exhausted (e.g. check quota).', status: 'RESOURCE_EXHAUSTED' } }];

  it('becomes a 429 with Google’s message, after the gateway’s own retry', async () => {
    gemini.handle(validatingGemini((request, res) => {
      startSse(res);
      res.end(`data: ${JSON.stringify(exhausted)}\r\n\r\n`);
    }));
    const response = await post('/v1/chat/completions', { model: 'gemini-2.5-flash', messages: hi, stream: true }, { 'x-provider': 'gemini', 'x-gemini-api-key': 'g' });
    expect(response.status).toBe(429);
    expect(JSON.stringify(await response.json())).toContain('Resource has been exhausted');
    expect(gemini.requests).toHaveLength(2);
    expect(response.headers.get('x-should-retry')).toBe('false');
  });

  it('sent as a whole 200 body, it is retried and falls back like a 429', async () => {
    gemini.handle(validatingGemini((request, res) => sendJson(res, 200, exhausted)));
    openai.handle((request, res) => {
      startSse(res);
      res.write(`data: ${chunk('from openai')}\n\n`);
      res.write(`data: ${chunk(null, 'stop')}\n\n`);
      res.end('data: [DONE]\n\n');
    });
    const response = await post('/v1/chat/completions', { model: 'm', messages: hi, stream: true }, { 'x-provider': 'gemini/gemini-2.5-flash, openai/gpt-4o', 'x-gemini-api-key': 'g' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('from openai');
    expect(gemini.requests).toHaveLength(2);
    expect(openai.requests).toHaveLength(1);
  });

  it('a Gemini stream event that is an array of one answer is read as that answer', async () => {
    gemini.handle(validatingGemini((request, res) => {
      startSse(res);
      res.write(`data: ${JSON.stringify([geminiResponse([{ text: 'Hi' }])])}\r\n\r\n`);
      writeGeminiEvent(res, geminiResponse([{ text: '!' }], 'STOP'));
      res.end();
    }));
    const stream = await sdk('gemini', { 'x-gemini-api-key': 'g' }).chat.completions.create({ model: 'gemini-2.5-flash', messages: hi, stream: true });
    let text = '';
    for await (const part of stream) text += part.choices[0]?.delta.content ?? '';
    expect(text).toBe('Hi!');
  });
});

describe('an error event that is a stream’s first event is classified by its type and code', () => {
  const firstEventError = (error: Record<string, unknown>) => (request: unknown, res: Parameters<Parameters<MockUpstream['handle']>[0]>[1]) => {
    startSse(res);
    res.end(`data: ${JSON.stringify({ error })}\n\n`);
  };
  const good = (request: unknown, res: Parameters<Parameters<MockUpstream['handle']>[0]>[1]) => {
    startSse(res);
    res.write(`data: ${chunk('fine')}\n\n`);
    res.write(`data: ${chunk(null, 'stop')}\n\n`);
    res.end('data: [DONE]\n\n');
  };

  it('context_length_exceeded comes back as a 400 at once with the provider’s message: no retry, no fallback', async () => {
    const message = "This model's maximum context length is 128000 tokens. However, your messages resulted in 200000 tokens.";
    openai.handle(firstEventError({ message, type: 'invalid_request_error', code: 'context_length_exceeded', param: 'messages' }));
    groq.handle(good);
    const response = await post('/v1/chat/completions', { model: 'm', messages: hi, stream: true }, { 'x-provider': 'openai/gpt-4o, groq/llama' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string; code: string; type: string } };
    expect(body.error).toMatchObject({ message, code: 'context_length_exceeded', type: 'invalid_request_error' });
    expect(openai.requests).toHaveLength(1);
    expect(groq.requests).toHaveLength(0);
  });

  it('a rate limit is retried and falls back, as today', async () => {
    openai.handle(firstEventError({ message: 'Rate limit reached', type: 'rate_limit_error', code: 'rate_limit_exceeded' }));
    groq.handle(good);
    const response = await post('/v1/chat/completions', { model: 'm', messages: hi, stream: true }, { 'x-provider': 'openai/gpt-4o, groq/llama' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('fine');
    expect(openai.requests).toHaveLength(2);
    expect(groq.requests).toHaveLength(1);
  });

  it('on /v1/messages to Anthropic, an invalid_request_error first event is a 400 in Anthropic’s shape', async () => {
    anthropic.handle((request, res) => streamEvents(res, [anthropicEvent({ type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' } })]));
    const response = await post('/v1/messages', { model: 'claude-sonnet-4-5', max_tokens: 10, stream: true, messages: hi }, { 'x-provider': 'anthropic', 'x-api-key': 'k' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' } });
    expect(anthropic.requests).toHaveLength(1);
  });
});

describe('x-should-retry on the gateway’s own errors', () => {
  it('is false once the gateway retried, so that an SDK does not multiply the attempts', async () => {
    openai.handle((request, res) => sendJson(res, 503, { error: { message: 'busy', type: 'server_error' } }));
    const response = await post('/v1/chat/completions', { model: 'gpt-4o', messages: hi }, { 'x-provider': 'openai' });
    expect(response.status).toBe(503);
    expect(response.headers.get('x-should-retry')).toBe('false');
    expect(openai.requests).toHaveLength(2);
  });

  it('the openai SDK then makes one request to the gateway, not three', async () => {
    openai.handle((request, res) => sendJson(res, 503, { error: { message: 'busy', type: 'server_error' } }));
    const client = new OpenAI({ apiKey: 'sk', baseURL: `${gateway.origin}/openai/v1`, maxRetries: 2 });
    await expect(client.chat.completions.create({ model: 'gpt-4o', messages: hi })).rejects.toThrow();
    expect(openai.requests).toHaveLength(2);
  });

  it('is left out when the gateway made one attempt, so that the SDK may retry as it would', async () => {
    openai.handle((request, res) => sendJson(res, 503, { error: { message: 'busy', type: 'server_error' } }));
    const response = await post('/v1/chat/completions', { model: 'gpt-4o', messages: hi }, { 'x-provider': 'openai', 'x-gateway-retries': '0' });
    expect(response.status).toBe(503);
    expect(response.headers.get('x-should-retry')).toBeNull();
  });
});

describe('legacy {"role":"function"} messages are translated, not refused', () => {
  const legacy = [
    { role: 'user', content: 'Weather in Paris?' },
    { role: 'assistant', content: null, function_call: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
    { role: 'function', name: 'get_weather', content: '{"temp":21}' },
  ];
  const functions = [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }];

  it('to Gemini as a functionResponse after its functionCall', async () => {
    gemini.handle(validatingGemini((request, res) => sendJson(res, 200, geminiResponse([{ text: 'Sunny, 21°C.' }], 'STOP'))));
    const response = await post('/v1/chat/completions', { model: 'gemini-2.5-flash', messages: legacy, functions }, { 'x-provider': 'gemini', 'x-gemini-api-key': 'g' });
    expect(response.status).toBe(200);
    const sent = gemini.requests[0].json as { contents: unknown[]; tools: unknown[] };
    expect(sent.contents.slice(1)).toEqual([
      { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { name: 'get_weather', content: '{"temp":21}' } } }] },
    ]);
    expect(sent.tools).toEqual([{ functionDeclarations: [{ name: 'get_weather', parametersJsonSchema: functions[0].parameters }] }]);
  });

  it('to Anthropic as a tool_result answering its tool_use', async () => {
    anthropic.handle(validatingAnthropic((request, res) => sendJson(res, 200, anthropicMessage([{ type: 'text', text: 'Sunny.' }]))));
    const response = await post('/v1/chat/completions', { model: 'claude-sonnet-4-5', messages: legacy, functions }, { 'x-provider': 'anthropic' });
    expect(response.status).toBe(200);
    const sent = anthropic.requests[0].json as { messages: Array<{ content: Array<Record<string, unknown>> }> };
    const [use] = sent.messages[1].content;
    const [result] = sent.messages[2].content;
    expect(use).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: 'Paris' } });
    expect(result).toMatchObject({ type: 'tool_result', tool_use_id: use.id, content: '{"temp":21}' });
  });
});

describe('documented provider headers pass through', () => {
  it('OpenRouter gets HTTP-Referer and X-Title; other providers do not', async () => {
    openrouter.handle((request, res) => sendJson(res, 200, chatCompletion()));
    openai.handle((request, res) => sendJson(res, 200, chatCompletion()));
    const attribution = { 'HTTP-Referer': 'https://myapp.example', 'X-Title': 'My App' };
    expect((await post('/v1/chat/completions', { model: 'openai/gpt-4o', messages: hi }, { 'x-provider': 'openrouter', ...attribution })).status).toBe(200);
    expect(openrouter.requests[0].headers).toMatchObject({ 'http-referer': 'https://myapp.example', 'x-title': 'My App' });
    expect((await post('/v1/chat/completions', { model: 'gpt-4o', messages: hi }, { 'x-provider': 'openai', ...attribution })).status).toBe(200);
    expect(openai.requests[0].headers['http-referer']).toBeUndefined();
    expect(openai.requests[0].headers['x-title']).toBeUndefined();
  });
});

describe('Ollama passthrough', () => {
  it('reaches Ollama’s own OpenAI-compatible /v1 routes; its native names still reach /api', async () => {
    ollama.handle((request, res) => sendJson(res, 200, { ok: request.url }));
    expect(await (await post('/ollama/v1/audio/speech', { model: 'llama3.2', input: 'hi' })).json()).toEqual({ ok: '/v1/audio/speech' });
    expect(await (await fetch(`${gateway.origin}/ollama/v1/tags`)).json()).toEqual({ ok: '/api/tags' });
    expect(await (await post('/ollama/v1/show', { model: 'llama3.2' })).json()).toEqual({ ok: '/api/show' });
  });

  it('chat still goes to /api/chat', async () => {
    ollama.handle(validatingOllama((request, res) => sendJson(res, 200, { model: 'llama3.2', message: { role: 'assistant', content: 'ok' }, done: true, done_reason: 'stop' })));
    expect((await post('/ollama/v1/chat/completions', { model: 'llama3.2', messages: hi })).status).toBe(200);
    expect(ollama.requests[0].url).toBe('/api/chat');
  });
});

describe('Ollama’s model management', () => {
  it('is not passed through (Ollama takes no key): a 403, nothing sent', async () => {
    ollama.requests.length = 0;
    for (const [method, path] of [['POST', '/ollama/v1/pull'], ['DELETE', '/ollama/v1/delete'], ['POST', '/ollama/v1/copy'], ['POST', '/ollama/v1/create']]) {
      const response = await fetch(`${gateway.origin}${path}`, { method, headers: { 'content-type': 'application/json' }, body: '{"model":"llama3.2"}' });
      expect(response.status, path).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('admin_api_refused');
    }
    expect(ollama.requests).toHaveLength(0);
  });
});
