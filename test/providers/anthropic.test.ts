/**
 * The anthropic provider behind OpenAI's format, end to end over HTTP: the `openai` SDK
 * chats and streams against a mock that refuses what Anthropic would refuse, so a
 * translation that Anthropic would not accept fails here.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendJson, startMockUpstream, startSse, type MockUpstream } from '../helpers/mock-upstream.js';
import { contentBeforeRelease, gate, readChatStream } from '../helpers/chat-stream.js';
import { readToEnd, readUntil } from '../helpers/held-stream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { anthropicEvent, anthropicMessage, anthropicProblem, anthropicTextEvents, overloadedAfter, streamEvents, validatingAnthropic } from '../helpers/providers/anthropic-mock.js';

let anthropic: MockUpstream;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  anthropic = await startMockUpstream();
  gateway = await startGateway({ ANTHROPIC_BASE_URL: anthropic.origin, GATEWAY_RETRIES: '0' });
  client = new OpenAI({ apiKey: 'sk-ant-client', baseURL: `${gateway.origin}/anthropic/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await gateway.close();
  await anthropic.close();
});

beforeEach(() => {
  anthropic.requests.length = 0;
});

const last = () => anthropic.requests.at(-1)!;

describe('anthropic: chat completions in, Messages out', () => {
  it('chats: system messages to `system`, a default max_tokens, the key in x-api-key with anthropic-version', async () => {
    anthropic.handle(validatingAnthropic((request, res) => sendJson(res, 200, anthropicMessage([{ type: 'text', text: 'Bonjour !' }]))));
    const answer = await client.chat.completions.create({
      model: 'claude-3-5-haiku-latest',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'system', content: 'Answer in French.' },
        { role: 'user', content: 'Hello' },
      ],
      // Anthropic refuses a whitespace-only stop sequence with a 400: it is left out.
      stop: ['\n\n', 'END'],
      temperature: 0.5,
    });
    expect(answer.choices[0]).toMatchObject({ message: { role: 'assistant', content: 'Bonjour !' }, finish_reason: 'stop' });
    expect(answer.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 });
    expect(last().url).toBe('/v1/messages');
    expect(last().headers).toMatchObject({ 'x-api-key': 'sk-ant-client', 'anthropic-version': '2023-06-01' });
    expect(last().headers.authorization).toBeUndefined();
    expect(last().json).toMatchObject({ max_tokens: 4096, system: [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: 'Answer in French.' }], stop_sequences: ['END'] });
  });

  it('the mock refuses what Anthropic refuses, so the tests above would catch a bad translation', () => {
    const base = { method: 'POST', url: '/v1/messages', headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' }, body: '' };
    const problem = (json: Record<string, unknown>) => anthropicProblem({ ...base, json });
    const message = { role: 'user', content: 'hi' };
    expect(problem({ model: 'm', messages: [message] })).toMatch(/max_tokens/);
    expect(problem({ model: 'm', max_tokens: 5, messages: [{ role: 'system', content: 'x' }, message] })).toMatch(/system/);
    expect(problem({ model: 'm', max_tokens: 5, messages: [{ role: 'tool', content: 'x' }] })).toMatch(/role/);
    expect(problem({ model: 'm', max_tokens: 5, messages: [message], n: 2 })).toMatch(/Extra inputs/);
    expect(problem({ model: 'm', max_tokens: 5, messages: [message] })).toBeUndefined();
  });

  it('round-trips tools: tool_calls and tool results as tool_use / tool_result blocks, tool_use back as tool_calls', async () => {
    anthropic.handle(
      validatingAnthropic((request, res) =>
        sendJson(res, 200, anthropicMessage([{ type: 'tool_use', id: 'toolu_02', name: 'get_weather', input: { city: 'Oslo' } }], 'tool_use')),
      ),
    );
    const answer = await client.chat.completions.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 300,
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      messages: [
        { role: 'user', content: 'Weather in Paris, then Oslo?' },
        { role: 'assistant', content: '', tool_calls: [{ id: 'toolu_01', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'toolu_01', content: '18°C' },
      ],
    });
    expect(answer.choices[0].finish_reason).toBe('tool_calls');
    expect(answer.choices[0].message.tool_calls).toEqual([{ id: 'toolu_02', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }]);
    expect(last().json?.tool_choice).toEqual({ type: 'tool', name: 'get_weather' });
    expect(last().json?.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris, then Oslo?' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: '18°C' }] },
    ]);
  });

  it('sends image parts as image blocks, data URLs as base64 and http URLs as url sources', async () => {
    anthropic.handle(validatingAnthropic((request, res) => sendJson(res, 200, anthropicMessage([{ type: 'text', text: 'Two images.' }]))));
    await client.chat.completions.create({
      model: 'claude-3-5-sonnet-latest',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQSkZJRg==' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
            { type: 'text', text: 'Describe both.' },
          ],
        },
      ],
    });
    expect((last().json?.messages as Array<{ content: unknown[] }>)[0].content.slice(0, 2)).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQSkZJRg==' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
    ]);
  });

  it('streams: text deltas, the finish reason, the usage chunk, then [DONE]', async () => {
    anthropic.handle(validatingAnthropic((request, res) => streamEvents(res, anthropicTextEvents(['Hel', 'lo', ' world']))));
    const stream = await client.chat.completions.create({
      model: 'claude-3-5-haiku-latest',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const { text, finish, usage } = await readChatStream(stream);
    expect(text).toBe('Hello world');
    expect(finish).toBe('stop');
    expect(usage).toEqual({ prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 });
    expect(last().json?.stream).toBe(true);
    expect(last().json).not.toHaveProperty('stream_options');
  });

  it('streams tool calls: input_json_delta becomes argument deltas the SDK assembles', async () => {
    anthropic.handle(
      validatingAnthropic((request, res) =>
        streamEvents(res, [
          anthropicTextEvents([])[0],
          anthropicEvent({ type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_9', name: 'get_weather', input: {} } }),
          anthropicEvent({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"ci' } }),
          anthropicEvent({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: 'ty":"Rome"}' } }),
          anthropicEvent({ type: 'content_block_stop', index: 0 }),
          anthropicEvent({ type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 20 } }),
          anthropicEvent({ type: 'message_stop' }),
        ]),
      ),
    );
    const runner = client.chat.completions.stream({
      model: 'claude-sonnet-4-5',
      messages: [{ role: 'user', content: 'Weather in Rome?' }],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } }],
    });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0].finish_reason).toBe('tool_calls');
    expect(final.choices[0].message.tool_calls?.[0]).toMatchObject({ id: 'toolu_9', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } });
  });

  it('translates as events arrive: the first text is at the client while Anthropic still holds the rest', async () => {
    const { held, release } = gate();
    const events = anthropicTextEvents(['first', ' second']);
    anthropic.handle(async (request, res) => {
      startSse(res);
      for (const event of events.slice(0, 4)) res.write(event);
      await held;
      for (const event of events.slice(4)) res.write(event);
      res.end();
    });
    const stream = await client.chat.completions.create({ model: 'claude-3-5-haiku-latest', messages: [{ role: 'user', content: 'hi' }], stream: true });
    expect(await contentBeforeRelease(stream, 'first', release)).toBe(' second');
  });

  it('an error event mid-stream ends the stream with an error and no [DONE]', async () => {
    const { held, release } = gate();
    anthropic.handle(overloadedAfter(held));
    const response = await fetch(`${gateway.origin}/anthropic/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
      body: JSON.stringify({ model: 'claude-3-5-haiku-latest', messages: [{ role: 'user', content: 'hi' }], stream: true }),
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const before = await readUntil(reader, '"content":"partial"', 3000);
    release();
    const text = before + (await readToEnd(reader, 3000));
    expect(text).toMatch(/data: \{"error":\{"message":"Overloaded"/);
    expect(text).not.toContain('[DONE]');
  });

  it('maps Anthropic’s error body to OpenAI’s shape with Anthropic’s status', async () => {
    anthropic.handle(validatingAnthropic(() => undefined));
    const thrown = await client.chat.completions
      .create({ model: 'claude-3-5-haiku-latest', messages: [{ role: 'user', content: 'hi' }], temperature: 1.5 })
      .catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(OpenAI.BadRequestError);
    const error = (thrown as InstanceType<typeof OpenAI.BadRequestError>).error as Record<string, unknown>;
    expect(error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_request_error', message: 'temperature: Input should be between 0 and 1' });
  });

  it('refuses, before calling Anthropic, what Messages cannot express', async () => {
    const thrown = await client.chat.completions.create({ model: 'claude-3-5-haiku-latest', messages: [{ role: 'user', content: 'hi' }], n: 2 }).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(OpenAI.BadRequestError);
    expect((thrown as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('n');
    expect(anthropic.requests).toHaveLength(0);
  });
});
