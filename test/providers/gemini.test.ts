/**
 * The gemini provider behind OpenAI's format, end to end over HTTP: the `openai` SDK
 * chats, streams and embeds against a mock that refuses what Google's API would.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendJson, startMockUpstream, startSse, type MockUpstream } from '../helpers/mock-upstream.js';
import { contentBeforeRelease, gate, readChatStream } from '../helpers/chat-stream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { GEMINI_URL, geminiProblem, geminiResponse, validatingGemini, writeGeminiEvent } from '../helpers/providers/gemini-mock.js';

let gemini: MockUpstream;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  gemini = await startMockUpstream();
  gateway = await startGateway({ GEMINI_BASE_URL: gemini.origin, GATEWAY_RETRIES: '0' });
  client = new OpenAI({ apiKey: 'google-client-key', baseURL: `${gateway.origin}/gemini/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await gateway.close();
  await gemini.close();
});

beforeEach(() => {
  gemini.requests.length = 0;
});

const last = () => gemini.requests.at(-1)!;
const weather = { type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };

describe('gemini: chat completions in, generateContent out', () => {
  it('chats: systemInstruction, roles user/model, generationConfig, the key in x-goog-api-key', async () => {
    gemini.handle(validatingGemini((request, res) => sendJson(res, 200, geminiResponse([{ text: 'Hallo!' }], 'STOP'))));
    const answer = await client.chat.completions.create({
      model: 'gemini-2.0-flash',
      messages: [
        { role: 'system', content: 'Answer in German.' },
        { role: 'user', content: 'Hello' },
        { role: 'assistant', content: 'Hallo.' },
        { role: 'user', content: 'Again' },
      ],
      max_tokens: 20,
      temperature: 0.1,
    });
    expect(answer.choices[0]).toMatchObject({ message: { content: 'Hallo!' }, finish_reason: 'stop' });
    expect(answer.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 5, total_tokens: 12 });
    expect(last().url).toBe('/v1beta/models/gemini-2.0-flash:generateContent');
    expect(last().headers['x-goog-api-key']).toBe('google-client-key');
    expect(last().json).toMatchObject({ systemInstruction: { parts: [{ text: 'Answer in German.' }] }, generationConfig: { maxOutputTokens: 20, temperature: 0.1 } });
    expect((last().json?.contents as Array<{ role: string }>).map((content) => content.role)).toEqual(['user', 'model', 'user']);
  });

  it('the mock refuses what Gemini refuses, so the tests above would catch a bad translation', () => {
    const request = (json: Record<string, unknown>) => geminiProblem({ method: 'POST', url: '/v1beta/models/m:generateContent', headers: { 'x-goog-api-key': 'k' }, body: '', json });
    expect(request({ contents: [{ role: 'assistant', parts: [{ text: 'x' }] }] })).toMatch(/role/);
    expect(request({ contents: [{ role: 'user', parts: [{ text: 'x' }] }], messages: [] })).toMatch(/Unknown name "messages"/);
    expect(request({ contents: [{ role: 'user', parts: [{ functionResponse: { name: 'f', response: {} } }] }] })).toMatch(/function response/);
    expect(request({ contents: [{ role: 'user', parts: [{ text: 'x' }] }] })).toBeUndefined();
  });

  it('round-trips tools: functionDeclarations and function calls out, functionCall parts back as tool_calls', async () => {
    gemini.handle(validatingGemini((request, res) => sendJson(res, 200, geminiResponse([{ functionCall: { name: 'get_weather', args: { city: 'Oslo' } } }], 'STOP'))));
    const answer = await client.chat.completions.create({
      model: 'gemini-2.0-flash',
      tools: [weather],
      tool_choice: 'auto',
      messages: [
        { role: 'user', content: 'Weather in Paris, then Oslo?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
      ],
    });
    const [call] = answer.choices[0].message.tool_calls ?? [];
    expect(answer.choices[0].finish_reason).toBe('tool_calls');
    expect(call).toMatchObject({ type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } });
    expect(call.id).toMatch(/^call_/);
    expect(last().json?.toolConfig).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
  });

  it('streams with alt=sse: text deltas, the finish reason, the usage chunk and [DONE]', async () => {
    gemini.handle(
      validatingGemini((request, res) => {
        startSse(res);
        writeGeminiEvent(res, geminiResponse([{ text: 'Roses ' }]));
        writeGeminiEvent(res, geminiResponse([{ text: 'are red' }], 'STOP'));
        res.end();
      }),
    );
    const stream = await client.chat.completions.create({ model: 'gemini-2.0-flash', messages: [{ role: 'user', content: 'poem' }], stream: true, stream_options: { include_usage: true } });
    const { text, finish, usage } = await readChatStream(stream);
    expect(text).toBe('Roses are red');
    expect(finish).toBe('stop');
    expect(usage).toEqual({ prompt_tokens: 7, completion_tokens: 5, total_tokens: 12 });
    expect(last().url).toBe('/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse');
  });

  it('translates as events arrive: the first text is at the client while Gemini still holds the rest', async () => {
    const { held, release } = gate();
    gemini.handle(async (request, res) => {
      startSse(res);
      writeGeminiEvent(res, geminiResponse([{ text: 'first' }]));
      await held;
      writeGeminiEvent(res, geminiResponse([{ text: ' second' }], 'STOP'));
      res.end();
    });
    const stream = await client.chat.completions.create({ model: 'gemini-2.0-flash', messages: [{ role: 'user', content: 'hi' }], stream: true });
    expect(await contentBeforeRelease(stream, 'first', release)).toBe(' second');
  });

  it('a stream that ends without a finish reason is reported as cut, with no [DONE]', async () => {
    gemini.handle((request, res) => {
      startSse(res);
      writeGeminiEvent(res, geminiResponse([{ text: 'partial' }]));
      res.end();
    });
    const response = await fetch(`${gateway.origin}/gemini/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
      body: JSON.stringify({ model: 'gemini-2.0-flash', messages: [{ role: 'user', content: 'hi' }], stream: true }),
    });
    const text = await response.text();
    expect(text).toContain('"content":"partial"');
    expect(text).toMatch(/data: \{"error":\{"message":"Provider gemini closed the stream before it finished"/);
    expect(text).not.toContain('[DONE]');
  });

  it('embeds through batchEmbedContents, in the SDK’s default base64 encoding', async () => {
    gemini.handle(validatingGemini((request, res) => sendJson(res, 200, { embeddings: (request.json?.requests as unknown[]).map((_, i) => ({ values: [0.5, -0.25, i] })) })));
    const result = await client.embeddings.create({ model: 'text-embedding-004', input: ['a', 'b'] });
    expect(result.data.map((item) => item.embedding)).toEqual([
      [0.5, -0.25, 0],
      [0.5, -0.25, 1],
    ]);
    expect(last().url).toBe('/v1beta/models/text-embedding-004:batchEmbedContents');
  });

  it.each(['models/gemini-pro', 'gemini?x', 'a#b', 'a%2Fb', '..'])('refuses the model %j before it goes into the URL', async (model) => {
    const thrown = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(OpenAI.BadRequestError);
    expect((thrown as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('model');
    expect(gemini.requests).toHaveLength(0);
  });

  it('percent-encodes the model as one segment', async () => {
    gemini.handle((request, res) => sendJson(res, 200, geminiResponse([{ text: 'ok' }], 'STOP')));
    await client.chat.completions.create({ model: 'tuned model:v1', messages: [{ role: 'user', content: 'hi' }] });
    expect(last().url).toBe('/v1beta/models/tuned%20model%3Av1:generateContent');
    expect(GEMINI_URL.exec(last().url)?.[1]).toBe('tuned%20model%3Av1');
  });

  it('maps Google’s error body to OpenAI’s shape with Google’s status', async () => {
    gemini.handle((request, res) => sendJson(res, 403, [{ error: { code: 403, message: 'Method doesn\'t allow unregistered callers.', status: 'PERMISSION_DENIED' } }]));
    const thrown = await client.chat.completions.create({ model: 'gemini-2.0-flash', messages: [{ role: 'user', content: 'hi' }] }).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((thrown as InstanceType<typeof OpenAI.PermissionDeniedError>).error).toMatchObject({ type: 'permission_error', code: 'PERMISSION_DENIED', message: 'Method doesn\'t allow unregistered callers.' });
  });

  it('serves /v1/messages through two translations: Messages to chat to Gemini, and the stream back', async () => {
    gemini.handle(
      validatingGemini((request, res) => {
        startSse(res);
        writeGeminiEvent(res, geminiResponse([{ text: 'Hi ' }]));
        writeGeminiEvent(res, geminiResponse([{ text: 'there' }], 'STOP'));
        res.end();
      }),
    );
    const anthropic = new Anthropic({ apiKey: 'google-client-key', baseURL: `${gateway.origin}/gemini`, maxRetries: 0 });
    const final = await anthropic.messages.stream({ model: 'gemini-2.0-flash', max_tokens: 50, system: 'Be nice.', messages: [{ role: 'user', content: 'Hello' }] }).finalMessage();
    expect(final).toMatchObject({ content: [{ type: 'text', text: 'Hi there' }], stop_reason: 'end_turn', usage: { input_tokens: 7, output_tokens: 5 } });
    expect(last().json).toMatchObject({ systemInstruction: { parts: [{ text: 'Be nice.' }] }, generationConfig: { maxOutputTokens: 50 } });
  });
});
