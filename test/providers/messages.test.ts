/**
 * `POST /v1/messages` with the official `@anthropic-ai/sdk`: straight through to the
 * anthropic provider, and translated for an OpenAI-compatible one (whose mock refuses
 * anything OpenAI would), answers and streams included.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chatCompletion, chunk, sendJson, sleep, startMockUpstream, startSse, type MockUpstream } from '../helpers/mock-upstream.js';
import { gate } from '../helpers/chat-stream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { readToEnd, readUntil } from '../helpers/held-stream.js';
import { anthropicMessage, anthropicTextEvents, overloadedAfter, streamEvents, validatingAnthropic } from '../helpers/providers/anthropic-mock.js';
import { validatingOpenAI } from '../helpers/providers/openai-mock.js';

let anthropic: MockUpstream;
let openai: MockUpstream;
let gateway: TestGateway;
/** Talks to `/v1/messages`, which goes to anthropic (the chain's default here). */
let direct: Anthropic;
/** Talks to `/openai/v1/messages`: the same SDK, translated for OpenAI. */
let translated: Anthropic;

beforeAll(async () => {
  [anthropic, openai] = await Promise.all([startMockUpstream(), startMockUpstream()]);
  gateway = await startGateway({ ANTHROPIC_BASE_URL: anthropic.origin, OPENAI_BASE_URL: `${openai.origin}/v1`, DEFAULT_PROVIDER: 'anthropic', GATEWAY_RETRIES: '0' });
  direct = new Anthropic({ apiKey: 'sk-ant-client', baseURL: gateway.origin, maxRetries: 0 });
  translated = new Anthropic({ apiKey: 'sk-openai-client', baseURL: `${gateway.origin}/openai`, maxRetries: 0 });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([anthropic.close(), openai.close()]);
});

beforeEach(() => {
  anthropic.requests.length = 0;
  openai.requests.length = 0;
});

const weatherTool = { name: 'get_weather', description: 'Weather for a city', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } };

