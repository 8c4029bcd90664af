/**
 * docs/api.md "Responses": `POST /v1/responses` through every provider with the official
 * `openai` SDK as the client (`responses.create`, `responses.stream()`, `retrieve`,
 * `inputItems.list`, `delete`), translated over chat for Anthropic, Gemini, Ollama's native
 * API and a chat-only custom provider (each mock refusing what the real API refuses), and
 * passed through to a provider that serves it; stored responses scoped to their tenant; a
 * conversation continued with `previous_response_id` on another provider; a stream cut
 * mid-way ending in `response.failed`.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { chunk, sendJson, sleep, startMockUpstream, startSse, type MockHandler, type MockUpstream, type RecordedRequest } from '../helpers/mock-upstream.js';
import { anthropicEvent, anthropicMessage, validatingAnthropic } from '../helpers/providers/anthropic-mock.js';
import { geminiResponse, validatingGemini, writeGeminiEvent } from '../helpers/providers/gemini-mock.js';
import { ollamaLine, startNdjson, validatingOllama, writeLine } from '../helpers/providers/ollama-mock.js';
import { validatingOpenAI } from '../helpers/providers/openai-mock.js';

type Json = Record<string, unknown>;
/** What a scripted model says: text, or a call of the first tool it was given. */
type Turn = { text: string } | { call: { name: string; arguments: string } };

let local: MockUpstream;
let anthropic: MockUpstream;
let gemini: MockUpstream;
let ollama: MockUpstream;
let native: MockUpstream;
let gateway: TestGateway;
/** What the next answer of each mock says. */
let script: Turn[] = [];
const next = (): Turn => script.shift() ?? { text: 'Hello from the model.' };

/** The chat-only provider: OpenAI's chat format. */
const chatHandler: MockHandler = validatingOpenAI((request, res) => {
  const turn = next();
  const message = 'text' in turn ? { role: 'assistant', content: turn.text } : { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: turn.call }] };
  const finish = 'text' in turn ? 'stop' : 'tool_calls';
  if (request.json?.stream) {
    startSse(res);
    if ('text' in turn) {
      for (const word of turn.text.split(/(?<= )/)) res.write(`data: ${chunk(word)}\n\n`);
    } else {
      res.write(`data: ${JSON.stringify({ id: 'c', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: turn.call.name, arguments: '' } }] }, finish_reason: null }] })}\n\n`);
      res.write(`data: ${JSON.stringify({ id: 'c', choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: turn.call.arguments } }] }, finish_reason: null }] })}\n\n`);
    }
    res.write(`data: ${chunk(null, finish)}\n\n`);
    res.write(`data: ${JSON.stringify({ id: 'c', choices: [], usage: { prompt_tokens: 11, completion_tokens: 4, total_tokens: 15 } })}\n\n`);
    return void res.end('data: [DONE]\n\n');
  }
  sendJson(res, 200, { id: 'c', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message, finish_reason: finish }], usage: { prompt_tokens: 11, completion_tokens: 4, total_tokens: 15 } });
});

const anthropicHandler: MockHandler = validatingAnthropic((request, res) => {
  const turn = next();
  const block = 'text' in turn ? { type: 'text', text: turn.text } : { type: 'tool_use', id: 'toolu_1', name: turn.call.name, input: JSON.parse(turn.call.arguments) };
  const stop = 'text' in turn ? 'end_turn' : 'tool_use';
  if (!request.json?.stream) return sendJson(res, 200, anthropicMessage([block], stop));
  startSse(res);
  res.write(anthropicEvent({ type: 'message_start', message: { ...anthropicMessage([], stop), stop_reason: null } }));
  res.write(anthropicEvent({ type: 'content_block_start', index: 0, content_block: 'text' in turn ? { type: 'text', text: '' } : { ...block, input: {} } }));
  res.write(anthropicEvent({ type: 'content_block_delta', index: 0, delta: 'text' in turn ? { type: 'text_delta', text: turn.text } : { type: 'input_json_delta', partial_json: turn.call.arguments } }));
  res.write(anthropicEvent({ type: 'content_block_stop', index: 0 }));
  res.write(anthropicEvent({ type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 6 } }));
  res.end(anthropicEvent({ type: 'message_stop' }));
});

