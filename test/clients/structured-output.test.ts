/**
 * Structured output and tools from the clients people use for them, through the gateway to
 * every translated dialect: LangChain's `ChatOpenAI` (`withStructuredOutput`, `bindTools`)
 * and the AI SDK (`generateObject`, `streamText` with tools). The mocks refuse what the
 * real APIs refuse and answer in the shape the request asked for: a request whose
 * structured output the gateway dropped gets plain text back, and the client fails to
 * parse it.
 */
import { createOpenAI } from '@ai-sdk/openai';
import { ChatOpenAI } from '@langchain/openai';
import { generateObject, stepCountIs, streamText, tool } from 'ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sendJson, startMockUpstream, type MockUpstream, type RecordedRequest } from '../helpers/mock-upstream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { anthropicEvent, anthropicMessage, streamEvents, validatingAnthropic } from '../helpers/providers/anthropic-mock.js';
import { geminiResponse, validatingGemini } from '../helpers/providers/gemini-mock.js';
import { validatingOllama } from '../helpers/providers/ollama-mock.js';

const PERSON = { name: 'Ada Lovelace', born: 1815 };
const person = z.object({ name: z.string(), born: z.number() });

let anthropic: MockUpstream;
let gemini: MockUpstream;
let ollama: MockUpstream;
let gateway: TestGateway;

type Json = Record<string, unknown>;

/** Anthropic answers as the request asked: JSON text for structured output, a tool call when a tool is forced or offered. */
function anthropicAnswer(request: RecordedRequest): Json {
  const body = request.json as Json & { tools?: Array<{ name: string }>; tool_choice?: { type: string; name?: string }; output_config?: { format?: unknown } };
  if (body.output_config?.format) return anthropicMessage([{ type: 'text', text: JSON.stringify(PERSON) }]);
  if (body.tool_choice?.type === 'tool') return anthropicMessage([{ type: 'tool_use', id: 'toolu_01', name: body.tool_choice.name, input: PERSON }], 'tool_use');
  const last = (body.messages as Array<{ content: unknown }>).at(-1);
  const answered = JSON.stringify(last).includes('tool_result');
  if (body.tools?.length && !answered) return anthropicMessage([{ type: 'tool_use', id: 'toolu_02', name: body.tools[0].name, input: { city: 'Paris' } }], 'tool_use');
  return anthropicMessage([{ type: 'text', text: answered ? 'It is sunny in Paris.' : 'Here is some text, not JSON.' }]);
}

beforeAll(async () => {
  [anthropic, gemini, ollama] = await Promise.all([startMockUpstream(), startMockUpstream(), startMockUpstream()]);
  anthropic.handle(
    validatingAnthropic((request, res) => {
      const message = anthropicAnswer(request);
      if (request.json?.stream !== true) return sendJson(res, 200, message);
      const [block] = message.content as Json[];
      const start = block.type === 'tool_use' ? { ...block, input: {} } : { type: 'text', text: '' };
      const delta = block.type === 'tool_use' ? { type: 'input_json_delta', partial_json: JSON.stringify(block.input) } : { type: 'text_delta', text: block.text };
      streamEvents(res, [
        anthropicEvent({ type: 'message_start', message: { ...message, content: [], stop_reason: null } }),
        anthropicEvent({ type: 'content_block_start', index: 0, content_block: start }),
        anthropicEvent({ type: 'content_block_delta', index: 0, delta }),
        anthropicEvent({ type: 'content_block_stop', index: 0 }),
        anthropicEvent({ type: 'message_delta', delta: { stop_reason: message.stop_reason }, usage: { output_tokens: 5 } }),
        anthropicEvent({ type: 'message_stop' }),
      ]);
    }),
  );
  gemini.handle(
    validatingGemini((request, res) => {
      const config = (request.json as { generationConfig?: Json }).generationConfig ?? {};
      const text = config.responseJsonSchema ? JSON.stringify(PERSON) : 'plain text';
      sendJson(res, 200, geminiResponse([{ text }], 'STOP'));
    }),
  );
  ollama.handle(
    validatingOllama((request, res) => {
      const format = (request.json as { format?: unknown }).format;
      const content = typeof format === 'object' && format !== null ? JSON.stringify(PERSON) : 'plain text';
      sendJson(res, 200, { model: 'llama3.2', message: { role: 'assistant', content }, done: true, done_reason: 'stop', prompt_eval_count: 5, eval_count: 5 });
    }),
  );
  gateway = await startGateway({ ANTHROPIC_BASE_URL: anthropic.origin, GEMINI_BASE_URL: gemini.origin, OLLAMA_BASE_URL: ollama.origin, GATEWAY_RETRIES: '0' });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([anthropic, gemini, ollama].map((mock) => mock.close()));
});