describe('/v1/messages to anthropic: straight through', () => {
  it('messages.create: the SDK’s own body and headers reach Anthropic, the answer comes back untouched', async () => {
    const answer = anthropicMessage([{ type: 'text', text: 'Hi!' }]);
    anthropic.handle(validatingAnthropic((request, res) => sendJson(res, 200, answer)));
    const message = await direct.messages.create(
      { model: 'claude-3-5-haiku-latest', max_tokens: 100, system: 'Be kind.', messages: [{ role: 'user', content: 'Hello' }] },
      { headers: { 'anthropic-beta': 'prompt-caching-2024-07-31', 'anthropic-version': '2023-01-01' } },
    );
    expect(message).toEqual(answer);
    const [request] = anthropic.requests;
    expect(request.url).toBe('/v1/messages');
    expect(request.json).toEqual({ model: 'claude-3-5-haiku-latest', max_tokens: 100, system: 'Be kind.', messages: [{ role: 'user', content: 'Hello' }] });
    // The client's own anthropic-version wins over the gateway's default.
    expect(request.headers).toMatchObject({ 'x-api-key': 'sk-ant-client', 'anthropic-version': '2023-01-01', 'anthropic-beta': 'prompt-caching-2024-07-31' });
    expect(request.headers.authorization).toBeUndefined();
  });

  it('messages.stream: Anthropic’s events reach the SDK as they were', async () => {
    anthropic.handle(validatingAnthropic((request, res) => streamEvents(res, anthropicTextEvents(['Hel', 'lo']))));
    const texts: string[] = [];
    const stream = direct.messages.stream({ model: 'claude-3-5-haiku-latest', max_tokens: 100, messages: [{ role: 'user', content: 'Hello' }] });
    stream.on('text', (text) => texts.push(text));
    const final = await stream.finalMessage();
    expect(texts).toEqual(['Hel', 'lo']);
    expect(final).toMatchObject({ content: [{ type: 'text', text: 'Hello' }], stop_reason: 'end_turn', usage: { input_tokens: 12, output_tokens: 6 } });
    expect(anthropic.requests[0].json?.stream).toBe(true);
  });

  it('an error event in Anthropic’s stream ends the client’s stream with that error, its type kept', async () => {
    const { held, release } = gate();
    anthropic.handle(overloadedAfter(held));
    const response = await fetch(`${gateway.origin}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
      body: JSON.stringify({ model: 'claude-3-5-haiku-latest', max_tokens: 20, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    const reader = response.body!.getReader();
    const before = await readUntil(reader, '"text":"partial"', 3000);
    release();
    const text = before + (await readToEnd(reader, 3000));
    expect(text).toMatch(/event: error\ndata: \{"type":"error","error":\{"type":"overloaded_error","message":"[^"]*Overloaded"\}\}\n\n$/);
    expect(text).not.toContain('message_stop');
  });

  it('a chain entry’s model replaces the body’s, and Anthropic’s own error comes back in its own shape', async () => {
    anthropic.handle(validatingAnthropic((request, res) => sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: `model: ${String(request.json?.model)}` } })));
    const thrown = await direct.messages
      .create({ model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, { headers: { 'x-provider': 'anthropic/claude-renamed' } })
      .catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(Anthropic.NotFoundError);
    expect((thrown as InstanceType<typeof Anthropic.NotFoundError>).error).toEqual({ type: 'error', error: { type: 'not_found_error', message: 'model: claude-renamed' } });
  });
});

describe('/v1/messages to an OpenAI-compatible provider: translated', () => {
  it('messages.create: an Anthropic request becomes a valid chat request, and the answer an Anthropic message', async () => {
    openai.handle(validatingOpenAI((request, res) => sendJson(res, 200, chatCompletion('Bonjour !', 'gpt-4o-mini'))));
    const message = await translated.messages.create({
      model: 'gpt-4o-mini',
      max_tokens: 64,
      system: 'Answer in French.',
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(message).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'text', text: 'Bonjour !' }], stop_reason: 'end_turn', usage: { input_tokens: 9, output_tokens: 3 } });
    const [request] = openai.requests;
    expect(request.headers.authorization).toBe('Bearer sk-openai-client');
    expect(request.headers['anthropic-version']).toBeUndefined();
    // OpenAI's reasoning models take only max_completion_tokens, so that is what OpenAI gets.
    expect(request.json).toEqual({ model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'Answer in French.' }, { role: 'user', content: 'Hello' }], max_completion_tokens: 64 });
  });

  it('messages.create with tools: tool_use and tool_result go over as tool calls, a tool call comes back as tool_use', async () => {
    openai.handle(
      validatingOpenAI((request, res) => {
        const answer = chatCompletion('', 'gpt-4o');
        (answer.choices as Array<Record<string, unknown>>)[0] = {
          index: 0,
          message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } }] },
          finish_reason: 'tool_calls',
        };
        sendJson(res, 200, answer);
      }),
    );
    const message = await translated.messages.create({
      model: 'gpt-4o',
      max_tokens: 200,
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'Weather in Paris, then Rome?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '18°C' }] },
      ],
    });
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toEqual([{ type: 'tool_use', id: 'call_2', name: 'get_weather', input: { city: 'Rome' } }]);
    expect(openai.requests[0].json?.messages).toEqual([
      { role: 'user', content: 'Weather in Paris, then Rome?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'toolu_1', content: '18°C' },
    ]);
  });

  it('messages.stream: OpenAI chunks become Anthropic events the SDK assembles, text and tool input', async () => {
    openai.handle(
      validatingOpenAI((request, res) => {
        startSse(res);
        res.write(`data: ${chunk('Let me ')}\n\n`);
        res.write(`data: ${chunk('check.')}\n\n`);
        const call = (delta: Record<string, unknown>) => JSON.stringify({ id: 'chatcmpl-9', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [{ index: 0, delta: { tool_calls: [delta] }, finish_reason: null }] });
        res.write(`data: ${call({ index: 0, id: 'call_7', type: 'function', function: { name: 'get_weather', arguments: '' } })}\n\n`);
        res.write(`data: ${call({ index: 0, function: { arguments: '{"city":' } })}\n\n`);
        res.write(`data: ${call({ index: 0, function: { arguments: '"Oslo"}' } })}\n\n`);
        res.write(`data: ${chunk(null, 'tool_calls')}\n\n`);
        res.write(`data: ${JSON.stringify({ id: 'chatcmpl-9', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [], usage: { prompt_tokens: 40, completion_tokens: 12, total_tokens: 52 } })}\n\n`);
        res.end('data: [DONE]\n\n');
      }),
    );
    const stream = translated.messages.stream({ model: 'gpt-4o', max_tokens: 200, tools: [weatherTool], messages: [{ role: 'user', content: 'Weather in Oslo?' }] });
    const final = await stream.finalMessage();
    expect(final.content).toEqual([
      expect.objectContaining({ type: 'text', text: 'Let me check.' }),
      { type: 'tool_use', id: 'call_7', name: 'get_weather', input: { city: 'Oslo' } },
    ]);
    expect(final.stop_reason).toBe('tool_use');
    expect(final.usage).toMatchObject({ input_tokens: 40, output_tokens: 12 });
    expect(openai.requests[0].json).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('streams as chunks arrive: the first text is at the client while the provider holds the rest', async () => {
    const { held, release } = gate();
    openai.handle(async (request, res) => {
      startSse(res);
      res.write(`data: ${chunk('first')}\n\n`);
      await held;
      res.write(`data: ${chunk(' second', 'stop')}\n\n`);
      res.end('data: [DONE]\n\n');
    });
    const stream = translated.messages.stream({ model: 'gpt-4o', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] });
    const firstText = new Promise<string>((resolve) => stream.once('text', resolve));
    expect(await Promise.race([firstText, sleep(3000).then(() => 'timed out')])).toBe('first');
    release();
    expect(await stream.finalText()).toBe('first second');
  });

  it('a stream cut before its finish ends with an Anthropic error event, which the SDK raises', async () => {
    openai.handle((request, res) => {
      startSse(res);
      res.write(`data: ${chunk('partial')}\n\n`);
      res.end();
    });
    const response = await fetch(`${gateway.origin}/openai/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
      body: JSON.stringify({ model: 'gpt-4o', max_tokens: 20, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    const text = await response.text();
    expect(text.startsWith('event: message_start\n')).toBe(true);
    expect(text).toMatch(/event: error\ndata: \{"type":"error","error":\{"type":"api_error","message":"Provider openai closed the stream before it finished"\}\}\n\n$/);
    expect(text).not.toContain('message_stop');
    const stream = translated.messages.stream({ model: 'gpt-4o', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] });
    await expect(stream.finalMessage()).rejects.toThrow(/closed the stream before it finished/);
  });

  it('the provider’s error comes back in Anthropic’s shape with its status', async () => {
    openai.handle((request, res) => sendJson(res, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }));
    const thrown = await translated.messages.create({ model: 'gpt-4o', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((thrown as InstanceType<typeof Anthropic.AuthenticationError>).error).toEqual({ type: 'error', error: { type: 'authentication_error', message: 'Incorrect API key provided' } });
  });

  it('refuses a Messages body the translation cannot read, naming the field in Anthropic’s error shape, before calling the provider', async () => {
    const response = await fetch(`${gateway.origin}/openai/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('max_tokens') } });
    expect(openai.requests).toHaveLength(0);
  });
});