const geminiHandler: MockHandler = validatingGemini((request, res) => {
  const turn = next();
  const part = 'text' in turn ? { text: turn.text } : { functionCall: { name: turn.call.name, args: JSON.parse(turn.call.arguments) } };
  if (!request.url.includes('streamGenerateContent')) return sendJson(res, 200, geminiResponse([part], 'STOP'));
  startSse(res);
  writeGeminiEvent(res, geminiResponse([part], 'STOP'));
  res.end();
});

const ollamaHandler: MockHandler = validatingOllama((request, res) => {
  const turn = next();
  const extra = 'text' in turn ? {} : { message: { role: 'assistant', content: '', tool_calls: [{ function: { name: turn.call.name, arguments: JSON.parse(turn.call.arguments) } }] } };
  const last = ollamaLine('text' in turn ? turn.text : '', true, extra);
  if (request.json?.stream === false) return sendJson(res, 200, last);
  startNdjson(res);
  writeLine(res, ollamaLine('text' in turn ? turn.text : ''));
  res.end(`${JSON.stringify({ ...last, message: { ...(last.message as Json), content: '' } })}\n`);
});

/** A provider that serves the Responses API itself, as OpenAI does (it also keeps what it makes). */
let nativeCount = 0;
const nativeHandler: MockHandler = (request, res) => {
  if (request.url !== '/v1/responses') return sendJson(res, 404, { error: { message: `no route ${request.url}` } });
  const body = request.json as Json;
  if (typeof body.previous_response_id === 'string' && !body.previous_response_id.startsWith('resp_native_')) {
    return sendJson(res, 400, { error: { message: `Previous response with id '${body.previous_response_id}' not found.`, type: 'invalid_request_error', param: 'previous_response_id', code: 'previous_response_not_found' } });
  }
  const id = `resp_native_${++nativeCount}`;
  const output = [{ type: 'message', id: `msg_native_${nativeCount}`, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Native answer.', annotations: [] }] }];
  const response = { id, object: 'response', created_at: 1_800_000_000, status: 'completed', model: body.model, output, usage: { input_tokens: 3, output_tokens: 2, total_tokens: 5, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } } };
  sendJson(res, 200, response);
};

beforeAll(async () => {
  [local, anthropic, gemini, ollama, native] = await Promise.all([
    startMockUpstream(chatHandler),
    startMockUpstream(anthropicHandler),
    startMockUpstream(geminiHandler),
    startMockUpstream(ollamaHandler),
    startMockUpstream(nativeHandler),
  ]);
  gateway = await startGateway({
    GATEWAY_PROVIDERS: `local=${local.origin}/v1`,
    ANTHROPIC_BASE_URL: anthropic.origin,
    GEMINI_BASE_URL: gemini.origin,
    OLLAMA_BASE_URL: ollama.origin,
    OPENAI_BASE_URL: `${native.origin}/v1`,
    GATEWAY_RESPONSES_DIR: join(mkdtempSync(join(tmpdir(), 'responses-api-')), 'responses'),
    GATEWAY_RETRY_BASE_MS: '1',
  });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([local, anthropic, gemini, ollama, native].map((mock) => mock.close()));
});

beforeEach(() => {
  script = [];
  for (const mock of [local, anthropic, gemini, ollama, native]) mock.requests.length = 0;
});

const client = (provider: string, apiKey = 'sk-tenant-a') => new OpenAI({ apiKey, baseURL: `${gateway.origin}/${provider}/v1`, maxRetries: 0 });

const MODELS: Record<string, string> = { local: 'm', anthropic: 'claude-sonnet-4-5', gemini: 'gemini-2.5-flash', ollama: 'qwen3' };
const MOCKS = (): Record<string, MockUpstream> => ({ local, anthropic, gemini, ollama });
const TRANSLATED = Object.keys(MODELS);

const weatherTool = { type: 'function' as const, name: 'get_weather', description: 'Weather in a city', strict: false, parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

/** The text of a response's messages (what the SDK's `output_text` gives on a non-stream answer). */
function outputText(response: { output: unknown[] }): string {
  return (response.output as { type: string; content?: { type: string; text?: string }[] }[])
    .filter((item) => item.type === 'message')
    .flatMap((item) => item.content ?? [])
    .map((part) => part.text ?? '')
    .join('');
}

/** The text of every message a mock received in its last request, in its own dialect's terms. */
function sentText(request: RecordedRequest): string {
  return JSON.stringify(request.json);
}

describe.each(TRANSLATED)('Responses translated for %s', (provider) => {
  it('responses.create answers with output_text, usage in the Responses names, and is stored at once', async () => {
    script = [{ text: 'Paris is the capital.' }];
    const openai = client(provider);
    const response = await openai.responses.create({ model: MODELS[provider], input: 'Capital of France?', instructions: 'Be brief.', max_output_tokens: 100 });
    expect(response.object).toBe('response');
    expect(response.id).toMatch(/^resp_/);
    expect(response.status).toBe('completed');
    expect(response.output_text).toBe('Paris is the capital.');
    expect(response.usage?.input_tokens).toBeGreaterThan(0);
    expect(response.usage?.output_tokens).toBeGreaterThan(0);
    const [sent] = MOCKS()[provider].requests;
    expect(sentText(sent)).toContain('Capital of France?');
    expect(sentText(sent)).toContain('Be brief.');
    // Stored before the answer reached the client: retrievable at once, with its input items.
    const stored = await openai.responses.retrieve(response.id);
    expect(stored.output_text).toBe('Paris is the capital.');
    const items = await openai.responses.inputItems.list(response.id);
    expect(items.data).toEqual([expect.objectContaining({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Capital of France?' }] })]);
  });

  it('responses.stream() with finalResponse(): the events in order, numbered, and the whole answer', async () => {
    script = [{ text: 'Streamed words arrive.' }];
    const stream = client(provider).responses.stream({ model: MODELS[provider], input: 'Say something' });
    const types: string[] = [];
    const numbers: number[] = [];
    stream.on('event', (event) => {
      types.push(event.type);
      numbers.push(event.sequence_number);
    });
    const final = await stream.finalResponse();
    expect(outputText(final)).toBe('Streamed words arrive.');
    expect(final.status).toBe('completed');
    expect(types.slice(0, 4)).toEqual(['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added']);
    expect(types).toContain('response.output_text.delta');
    expect(types.at(-1)).toBe('response.completed');
    expect(numbers).toEqual(numbers.map((_, index) => index));
    expect((await client(provider).responses.retrieve(final.id)).output_text).toBe('Streamed words arrive.');
  });

  it('a function-call round trip: the call as a function_call item, its output continued by previous_response_id', async () => {
    script = [{ call: { name: 'get_weather', arguments: '{"city":"Paris"}' } }, { text: 'It is 18C in Paris.' }];
    const openai = client(provider);
    const first = await openai.responses.create({ model: MODELS[provider], input: 'Weather in Paris?', tools: [weatherTool] });
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({ type: 'function_call', name: 'get_weather', arguments: '{"city":"Paris"}' });
    const callId = (call as { call_id: string }).call_id;
    const second = await openai.responses.create({
      model: MODELS[provider],
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: callId, output: '18C' }],
      tools: [weatherTool],
    });
    expect(second.output_text).toBe('It is 18C in Paris.');
    expect(second.previous_response_id).toBe(first.id);
    // The provider got the whole conversation: the question, the call and its output.
    const sent = sentText(MOCKS()[provider].requests[1]);
    expect(sent).toContain('Weather in Paris?');
    expect(sent).toContain('get_weather');
    expect(sent).toContain('18C');
  });

  it('structured output: text.format json_schema reaches the provider as its own structured output', async () => {
    script = [{ text: '{"city":"Paris"}' }];
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
    const response = await client(provider).responses.create({ model: MODELS[provider], input: 'A city, as JSON', text: { format: { type: 'json_schema', name: 'city', schema, strict: true } } });
    expect(JSON.parse(response.output_text)).toEqual({ city: 'Paris' });
    const sent = sentText(MOCKS()[provider].requests[0]);
    expect(sent).toMatch(/"city"/);
    expect(sent).toMatch(/schema|format|responseSchema|responseJsonSchema|tools/i);
  });
});

describe('stored responses', () => {
  it('store: false stores nothing', async () => {
    const response = await client('local').responses.create({ model: 'm', input: 'Not kept', store: false });
    expect((response as unknown as { store: boolean }).store).toBe(false);
    await expect(client('local').responses.retrieve(response.id)).rejects.toMatchObject({ status: 404 });
  });

  it('are the tenant’s own: another credential gets OpenAI’s 404 for the same id', async () => {
    const mine = await client('local').responses.create({ model: 'm', input: 'Mine' });
    const error = await client('local', 'sk-tenant-b').responses.retrieve(mine.id).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 404, error: { type: 'invalid_request_error', code: 'response_not_found' } });
    await expect(client('local', 'sk-tenant-b').responses.create({ model: 'm', input: 'go on', previous_response_id: mine.id })).rejects.toMatchObject({ status: 404 });
    expect(local.requests).toHaveLength(1);
  });

  it('are listed newest first, replayed as events, and deleted', async () => {
    const tenant = client('local', `sk-list-${Date.now()}`);
    const first = await tenant.responses.create({ model: 'm', input: 'one' });
    const second = await tenant.responses.create({ model: 'm', input: 'two' });
    const listed = (await (await fetch(`${gateway.origin}/v1/responses?limit=10`, { headers: { authorization: `Bearer ${tenant.apiKey}` } })).json()) as { data: Json[] };
    expect(listed.data.map((entry) => entry.id)).toEqual([second.id, first.id]);
    const replay = await fetch(`${gateway.origin}/local/v1/responses/${first.id}?stream=true`, { headers: { authorization: `Bearer ${tenant.apiKey}` } });
    const text = await replay.text();
    expect(replay.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect([...text.matchAll(/^event: (\S+)$/gm)].map((match) => match[1]).at(-1)).toBe('response.completed');
    await tenant.responses.delete(first.id);
    await expect(tenant.responses.retrieve(first.id)).rejects.toMatchObject({ status: 404 });
  });
});

describe('previous_response_id across providers', () => {
  it('a conversation started on Anthropic continues on Gemini, whose mock receives the whole history', async () => {
    script = [{ text: 'Nice to meet you, Ada.' }, { text: 'Your name is Ada.' }];
    const first = await client('anthropic').responses.create({ model: 'claude-sonnet-4-5', input: 'My name is Ada.' });
    const second = await client('gemini').responses.create({ model: 'gemini-2.5-flash', input: 'What is my name?', previous_response_id: first.id });
    expect(second.output_text).toBe('Your name is Ada.');
    const sent = gemini.requests[0].json as { contents: { role: string; parts: { text?: string }[] }[] };
    expect(sent.contents.map((content) => [content.role, content.parts[0].text])).toEqual([
      ['user', 'My name is Ada.'],
      ['model', 'Nice to meet you, Ada.'],
      ['user', 'What is my name?'],
    ]);
  });

  it('a provider that serves Responses itself gets the id of a response it made, and the history of one it did not', async () => {
    const made = await client('openai').responses.create({ model: 'gpt-5', input: 'Hello' });
    expect(made.id).toBe(`resp_native_${nativeCount}`);
    await client('openai').responses.create({ model: 'gpt-5', input: 'Again', previous_response_id: made.id });
    expect(native.requests[1].json).toMatchObject({ previous_response_id: made.id, input: 'Again' });
    script = [{ text: 'From the custom provider.' }];
    const elsewhere = await client('local').responses.create({ model: 'm', input: 'Start here' });
    await client('openai').responses.create({ model: 'gpt-5', input: 'Continue there', previous_response_id: elsewhere.id });
    const rebuilt = native.requests[2].json as Json;
    expect(rebuilt).not.toHaveProperty('previous_response_id');
    expect(rebuilt.input).toEqual([
      expect.objectContaining({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Start here' }] }),
      expect.objectContaining({ type: 'message', role: 'assistant', content: [expect.objectContaining({ type: 'output_text', text: 'From the custom provider.' })] }),
      { type: 'message', role: 'user', content: 'Continue there' },
    ]);
    expect(JSON.stringify(rebuilt.input)).not.toContain('"id"');
  });

  it('an unknown id is OpenAI’s 404, and nothing is sent upstream', async () => {
    const error = await client('anthropic').responses.create({ model: 'claude-sonnet-4-5', input: 'x', previous_response_id: 'resp_nope' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 404, error: { message: "Response with id 'resp_nope' not found.", param: 'previous_response_id' } });
    expect(anthropic.requests).toHaveLength(0);
  });
});

describe('a Responses stream cut mid-way', () => {
  it('ends with response.failed, never response.completed, and nothing is stored', async () => {
    local.handle(async (_request, res: ServerResponse) => {
      startSse(res);
      res.write(`data: ${chunk('Half an ')}\n\n`);
      res.write(`data: ${chunk('answer')}\n\n`);
      // Cut after the client already has the first events.
      await sleep(100);
      res.destroy();
    });
    try {
      const response = await fetch(`${gateway.origin}/local/v1/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-tenant-a' },
        body: JSON.stringify({ model: 'm', input: 'Tell me', stream: true }),
      });
      expect(response.status).toBe(200);
      const text = await response.text();
      const types = [...text.matchAll(/^event: (\S+)$/gm)].map((match) => match[1]);
      expect(types).toContain('response.output_text.delta');
      expect(types.at(-1)).toBe('response.failed');
      expect(types).not.toContain('response.completed');
      const failed = JSON.parse(text.trim().split('\n').at(-1)!.slice('data: '.length)) as Json;
      expect(failed).toMatchObject({ type: 'response.failed', sequence_number: types.length - 1, response: { status: 'failed', error: { message: expect.any(String) } } });
      const id = ((failed.response as Json).id ?? '') as string;
      await expect(client('local').responses.retrieve(id)).rejects.toMatchObject({ status: 404 });
    } finally {
      local.handle(chatHandler);
    }
  });
});

describe('Responses and the chain', () => {
  it('falls back before the first byte: a provider that fails is replaced, and the stored response names who answered', async () => {
    local.handle((_request, res) => sendJson(res, 503, { error: { message: 'overloaded', type: 'server_error' } }));
    try {
      script = [{ text: 'Anthropic took over.' }];
      const openai = new OpenAI({ apiKey: 'sk-tenant-a', baseURL: `${gateway.origin}/v1`, maxRetries: 0, defaultHeaders: { 'x-provider': 'local/m, anthropic/claude-sonnet-4-5', 'x-gateway-retries': '0' } });
      const { data, response } = await openai.responses.create({ model: 'm', input: 'Anyone there?' }).withResponse();
      expect(outputText(data)).toBe('Anthropic took over.');
      expect(response.headers.get('x-gateway-provider')).toBe('anthropic');
      expect(response.headers.get('x-gateway-attempts')).toBe('2');
      expect((await client('local').responses.retrieve(data.id)).status).toBe('completed');
    } finally {
      local.handle(chatHandler);
    }
  });

  it('is cached only when asked with Cache-Control: max-age, as chat is', async () => {
    const cached = await startGateway({ GATEWAY_PROVIDERS: `local=${local.origin}/v1`, GATEWAY_CACHE: 'auto' });
    try {
      const openai = new OpenAI({ apiKey: 'sk-cache', baseURL: `${cached.origin}/local/v1`, maxRetries: 0 });
      const body = { model: 'm', input: 'Cache me' };
      const unasked = await openai.responses.create(body).withResponse();
      expect(unasked.response.headers.get('x-gateway-cache')).toBe('BYPASS');
      const first = await openai.responses.create(body, { headers: { 'cache-control': 'max-age=60' } }).withResponse();
      const second = await openai.responses.create(body, { headers: { 'cache-control': 'max-age=60' } }).withResponse();
      expect(second.data.id).toBe(first.data.id);
      expect(second.response.headers.get('x-gateway-cache')).toBe('HIT');
      expect(local.requests).toHaveLength(2);
    } finally {
      await cached.close();
    }
  });
});

describe('the Vercel AI SDK’s openai(model), which speaks Responses', () => {
  it('generateText and streamText through a translated provider', async () => {
    const { createOpenAI } = await import('@ai-sdk/openai');
    const { generateText, streamText } = await import('ai');
    const provider = createOpenAI({ apiKey: 'sk-tenant-a', baseURL: `${gateway.origin}/anthropic/v1` });
    script = [{ text: 'Hello from Anthropic.' }, { text: 'Streamed from Anthropic.' }];
    const generated = await generateText({ model: provider('claude-sonnet-4-5'), prompt: 'Say hello' });
    expect(generated.text).toBe('Hello from Anthropic.');
    expect(generated.usage.inputTokens).toBeGreaterThan(0);
    const streamed = streamText({ model: provider('claude-sonnet-4-5'), prompt: 'Say hello' });
    let text = '';
    for await (const delta of streamed.textStream) text += delta;
    expect(text).toBe('Streamed from Anthropic.');
    expect(anthropic.requests.map((request) => request.url)).toEqual(['/v1/messages', '/v1/messages']);
  });
});

/** Codex's own requests (test/fixtures/clients/codex), recorded from `codex exec` inside a loopback-only namespace. */
const codexTurn = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/clients/codex/${name}`, import.meta.url), 'utf8')) as { headers: Record<string, string>; body: Json };

describe.each(TRANSLATED)('Codex’s recorded turns through %s', (provider) => {
  async function replay(name: string): Promise<{ status: number; events: Json[] }> {
    const { headers, body } = codexTurn(name);
    const response = await fetch(`${gateway.origin}/${provider}/v1/responses`, {
      method: 'POST',
      headers: { ...headers, authorization: 'Bearer sk-codex' },
      body: JSON.stringify({ ...body, model: MODELS[provider] }),
    });
    const text = await response.text();
    const events = text
      .split('\n\n')
      .filter((block) => block.includes('data: '))
      .map((block) => JSON.parse(block.slice(block.indexOf('data: ') + 6)) as Json);
    return { status: response.status, events };
  }

  it('turn 1: a streamed call of its exec_command tool, with the events Codex reads', async () => {
    script = [{ call: { name: 'exec_command', arguments: '{"cmd":"echo hello-from-tool"}' } }];
    const { status, events } = await replay('turn-1.json');
    expect(status).toBe(200);
    const types = events.map((event) => event.type);
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    const done = events.find((event) => event.type === 'response.output_item.done' && (event.item as Json).type === 'function_call');
    expect(done?.item).toMatchObject({ type: 'function_call', name: 'exec_command', arguments: '{"cmd":"echo hello-from-tool"}', call_id: expect.any(String) });
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    // Codex says store: false: nothing is kept.
    const id = ((events[0].response as Json).id ?? '') as string;
    await expect(new OpenAI({ apiKey: 'sk-codex', baseURL: `${gateway.origin}/v1` }).responses.retrieve(id)).rejects.toMatchObject({ status: 404 });
  });

  it('turn 2: the tool’s output goes back as a tool result, and the answer completes as text', async () => {
    script = [{ text: 'It printed hello-from-tool.' }];
    const { status, events } = await replay('turn-2-tool-output.json');
    expect(status).toBe(200);
    const completed = events.at(-1) as { type: string; response: { output: { type: string; content?: { text: string }[] }[] } };
    expect(completed.type).toBe('response.completed');
    expect(completed.response.output.find((item) => item.type === 'message')?.content?.[0].text).toBe('It printed hello-from-tool.');
    const sent = sentText(MOCKS()[provider].requests[0]);
    expect(sent).toContain('hello-from-tool');
    expect(sent).toContain('exec_command');
  });

  it('turn 2 after reasoning: the reasoning item it sends back (encrypted, another model’s) is left out safely', async () => {
    script = [{ text: 'It printed hello-from-tool.' }];
    const { status, events } = await replay('turn-2-reasoning.json');
    expect(status).toBe(200);
    expect(events.at(-1)?.type).toBe('response.completed');
    const sent = sentText(MOCKS()[provider].requests[0]);
    expect(sent).not.toContain('gAAAAopaque');
    expect(sent).toContain('hello-from-tool');
  });

  it('with its default tools, web_search is refused with a 400 that names it, before any upstream call', async () => {
    const { status, events } = await replay('turn-1-web-search.json').catch(() => ({ status: 0, events: [] }));
    expect(status).toBe(400);
    expect(events).toEqual([]);
    expect(MOCKS()[provider].requests).toHaveLength(0);
  });
});
