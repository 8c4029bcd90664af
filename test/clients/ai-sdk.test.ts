/**
 * The Vercel AI SDK as a client: `createOpenAI({ baseURL })` with generateText and streamText.
 */
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatCompletion, chunk, sendJson, startMockUpstream, startSse, type MockUpstream } from '../helpers/mock-upstream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

let upstream: MockUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startMockUpstream((request, res) => {
    if (request.json?.stream === true) {
      startSse(res);
      res.write(`data: ${chunk('Hi', null, 'llama-3.1-8b-instant')}\n\n`);
      res.write(`data: ${chunk(' there', 'stop', 'llama-3.1-8b-instant')}\n\n`);
      res.end('data: [DONE]\n\n');
    } else {
      sendJson(res, 200, chatCompletion('Hi there', 'llama-3.1-8b-instant'));
    }
  });
  gateway = await startGateway({ GROQ_BASE_URL: `${upstream.origin}/openai/v1` });
});

afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

describe('Vercel AI SDK through the gateway', () => {
  const provider = () => createOpenAI({ apiKey: 'gsk-test', baseURL: `${gateway.origin}/groq/v1` });

  it('generateText', async () => {
    const result = await generateText({ model: provider().chat('llama-3.1-8b-instant'), prompt: 'Say hi' });
    expect(result.text).toBe('Hi there');
    expect(result.usage.inputTokens).toBe(9);
    expect(upstream.requests.at(-1)!.headers.authorization).toBe('Bearer gsk-test');
  });

  it('streamText', async () => {
    const result = streamText({ model: provider().chat('llama-3.1-8b-instant'), prompt: 'Say hi' });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe('Hi there');
    expect(await result.finishReason).toBe('stop');
  });
});