beforeEach(() => {
  for (const mock of [anthropic, gemini, ollama]) mock.requests.length = 0;
});

const langchain = (provider: string, model: string) =>
  new ChatOpenAI({ model, apiKey: 'sk-client', maxRetries: 0, configuration: { baseURL: `${gateway.origin}/${provider}/v1` } });

describe('LangChain ChatOpenAI', () => {
  it('withStructuredOutput through Anthropic: the schema reaches Anthropic as output_config.format, the object comes back', async () => {
    const result = await langchain('anthropic', 'claude-sonnet-4-5').withStructuredOutput(person, { name: 'person' }).invoke('Who wrote the first program?');
    expect(result).toEqual(PERSON);
    const sent = anthropic.requests[0].json as { output_config: { format: { type: string; schema: Json } } };
    expect(sent.output_config.format).toMatchObject({ type: 'json_schema', schema: { type: 'object', properties: { name: { type: 'string' }, born: { type: 'number' } } } });
  });

  it('withStructuredOutput in JSON mode through Anthropic: a forced tool, whose input comes back as the content', async () => {
    const result = await langchain('anthropic', 'claude-sonnet-4-5').withStructuredOutput(person, { method: 'jsonMode' }).invoke('Who wrote the first program? Answer in JSON.');
    expect(result).toEqual(PERSON);
    expect(anthropic.requests[0].json).toMatchObject({ tool_choice: { type: 'tool', name: 'json_response' }, tools: [{ name: 'json_response' }] });
  });

  it('withStructuredOutput through Gemini and Ollama', async () => {
    expect(await langchain('gemini', 'gemini-2.5-flash').withStructuredOutput(person).invoke('Who?')).toEqual(PERSON);
    expect(await langchain('ollama', 'llama3.2').withStructuredOutput(person).invoke('Who?')).toEqual(PERSON);
    expect(ollama.requests[0].json?.format).toMatchObject({ type: 'object' });
  });

  it('bindTools through Anthropic: the tool call comes back with parsed arguments', async () => {
    const weather = { name: 'get_weather', description: 'Weather for a city', schema: z.object({ city: z.string() }) };
    const message = await langchain('anthropic', 'claude-sonnet-4-5').bindTools([weather]).invoke('Weather in Paris?');
    expect(message.tool_calls).toEqual([expect.objectContaining({ name: 'get_weather', args: { city: 'Paris' }, id: 'toolu_02' })]);
  });
});

describe('AI SDK', () => {
  const openai = (provider: string) => createOpenAI({ apiKey: 'sk-client', baseURL: `${gateway.origin}/${provider}/v1` });

  it.each([
    ['anthropic', 'claude-sonnet-4-5'],
    ['gemini', 'gemini-2.5-flash'],
    ['ollama', 'llama3.2'],
  ])('generateObject through %s', async (provider, model) => {
    const { object } = await generateObject({ model: openai(provider).chat(model), schema: person, prompt: 'Who wrote the first program?', maxRetries: 0 });
    expect(object).toEqual(PERSON);
  });

  it('streamText with a tool through Anthropic: the call, its result, and the answer', async () => {
    const result = streamText({
      model: openai('anthropic').chat('claude-sonnet-4-5'),
      prompt: 'Weather in Paris?',
      tools: { get_weather: tool({ description: 'Weather for a city', inputSchema: z.object({ city: z.string() }), execute: async ({ city }) => `Sunny in ${city}` }) },
      stopWhen: stepCountIs(2),
      maxRetries: 0,
    });
    expect(await result.text).toBe('It is sunny in Paris.');
    const steps = await result.steps;
    expect(steps[0].toolCalls).toEqual([expect.objectContaining({ toolName: 'get_weather', input: { city: 'Paris' } })]);
    expect(anthropic.requests).toHaveLength(2);
    expect(JSON.stringify(anthropic.requests[1].json)).toContain('Sunny in Paris');
  });
});
