/**
 * The Messages API's own surface: every error the gateway itself answers on `/v1/messages`
 * (and `count_tokens`) in Anthropic's shape, which the Anthropic SDK reads;
 * `POST /v1/messages/count_tokens` in front of every provider; and the request shapes
 * the translation takes or refuses by name.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chatCompletion, sendJson, startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { validatingOpenAI } from '../helpers/providers/openai-mock.js';

let anthropic: MockUpstream;
let openai: MockUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  [anthropic, openai] = await Promise.all([startMockUpstream(), startMockUpstream()]);
  openai.handle(validatingOpenAI((request, res) => sendJson(res, 200, chatCompletion('ok'))));
  gateway = await startGateway({ ANTHROPIC_BASE_URL: anthropic.origin, OPENAI_BASE_URL: `${openai.origin}/v1`, GATEWAY_RETRIES: '0', GATEWAY_MAX_BODY_BYTES: '100000' });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([anthropic.close(), openai.close()]);
});

beforeEach(() => {
  anthropic.requests.length = 0;
  openai.requests.length = 0;
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${gateway.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'sk-client', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

const hi = [{ role: 'user', content: 'hi' }];

describe('errors the gateway makes on /v1/messages are Anthropic-shaped', () => {
  it.each([
    ['malformed JSON', '/openai/v1/messages', '{"model":', {}, 400, 'invalid_request_error'],
    ['an unknown provider', '/v1/messages', { model: 'm', max_tokens: 5, messages: hi }, { 'x-provider': 'nope' }, 400, 'invalid_request_error'],
    ['no messages', '/openai/v1/messages', { model: 'gpt-4o', max_tokens: 5, messages: [] }, {}, 400, 'invalid_request_error'],
    ['a body over the limit', '/openai/v1/messages', { model: 'gpt-4o', max_tokens: 5, messages: [{ role: 'user', content: 'x'.repeat(200_000) }] }, {}, 413, 'request_too_large'],
    ['no model', '/openai/v1/messages', { max_tokens: 5, messages: hi }, {}, 400, 'invalid_request_error'],
    ['count_tokens without messages', '/openai/v1/messages/count_tokens', { model: 'gpt-4o' }, {}, 400, 'invalid_request_error'],
  ])('%s', async (_, path, body, headers, status, type) => {
    const response = await post(path, body, headers as Record<string, string>);
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ type: 'error', error: { type, message: expect.any(String) } });
    expect(openai.requests).toHaveLength(0);
  });

  it('the Anthropic SDK reads them as its own error classes', async () => {
    const client = new Anthropic({ apiKey: 'sk', baseURL: `${gateway.origin}/openai`, maxRetries: 0 });
    const thrown = await client.messages
      .create({ model: 'gpt-4o', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'url', url: 'https://example.com/a.pdf' } }] }] })
      .catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(Anthropic.BadRequestError);
    expect((thrown as InstanceType<typeof Anthropic.BadRequestError>).error).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('"document" block') } });
  });

  it('all attempts failing gives Anthropic’s shape with the last status', async () => {
    openai.handle((request, res) => sendJson(res, 503, { error: { message: 'busy', type: 'server_error' } }));
    const response = await post('/openai/v1/messages', { model: 'gpt-4o', max_tokens: 5, messages: hi }, { 'x-gateway-retries': '1' });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'api_error', message: expect.stringContaining('Every attempt failed') } });
    openai.handle(validatingOpenAI((request, res) => sendJson(res, 200, chatCompletion('ok'))));
  });

  it('chat completions keep OpenAI’s shape', async () => {
    const response = await post('/v1/chat/completions', { model: 'm', messages: hi }, { 'x-provider': 'nope' });
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
  });
});

describe('POST /v1/messages/count_tokens', () => {
  const body = {
    model: 'claude-sonnet-4-5',
    system: 'You are terse.',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello there, how are you today?' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } }] }],
    tools: [{ name: 'get_weather', description: 'Weather for a city', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
  };

  it('passes through to Anthropic, query and all', async () => {
    anthropic.handle((request, res) => sendJson(res, 200, { input_tokens: 1234 }));
    const response = await post('/v1/messages/count_tokens?beta=true', body, { 'x-provider': 'anthropic', 'anthropic-beta': 'token-counting-2024-11-01' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ input_tokens: 1234 });
    expect(anthropic.requests[0]).toMatchObject({ url: '/v1/messages/count_tokens?beta=true', json: body });
    expect(anthropic.requests[0].headers).toMatchObject({ 'x-api-key': 'sk-client', 'anthropic-beta': 'token-counting-2024-11-01' });
  });

  it('elsewhere answers an estimate from the tokenizer, marked as one, without calling the provider', async () => {
    const client = new Anthropic({ apiKey: 'sk', baseURL: `${gateway.origin}/openai`, maxRetries: 0 });
    const counted = await client.messages.countTokens(body as Anthropic.MessageCountTokensParams);
    const textOnly = await client.messages.countTokens({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hello there, how are you today?' }] });
    // The text's 8 tokens and the message's 3, by o200k_base.
    expect(textOnly.input_tokens).toBe(11);
    // The image counts 1600, the system prompt and the tool definition their text.
    expect(counted.input_tokens).toBeGreaterThan(11 + 1600);
    expect(counted.input_tokens).toBeLessThan(11 + 1600 + 60);
    expect(openai.requests).toHaveLength(0);
    const response = await post('/openai/v1/messages/count_tokens', body);
    expect(response.headers.get('x-gateway-token-count')).toBe('estimate');
  });
});

describe('request shapes the translation takes', () => {
  it('a short metadata.user_id goes as user unchanged; cache_control and top_k are left out', async () => {
    const response = await post('/openai/v1/messages', {
      model: 'gpt-4o',
      max_tokens: 5,
      top_k: 5,
      metadata: { user_id: 'user-42' },
      system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } }] }],
    });
    expect(response.status).toBe(200);
    expect(openai.requests[0].json).toEqual({ model: 'gpt-4o', max_completion_tokens: 5, user: 'user-42', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }] });
  });

  it('a text document becomes text, a base64 PDF a file part; output_config.format becomes response_format', async () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'], additionalProperties: false };
    const response = await post('/openai/v1/messages', {
      model: 'gpt-4o',
      max_tokens: 5,
      output_config: { format: { type: 'json_schema', schema } },
      messages: [{ role: 'user', content: [
        { type: 'document', title: 'notes', source: { type: 'text', media_type: 'text/plain', data: 'Some notes.' } },
        { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0xLjEK' } },
      ] }],
    });
    expect(response.status).toBe(200);
    expect(openai.requests[0].json).toMatchObject({
      response_format: { type: 'json_schema', json_schema: { name: 'output', schema, strict: true } },
      messages: [{ role: 'user', content: [{ type: 'text', text: 'notes\n\nSome notes.' }, { type: 'file', file: { filename: 'document.pdf', file_data: 'data:application/pdf;base64,JVBERi0xLjEK' } }] }],
    });
  });

  it('a server tool is refused by name', async () => {
    const response = await post('/openai/v1/messages', { model: 'gpt-4o', max_tokens: 5, tools: [{ type: 'web_search_20250305', name: 'web_search' }], messages: hi });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('web_search_20250305');
  });
});
