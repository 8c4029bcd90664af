/**
 * The endpoints of docs/api.md "Endpoints" and the gateway's own errors, through the
 * official openai SDK and plain fetch.
 */
import OpenAI from 'openai';
import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendJson, sleep, startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

let openai: MockUpstream;
let groq: MockUpstream;
let hanging: MockUpstream;
let gateway: TestGateway;
let client: OpenAI;
let closedPort: number;

beforeAll(async () => {
  openai = await startMockUpstream();
  groq = await startMockUpstream();
  hanging = await startMockUpstream(() => new Promise(() => {}));
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  gateway = await startGateway({
    OPENAI_BASE_URL: `${openai.origin}/v1`,
    GROQ_BASE_URL: `${groq.origin}/openai/v1`,
    GROQ_API_KEY: 'gsk-env',
    MISTRAL_BASE_URL: `${hanging.origin}/v1`,
    MISTRAL_API_KEY: 'mistral-env',
    TOGETHER_BASE_URL: `http://127.0.0.1:${closedPort}/v1`,
    TOGETHER_API_KEY: 'together-env',
    // Ollama needs no key, so the list always asks it; here it is not running.
    OLLAMA_BASE_URL: `http://127.0.0.1:${closedPort}`,
    // Long enough for a busy machine's healthy providers; the hanging one is cut at it.
    GATEWAY_MODELS_TIMEOUT_MS: '1500',
  });
  client = new OpenAI({ apiKey: 'sk-test', baseURL: `${gateway.origin}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([openai.close(), groq.close(), hanging.close()]);
});

beforeEach(() => {
  for (const mock of [openai, groq, hanging]) mock.requests.length = 0;
});

describe('endpoints', () => {
  it('GET /health answers without calling any provider', async () => {
    const response = await fetch(`${gateway.origin}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
    expect(openai.requests).toHaveLength(0);
  });

  it('embeddings through the SDK', async () => {
    openai.handle((request, res) =>
      sendJson(res, 200, { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.5, -0.25] }], model: 'text-embedding-3-small', usage: { prompt_tokens: 2, total_tokens: 2 } }),
    );
    const result = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'hello', encoding_format: 'float' });
    expect(result.data[0].embedding).toEqual([0.5, -0.25]);
    expect(openai.requests[0].url).toBe('/v1/embeddings');
  });

  it('legacy completions through the SDK', async () => {
    openai.handle((request, res) =>
      sendJson(res, 200, { id: 'cmpl-1', object: 'text_completion', created: 1, model: 'gpt-3.5-turbo-instruct', choices: [{ text: ' world', index: 0, logprobs: null, finish_reason: 'stop' }] }),
    );
    const result = await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'hello' });
    expect(result.choices[0].text).toBe(' world');
    expect(openai.requests[0].url).toBe('/v1/completions');
  });

  it('GET /v1/models lists every provider with a key as provider/model; a hanging or closed provider is left out', async () => {
    openai.handle((request, res) => sendJson(res, 200, { object: 'list', data: [{ id: 'gpt-4o', object: 'model', created: 1, owned_by: 'openai' }] }));
    groq.handle((request, res) => sendJson(res, 200, { object: 'list', data: [{ id: 'llama-3.1-8b-instant', object: 'model', created: 2, owned_by: 'Meta' }] }));
    const started = Date.now();
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids.sort()).toEqual(['groq/llama-3.1-8b-instant', 'openai/gpt-4o']);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(hanging.requests).toHaveLength(1);
    expect(openai.requests[0].headers.authorization).toBe('Bearer sk-test');
    expect(groq.requests[0].headers.authorization).toBe('Bearer gsk-env');
  });

  it('GET /{provider}/v1/models lists that provider’s own ids, and passes its error through', async () => {
    groq.handle((request, res) => sendJson(res, 200, { object: 'list', data: [{ id: 'llama-3.1-8b-instant', object: 'model', created: 2, owned_by: 'Meta', context_window: 131072 }] }));
    const response = await fetch(`${gateway.origin}/groq/v1/models`);
    expect(await response.json()).toEqual({ object: 'list', data: [{ id: 'llama-3.1-8b-instant', object: 'model', created: 2, owned_by: 'Meta', context_window: 131072 }] });
    groq.handle((request, res) => sendJson(res, 401, { error: { message: 'Invalid API Key', type: 'invalid_request_error', code: 'invalid_api_key' } }));
    const refused = await fetch(`${gateway.origin}/groq/v1/models`);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
  });

  it('passes any other /v1/* through unchanged: method, path, query and body', async () => {
    openai.handle((request, res) => sendJson(res, 200, { echoed: request.method, url: request.url, type: request.headers['content-type'], body: request.body }));
    const listed = await fetch(`${gateway.origin}/v1/files?limit=2&purpose=batch`, { headers: { authorization: 'Bearer sk-1' } });
    expect(await listed.json()).toMatchObject({ echoed: 'GET', url: '/v1/files?limit=2&purpose=batch' });
    const form = new FormData();
    form.append('purpose', 'batch');
    form.append('file', new Blob(['{"a":1}\n']), 'batch.jsonl');
    const uploaded = await fetch(`${gateway.origin}/v1/files`, { method: 'POST', body: form });
    const echoed = (await uploaded.json()) as { echoed: string; type: string; body: string };
    expect(echoed.echoed).toBe('POST');
    expect(echoed.type).toMatch(/^multipart\/form-data; boundary=/);
    expect(echoed.body).toContain('{"a":1}');
    groq.handle((request, res) => sendJson(res, 404, { error: { message: 'No such file', type: 'invalid_request_error' } }));
    const deleted = await fetch(`${gateway.origin}/groq/v1/files/file-1`, { method: 'DELETE' });
    expect(deleted.status).toBe(404);
    expect(groq.requests[0]).toMatchObject({ method: 'DELETE', url: '/openai/v1/files/file-1' });
  });

  it('refuses a path with a dot segment hidden by percent-encoding, sending nothing upstream', async () => {
    const response = await fetch(`${gateway.origin}/v1/files/..%2F..%2Fadmin`);
    expect(response.status).toBe(400);
    expect(openai.requests).toHaveLength(0);
  });
});

