/**
 * `GET /v1/models` with the translated providers: each one's own list endpoint, read in
 * its own shape, listed as `provider/model`; Ollama, which needs no key, is always
 * asked; a chosen provider's error comes back in OpenAI's shape.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

let anthropic: MockUpstream;
let gemini: MockUpstream;
let ollama: MockUpstream;
let azure: MockUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  anthropic = await startMockUpstream((request, res) => {
    if (request.url !== '/v1/models?limit=1000' || request.headers['x-api-key'] !== 'ant-env' || !request.headers['anthropic-version']) {
      return sendJson(res, 401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
    }
    sendJson(res, 200, { data: [{ type: 'model', id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z' }], has_more: false, first_id: 'claude-sonnet-4-5-20250929', last_id: 'claude-sonnet-4-5-20250929' });
  });
  gemini = await startMockUpstream((request, res) => {
    if (request.url !== '/v1beta/models?pageSize=1000' || request.headers['x-goog-api-key'] !== 'goog-env') {
      return sendJson(res, 400, { error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' } });
    }
    sendJson(res, 200, { models: [{ name: 'models/gemini-2.0-flash', displayName: 'Gemini 2.0 Flash', inputTokenLimit: 1048576, outputTokenLimit: 8192, supportedGenerationMethods: ['generateContent'] }] });
  });
  ollama = await startMockUpstream((request, res) =>
    request.url === '/api/tags'
      ? sendJson(res, 200, { models: [{ name: 'llama3.2:latest', model: 'llama3.2:latest', modified_at: '2024-12-10T17:00:00Z', size: 2019393189, details: { family: 'llama' } }] })
      : sendJson(res, 404, { error: 'not found' }),
  );
  azure = await startMockUpstream((request, res) =>
    request.url === '/openai/models?api-version=2024-10-21' && request.headers['api-key'] === 'az-env'
      ? sendJson(res, 200, { object: 'list', data: [{ id: 'gpt-4o', object: 'model', created: 1715558400 }] })
      : sendJson(res, 401, { error: { code: '401', message: 'Access denied' } }),
  );
  gateway = await startGateway({
    ANTHROPIC_BASE_URL: anthropic.origin,
    ANTHROPIC_API_KEY: 'ant-env',
    GEMINI_BASE_URL: gemini.origin,
    GEMINI_API_KEY: 'goog-env',
    OLLAMA_BASE_URL: ollama.origin,
    AZURE_BASE_URL: azure.origin,
    AZURE_API_KEY: 'az-env',
    OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
    GATEWAY_MODELS_TIMEOUT_MS: '500',
  });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([anthropic, gemini, ollama, azure].map((mock) => mock.close()));
});

describe('GET /v1/models with translated providers', () => {
  it('lists every translated provider’s models as provider/model, Ollama without a key', async () => {
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${gateway.origin}/v1`, maxRetries: 0 });
    const models: OpenAI.Model[] = [];
    for await (const model of client.models.list()) models.push(model);
    expect(models.map((model) => model.id).sort()).toEqual(['anthropic/claude-sonnet-4-5-20250929', 'azure/gpt-4o', 'gemini/gemini-2.0-flash', 'ollama/llama3.2:latest']);
    expect(models.find((model) => model.id.startsWith('anthropic/'))).toMatchObject({ object: 'model', owned_by: 'anthropic', created: 1759104000, display_name: 'Claude Sonnet 4.5' });
    expect(models.find((model) => model.id.startsWith('gemini/'))).toMatchObject({ owned_by: 'google', display_name: 'Gemini 2.0 Flash', context_window: 1048576 });
    expect(models.find((model) => model.id.startsWith('ollama/'))).toMatchObject({ owned_by: 'ollama', created: 1733850000 });
    expect(ollama.requests.at(-1)?.headers.authorization).toBeUndefined();
  });

  it('a chosen provider lists its own ids: Gemini’s without the models/ prefix', async () => {
    const response = await fetch(`${gateway.origin}/gemini/v1/models`);
    expect(((await response.json()) as { data: Array<{ id: string }> }).data.map((model) => model.id)).toEqual(['gemini-2.0-flash']);
  });

  it('a chosen provider whose list is cut mid-body is a 502 upstream_connection_lost', async () => {
    const cut = await startMockUpstream((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '400' });
      res.write('{"object":"list","data":[');
      setTimeout(() => res.socket?.destroy(), 5);
    });
    const cutGateway = await startGateway({ OPENAI_BASE_URL: `${cut.origin}/v1`, OPENAI_API_KEY: 'sk-env' });
    try {
      const response = await fetch(`${cutGateway.origin}/openai/v1/models`);
      expect(response.status).toBe(502);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('upstream_connection_lost');
    } finally {
      await cutGateway.close();
      await cut.close();
    }
  });

  it('a chosen provider’s error comes back in OpenAI’s shape with its status', async () => {
    const response = await fetch(`${gateway.origin}/gemini/v1/models`, { headers: { 'x-gemini-api-key': 'wrong' } });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { message: 'API key not valid. Please pass a valid API key.', type: 'invalid_request_error', code: 'INVALID_ARGUMENT', param: null } });
  });
});
