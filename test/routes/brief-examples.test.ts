/**
 * The product brief's two curl requests, sent exactly as written, against mock OpenAI and
 * Groq upstreams on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatCompletion, sendJson, startMockUpstream, startSse, type MockUpstream } from '../helpers/mock-upstream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

// Groq's chunks as the brief shows them.
const GROQ_CHUNKS = [
  '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1731066713,"model":"llama-3.1-8b-instant","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}',
  '{"created":1731066713,"model":"llama-3.1-8b-instant","choices":[{"index":0,"delta":{"content":" sl"},"logprobs":null,"finish_reason":null}]}',
  '{"created":1731066713,"model":"llama-3.1-8b-instant","choices":[{"index":0,"delta":{"content":"umber"},"logprobs":null,"finish_reason":null}]}',
  '{"created":1731066713,"model":"llama-3.1-8b-instant","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"x_groq":{"usage":{"prompt_tokens":12,"completion_tokens":2}}}',
];

let openai: MockUpstream;
let groq: MockUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  openai = await startMockUpstream((request, res) =>
    sendJson(res, 200, chatCompletion('Hello! How can I help?'), { 'x-request-id': 'req_openai_1', 'x-ratelimit-remaining-requests': '99' }),
  );
  groq = await startMockUpstream((request, res) => {
    startSse(res);
    for (const data of GROQ_CHUNKS) res.write(`data: ${data}\n\n`);
    res.end('data: [DONE]\n\n');
  });
  // The cache is on, as it is for a newcomer's `npm start`.
  gateway = await startGateway({ OPENAI_BASE_URL: `${openai.origin}/v1`, GROQ_BASE_URL: `${groq.origin}/openai/v1`, GATEWAY_CACHE: 'on' });
});

afterAll(async () => {
  await gateway.close();
  await openai.close();
  await groq.close();
});

describe('the brief’s curl examples', () => {
  it('sends the OpenAI request to OPENAI_BASE_URL/chat/completions with the client’s key and returns the answer unchanged', async () => {
    const body = '{"model": "gpt-4o", "messages": [{"role": "user", "content": "Hello!"}]}';
    const response = await fetch(`${gateway.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'x-provider': 'openai', Authorization: 'Bearer your-openai-api-key' },
      body,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.text()).toBe(JSON.stringify(chatCompletion('Hello! How can I help?')));
    expect(response.headers.get('x-gateway-provider')).toBe('openai');
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('99');
    expect(response.headers.get('x-upstream-request-id')).toBe('req_openai_1');
    expect(response.headers.get('x-request-id')).toMatch(/^[\w-]+$/);

    const seen = openai.requests.at(-1)!;
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/v1/chat/completions');
    expect(seen.headers.authorization).toBe('Bearer your-openai-api-key');
    expect(seen.body).toBe(body);
    expect(seen.headers['x-provider']).toBeUndefined();
  });

  it('relays the Groq stream as SSE, every event byte for byte', async () => {
    const response = await fetch(`${gateway.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'x-provider': 'groq', Authorization: 'Bearer your-groq-api-key' },
      body: '{"model": "llama-3.1-8b-instant", "messages": [{"role": "user", "content": "Write a poem"}], "stream": true, "max_tokens": 300}',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const expected = [...GROQ_CHUNKS, '[DONE]'].map((data) => `data: ${data}\n\n`).join('');
    expect(await response.text()).toBe(expected);
    const seen = groq.requests.at(-1)!;
    expect(seen.url).toBe('/openai/v1/chat/completions');
    expect(seen.headers.authorization).toBe('Bearer your-groq-api-key');
    expect(seen.json).toMatchObject({ model: 'llama-3.1-8b-instant', stream: true, max_tokens: 300 });
  });
});
