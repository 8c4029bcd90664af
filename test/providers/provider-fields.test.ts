/**
 * Chat fields that not every OpenAI-style provider takes, in the chat bodies the
 * gateway writes for `/v1/messages`: `stream_options` (Mistral answers it with a 422 and
 * reports usage unasked, so its `STREAM_OPTIONS` setting is `off`; any provider can be
 * set so) and the token limit (`max_completion_tokens` for OpenAI, whose reasoning
 * models refuse `max_tokens`; `max_tokens` elsewhere).
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chunk, sendJson, startMockUpstream, startSse, type MockUpstream, type RecordedRequest } from '../helpers/mock-upstream.js';
import { readChatStream } from '../helpers/chat-stream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

let mistral: MockUpstream;
let vllm: MockUpstream;
let gateway: TestGateway;

/** Like Mistral: a 422 for `stream_options`, and usage in the last chunk without being asked. */
function mistralLike(request: RecordedRequest, res: ServerResponse): void {
  if (request.json?.stream_options !== undefined) {
    return sendJson(res, 422, { object: 'error', message: { detail: [{ type: 'extra_forbidden', loc: ['body', 'stream_options'], msg: 'Extra inputs are not permitted' }] }, type: 'invalid_request_error' });
  }
  startSse(res);
  res.write(`data: ${chunk('Bonjour')}\n\n`);
  const last = JSON.parse(chunk(null, 'stop')) as Record<string, unknown>;
  res.write(`data: ${JSON.stringify({ ...last, usage: { prompt_tokens: 8, completion_tokens: 2, total_tokens: 10 } })}\n\n`);
  res.end('data: [DONE]\n\n');
}

beforeAll(async () => {
  [mistral, vllm] = await Promise.all([startMockUpstream(mistralLike), startMockUpstream(mistralLike)]);
  gateway = await startGateway({
    MISTRAL_BASE_URL: `${mistral.origin}/v1`,
    GATEWAY_PROVIDERS: `vllm=${vllm.origin}/v1`,
    VLLM_STREAM_OPTIONS: 'off',
    GATEWAY_RETRIES: '0',
  });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([mistral.close(), vllm.close()]);
});

beforeEach(() => {
  mistral.requests.length = 0;
  vllm.requests.length = 0;
});

describe('provider-specific chat fields', () => {
  it('/v1/messages streams through Mistral with its usage, without sending stream_options, the limit as max_tokens', async () => {
    const anthropic = new Anthropic({ apiKey: 'mistral-key', baseURL: `${gateway.origin}/mistral`, maxRetries: 0 });
    const final = await anthropic.messages.stream({ model: 'mistral-small-latest', max_tokens: 20, messages: [{ role: 'user', content: 'Hi' }] }).finalMessage();
    expect(final).toMatchObject({ content: [{ type: 'text', text: 'Bonjour' }], usage: { input_tokens: 8, output_tokens: 2 } });
    expect(mistral.requests[0].json).not.toHaveProperty('stream_options');
    expect(mistral.requests[0].json).toMatchObject({ max_tokens: 20 });
    expect(mistral.requests[0].json).not.toHaveProperty('max_completion_tokens');
  });

  it('a chat client’s own stream_options is left out for such a provider, which reports usage anyway', async () => {
    const client = new OpenAI({ apiKey: 'k', baseURL: `${gateway.origin}/vllm/v1`, maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } });
    expect(await readChatStream(stream)).toMatchObject({ text: 'Bonjour', usage: { prompt_tokens: 8, completion_tokens: 2 } });
    expect(vllm.requests[0].json).toMatchObject({ model: 'm', stream: true });
    expect(vllm.requests[0].json).not.toHaveProperty('stream_options');
  });
});
