/**
 * Reasoning across dialects: `reasoning_effort` to Anthropic's thinking budget, Gemini's
 * `thinkingConfig` and Ollama's `think`; reasoning text back as `reasoning_content` on the
 * message and on stream deltas; and on `/v1/messages`, thinking settings to
 * `reasoning_effort` and `reasoning_content` back as thinking blocks.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chatCompletion, chunk, sendJson, startMockUpstream, startSse, type MockUpstream } from '../helpers/mock-upstream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { anthropicEvent, anthropicMessage, streamEvents, validatingAnthropic } from '../helpers/providers/anthropic-mock.js';
import { geminiResponse, validatingGemini, writeGeminiEvent } from '../helpers/providers/gemini-mock.js';
import { ollamaLine, startNdjson, validatingOllama, writeLine } from '../helpers/providers/ollama-mock.js';
import { validatingOpenAI } from '../helpers/providers/openai-mock.js';

let anthropic: MockUpstream;
let gemini: MockUpstream;
let ollama: MockUpstream;
let deepseek: MockUpstream;
let openai: MockUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  [anthropic, gemini, ollama, deepseek, openai] = await Promise.all(Array.from({ length: 5 }, () => startMockUpstream()));
  gateway = await startGateway({
    ANTHROPIC_BASE_URL: anthropic.origin,
    GEMINI_BASE_URL: gemini.origin,
    OLLAMA_BASE_URL: ollama.origin,
    DEEPSEEK_BASE_URL: `${deepseek.origin}/v1`,
    OPENAI_BASE_URL: `${openai.origin}/v1`,
    GATEWAY_RETRIES: '0',
  });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([anthropic, gemini, ollama, deepseek, openai].map((mock) => mock.close()));
});

beforeEach(() => {
  for (const mock of [anthropic, gemini, ollama, deepseek, openai]) mock.requests.length = 0;
});

const chat = (provider: string) => new OpenAI({ apiKey: 'sk-client', baseURL: `${gateway.origin}/${provider}/v1`, maxRetries: 0, defaultHeaders: { 'x-gemini-api-key': 'g' } });
const hi = [{ role: 'user' as const, content: 'What is 17 × 23?' }];
type Delta = { content?: string; reasoning_content?: string };

async function streamed(stream: AsyncIterable<OpenAI.ChatCompletionChunk>): Promise<{ reasoning: string; text: string }> {
  let reasoning = '';
  let text = '';
  for await (const part of stream) {
    const delta = part.choices[0]?.delta as Delta | undefined;
    reasoning += delta?.reasoning_content ?? '';
    text += delta?.content ?? '';
  }
  return { reasoning, text };
}

describe('Anthropic', () => {
  it('reasoning_effort becomes a thinking budget below max_tokens, temperature left out; thinking comes back as reasoning_content', async () => {
    anthropic.handle(validatingAnthropic((request, res) => sendJson(res, 200, anthropicMessage([{ type: 'thinking', thinking: '17 × 23 = 391.', signature: 'sig' }, { type: 'text', text: '391' }]))));
    const answer = await chat('anthropic').chat.completions.create({ model: 'claude-sonnet-4-5', messages: hi, reasoning_effort: 'medium', max_tokens: 1000, temperature: 0.2 });
    expect(answer.choices[0].message).toMatchObject({ content: '391', reasoning_content: '17 × 23 = 391.' });
    expect(anthropic.requests[0].json).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 4096 }, max_tokens: 5096 });
    expect(anthropic.requests[0].json?.temperature).toBeUndefined();
  });

  it('streams thinking deltas as reasoning_content deltas', async () => {
    anthropic.handle(validatingAnthropic((request, res) => streamEvents(res, [
      anthropicEvent({ type: 'message_start', message: { ...anthropicMessage([]), stop_reason: null } }),
      anthropicEvent({ type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } }),
      anthropicEvent({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: '17 × 23 ' } }),
      anthropicEvent({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: '= 391.' } }),
      anthropicEvent({ type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig' } }),
      anthropicEvent({ type: 'content_block_stop', index: 0 }),
      anthropicEvent({ type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }),
      anthropicEvent({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: '391' } }),
      anthropicEvent({ type: 'content_block_stop', index: 1 }),
      anthropicEvent({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 9 } }),
      anthropicEvent({ type: 'message_stop' }),
    ])));
    const stream = await chat('anthropic').chat.completions.create({ model: 'claude-sonnet-4-5', messages: hi, reasoning_effort: 'low', stream: true });
    expect(await streamed(stream)).toEqual({ reasoning: '17 × 23 = 391.', text: '391' });
    expect(anthropic.requests[0].json).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 1024 }, max_tokens: 4096 });
  });
});

describe('Anthropic mid tool loop', () => {
  it('thinking sits out while the conversation answers tool calls, which a chat client cannot send back with their thinking', async () => {
    anthropic.handle(validatingAnthropic((request, res) => sendJson(res, 200, anthropicMessage([{ type: 'text', text: 'Sunny.' }]))));
    const answer = await chat('anthropic').chat.completions.create({
      model: 'claude-sonnet-4-5',
      reasoning_effort: 'medium',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'toolu_1', content: 'sunny' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
    });
    expect(answer.choices[0].message.content).toBe('Sunny.');
    expect(anthropic.requests[0].json?.thinking).toBeUndefined();
    expect(anthropic.requests[0].json?.max_tokens).toBe(4096);
  });
});

describe('Gemini', () => {
  it('reasoning_effort becomes thinkingConfig with thoughts; thought parts come back as reasoning_content, in answers and streams', async () => {
    const parts = [{ text: 'Multiply: 391.', thought: true }, { text: '391' }];
    gemini.handle(validatingGemini((request, res) => sendJson(res, 200, geminiResponse(parts, 'STOP'))));
    const answer = await chat('gemini').chat.completions.create({ model: 'gemini-2.5-flash', messages: hi, reasoning_effort: 'high' });
    expect(answer.choices[0].message).toMatchObject({ content: '391', reasoning_content: 'Multiply: 391.' });
    expect(gemini.requests[0].json).toMatchObject({ generationConfig: { thinkingConfig: { thinkingBudget: 24576, includeThoughts: true } } });

    gemini.handle(validatingGemini((request, res) => {
      startSse(res);
      writeGeminiEvent(res, geminiResponse([parts[0]]));
      writeGeminiEvent(res, geminiResponse([parts[1]], 'STOP'));
      res.end();
    }));
    const stream = await chat('gemini').chat.completions.create({ model: 'gemini-2.5-flash', messages: hi, reasoning_effort: 'none', stream: true });
    expect(await streamed(stream)).toEqual({ reasoning: 'Multiply: 391.', text: '391' });
    expect(gemini.requests[1].json).toMatchObject({ generationConfig: { thinkingConfig: { thinkingBudget: 0 } } });
  });
});

describe('Ollama', () => {
  it('reasoning_effort turns think on; message.thinking comes back as reasoning_content, in answers and streams', async () => {
    ollama.handle(validatingOllama((request, res) => sendJson(res, 200, { ...ollamaLine('391', true), message: { role: 'assistant', content: '391', thinking: 'Multiply.' } })));
    const answer = await chat('ollama').chat.completions.create({ model: 'qwen3', messages: hi, reasoning_effort: 'medium' });
    expect(answer.choices[0].message).toMatchObject({ content: '391', reasoning_content: 'Multiply.' });
    expect(ollama.requests[0].json?.think).toBe(true);

    ollama.handle(validatingOllama((request, res) => {
      startNdjson(res);
      writeLine(res, { ...ollamaLine(''), message: { role: 'assistant', content: '', thinking: 'Multiply.' } });
      writeLine(res, ollamaLine('391'));
      res.end(`${JSON.stringify(ollamaLine('', true))}\n`);
    }));
    const stream = await chat('ollama').chat.completions.create({ model: 'qwen3', messages: hi, stream: true });
    expect(await streamed(stream)).toEqual({ reasoning: 'Multiply.', text: '391' });
    expect(ollama.requests[1].json?.think).toBeUndefined();
  });
});

describe('/v1/messages over chat', () => {
  const messages = (provider: string) => new Anthropic({ apiKey: 'sk-client', baseURL: `${gateway.origin}/${provider}`, maxRetries: 0 });

  it('thinking enabled becomes reasoning_effort; reasoning_content comes back as a thinking block before the text', async () => {
    deepseek.handle(validatingOpenAI((request, res) => sendJson(res, 200, {
      id: 'c1', object: 'chat.completion', created: 1, model: 'deepseek-reasoner',
      choices: [{ index: 0, message: { role: 'assistant', content: '391', reasoning_content: 'Multiply.' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
    })));
    const message = await messages('deepseek').messages.create({ model: 'deepseek-reasoner', max_tokens: 20000, thinking: { type: 'enabled', budget_tokens: 16000 }, messages: hi });
    expect(message.content).toEqual([{ type: 'thinking', thinking: 'Multiply.', signature: '' }, { type: 'text', text: '391' }]);
    expect(deepseek.requests[0].json?.reasoning_effort).toBe('high');
  });

  it('streams reasoning_content deltas as a thinking block, then the text block; thinking blocks sent back go as reasoning_content', async () => {
    deepseek.handle(validatingOpenAI((request, res) => {
      const delta = (value: Record<string, unknown>, finish: string | null = null) => `data: ${JSON.stringify({ id: 'c2', object: 'chat.completion.chunk', created: 1, model: 'deepseek-reasoner', choices: [{ index: 0, delta: value, finish_reason: finish }] })}\n\n`;
      startSse(res);
      res.write(delta({ role: 'assistant', reasoning_content: 'Multi' }));
      res.write(delta({ reasoning_content: 'ply.' }));
      res.write(delta({ content: '391' }));
      res.write(`data: ${chunk(null, 'stop')}\n\n`);
      res.end('data: [DONE]\n\n');
    }));
    const stream = messages('deepseek').messages.stream({
      model: 'deepseek-reasoner',
      max_tokens: 2000,
      output_config: { effort: 'low' },
      messages: [...hi, { role: 'assistant', content: [{ type: 'thinking', thinking: 'earlier', signature: 'x' }, { type: 'text', text: '391' }] }, { role: 'user', content: 'And 18 × 23?' }],
    } as Anthropic.MessageStreamParams);
    const final = await stream.finalMessage();
    expect(final.content).toEqual([{ type: 'thinking', thinking: 'Multiply.', signature: '' }, { type: 'text', text: '391' }]);
    const sent = deepseek.requests[0].json as { reasoning_effort: string; messages: Array<Record<string, unknown>> };
    expect(sent.reasoning_effort).toBe('low');
    // DeepSeek takes reasoning back (its REASONING_HISTORY setting is on by default).
    expect(sent.messages[1]).toEqual({ role: 'assistant', content: '391', reasoning_content: 'earlier' });
  });

  it('thinking blocks sent back go as reasoning_content only where the provider takes it: Ollama’s thinking, not OpenAI', async () => {
    const history: Anthropic.MessageParam[] = [...hi, { role: 'assistant', content: [{ type: 'thinking', thinking: 'Multiply.', signature: '' }, { type: 'text', text: '391' }] }, { role: 'user', content: 'Sure?' }];
    ollama.handle(validatingOllama((request, res) => sendJson(res, 200, ollamaLine('Yes.', true))));
    await messages('ollama').messages.create({ model: 'qwen3', max_tokens: 100, messages: history });
    expect((ollama.requests[0].json as { messages: unknown[] }).messages[1]).toEqual({ role: 'assistant', content: '391', thinking: 'Multiply.' });
    openai.handle(validatingOpenAI((request, res) => sendJson(res, 200, chatCompletion('Yes.'))));
    await messages('openai').messages.create({ model: 'gpt-5', max_tokens: 100, messages: history });
    expect((openai.requests[0].json as { messages: unknown[] }).messages[1]).toEqual({ role: 'assistant', content: '391' });
  });
});

describe('Gemini 3 behind /v1/messages: thought signatures through a Messages client', () => {
  const client = () => new Anthropic({ apiKey: 'g', baseURL: `${gateway.origin}/gemini`, maxRetries: 0 });
  const weather = { name: 'get_weather', description: 'Weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } };
  const call = { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'c2lnbmF0dXJl' };

  it.each([false, true])('a tool loop completes, the signature sent back with the call (stream: %s)', async (stream) => {
    gemini.handle(validatingGemini((request, res) => {
      const contents = (request.json as { contents: Array<{ parts: Array<Record<string, unknown>> }> }).contents;
      const answered = contents.at(-1)?.parts.some((part) => part.functionResponse !== undefined);
      const body = answered ? geminiResponse([{ text: 'Sunny.' }], 'STOP') : geminiResponse([call], 'STOP');
      if (!request.url.includes('alt=sse')) return sendJson(res, 200, body);
      startSse(res);
      writeGeminiEvent(res, body);
      res.end();
    }));
    const ask = (history: Anthropic.MessageParam[]) => {
      const params = { model: 'gemini-3-pro-preview', max_tokens: 1000, tools: [weather], messages: history };
      return stream ? client().messages.stream(params).finalMessage() : client().messages.create(params);
    };
    const history: Anthropic.MessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await ask(history);
    const use = first.content.find((block) => block.type === 'tool_use') as Anthropic.ToolUseBlock;
    expect(use).toMatchObject({ name: 'get_weather', input: { city: 'Paris' } });
    expect(first.content[0]).toMatchObject({ type: 'thinking', signature: expect.stringMatching(/^gateway\.tool-extras\./) });
    history.push({ role: 'assistant', content: first.content as Anthropic.ContentBlockParam[] }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'sunny' }] });
    const second = await ask(history);
    expect(second.content).toEqual([expect.objectContaining({ type: 'text', text: 'Sunny.' })]);
    const sent = gemini.requests.at(-1)!.json as { contents: Array<{ role: string; parts: Array<Record<string, unknown>> }> };
    expect(sent.contents[1]).toEqual({ role: 'model', parts: [call] });
  });
});