describe('errors', () => {
  it('malformed JSON is a 400 in OpenAI’s shape, with a request id', async () => {
    const response = await fetch(`${gateway.origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'my-req-1' }, body: '{"model":' });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-request-id')).toBe('my-req-1');
    expect(response.headers.get('x-gateway-cache')).toBe('BYPASS');
    expect(response.headers.get('x-gateway-attempts')).toBe('0');
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_json', param: null });
    expect(openai.requests).toHaveLength(0);
  });

  it.each([
    ['a missing model', { messages: [{ role: 'user', content: 'hi' }] }, 'model'],
    ['empty messages', { model: 'gpt-4o', messages: [] }, 'messages'],
    ['a non-boolean stream', { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: 'yes' }, 'stream'],
  ])('%s is a 400 naming the field', async (_name, body, param) => {
    const response = await fetch(`${gateway.origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { param: string } }).error.param).toBe(param);
  });

  it('a provider’s own 400 comes back with its body and status, as an APIError in the SDK', async () => {
    const error = { error: { message: "Invalid value for 'temperature'", type: 'invalid_request_error', param: 'temperature', code: 'invalid_value' } };
    openai.handle((request, res) => sendJson(res, 400, error, { 'set-cookie': 'a=b', 'x-request-id': 'req_up' }));
    const raw = await fetch(`${gateway.origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], temperature: 9 }) });
    expect(raw.status).toBe(400);
    expect(raw.headers.get('set-cookie')).toBeNull();
    expect(await raw.json()).toEqual(error);
    const thrown = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], temperature: 9 }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(OpenAI.APIError);
    expect((thrown as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect((thrown as InstanceType<typeof OpenAI.APIError>).param).toBe('temperature');
  });

  it('an unreachable provider is a 502 in OpenAI’s shape', async () => {
    const response = await fetch(`${gateway.origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-provider': 'together', 'x-gateway-retries': '0' }, body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }) });
    expect(response.status).toBe(502);
    const body = (await response.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe('upstream_error');
    expect(body.error.message).toContain('together');
    expect(JSON.stringify(body)).not.toContain('together-env');
  });

  it('a redirect from a provider is not followed: 502', async () => {
    openai.handle((request, res) => {
      res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' });
      res.end();
    });
    const response = await fetch(`${gateway.origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-gateway-retries': '0' }, body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }) });
    expect(response.status).toBe(502);
    expect(openai.requests).toHaveLength(1);
  });

  it('answers 404 in OpenAI’s shape for unknown routes', async () => {
    const response = await fetch(`${gateway.origin}/nothing/here`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe('not_found_error');
  });

  it('a slow provider does not hold the gateway: /health still answers at once', async () => {
    const pending = fetch(`${gateway.origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-provider': 'mistral', 'x-gateway-timeout': '300', 'x-gateway-retries': '0' }, body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }) });
    await sleep(50);
    expect((await fetch(`${gateway.origin}/health`)).status).toBe(200);
    expect((await pending).status).toBe(504);
  });
});
