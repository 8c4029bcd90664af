/**
 * docs/api.md "Choosing providers" and "Credentials": header, chain, `provider/model`, the
 * path form, the default; which key goes where.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chatCompletion, sendJson, startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

let openai: MockUpstream;
let groq: MockUpstream;
let openrouter: MockUpstream;
let vllm: MockUpstream;
let gateway: TestGateway;

const answer = (res: Parameters<Parameters<MockUpstream['handle']>[0]>[1]) => sendJson(res, 200, chatCompletion());

beforeAll(async () => {
  [openai, groq, openrouter, vllm] = await Promise.all([1, 2, 3, 4].map(() => startMockUpstream((request, res) => answer(res))));
  gateway = await startGateway({
    OPENAI_BASE_URL: `${openai.origin}/v1`,
    GROQ_BASE_URL: `${groq.origin}/openai/v1`,
    GROQ_API_KEY: 'gsk-env-1, gsk-env-2',
    OPENROUTER_BASE_URL: `${openrouter.origin}/api/v1`,
    GATEWAY_PROVIDERS: `vllm=${vllm.origin}/v1,lm-studio=${vllm.origin}/lm/v1/`,
    VLLM_API_KEY: 'vllm-key',
  });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([openai, groq, openrouter, vllm].map((mock) => mock.close()));
});

beforeEach(() => {
  for (const mock of [openai, groq, openrouter, vllm]) mock.requests.length = 0;
});

async function chat(headers: Record<string, string>, body: Record<string, unknown> = { model: 'gpt-4o' }, path = '/v1/chat/completions') {
  const response = await fetch(gateway.origin + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }], ...body }),
  });
  return { response, json: (await response.json()) as Record<string, any> };
}

describe('choosing the provider', () => {
  it('x-provider: name/model replaces the body model', async () => {
    const { response } = await chat({ 'x-provider': 'groq/llama-3.1-8b-instant' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-gateway-provider')).toBe('groq');
    expect(groq.requests[0].json?.model).toBe('llama-3.1-8b-instant');
  });

  it('splits an entry at the first slash only: the model keeps its slashes and colons', async () => {
    await chat({ 'x-provider': 'openrouter/meta-llama/llama-3.1-8b-instruct:free' });
    expect(openrouter.requests[0].url).toBe('/api/v1/chat/completions');
    expect(openrouter.requests[0].json?.model).toBe('meta-llama/llama-3.1-8b-instruct:free');
  });

  it('a chain is parsed and its first entry answers', async () => {
    const { response } = await chat({ 'x-provider': ' Groq/llama-3.1-8b-instant , openai, openrouter/x' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-gateway-provider')).toBe('groq');
    expect(openai.requests).toHaveLength(0);
  });

  it('without a header, a provider/model model routes and loses its prefix', async () => {
    await chat({}, { model: 'groq/llama-3.1-8b-instant' });
    expect(groq.requests[0].json?.model).toBe('llama-3.1-8b-instant');
  });

  it('a provider read from the model never gets the client’s own Authorization key (it may be meant for the default provider)', async () => {
    await chat({ authorization: 'Bearer sk-meant-for-openai' }, { model: 'groq/llama-3.1-8b-instant' });
    expect(groq.requests[0].headers.authorization).toMatch(/^Bearer gsk-env-/);
    await chat({ 'x-groq-api-key': 'gsk-client-own' }, { model: 'groq/llama-3.1-8b-instant' });
    expect(groq.requests[1].headers.authorization).toBe('Bearer gsk-client-own');
  });

  it('with OpenRouter as the default provider, `openai/gpt-4o` is OpenRouter’s own model id, not a route', async () => {
    const routed = await startGateway({ OPENAI_BASE_URL: `${openai.origin}/v1`, OPENROUTER_BASE_URL: `${openrouter.origin}/api/v1`, DEFAULT_PROVIDER: 'openrouter' });
    try {
      const response = await fetch(`${routed.origin}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-or-client' },
        body: JSON.stringify({ model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(response.status).toBe(200);
      expect(openai.requests).toHaveLength(0);
      expect(openrouter.requests[0].json?.model).toBe('openai/gpt-4o');
      expect(openrouter.requests[0].headers.authorization).toBe('Bearer sk-or-client');
    } finally {
      await routed.close();
    }
  });

  it('a model whose prefix is not a provider goes to the default provider unchanged', async () => {
    await chat({}, { model: 'meta-llama/llama-3.1-8b' });
    expect(openai.requests[0].json?.model).toBe('meta-llama/llama-3.1-8b');
  });

  it('the body is sent byte for byte when nothing in it changes', async () => {
    const body = '{"model":"gpt-4o",  "messages":[{"role":"user","content":"hi"}], "extra_field": {"kept": true}}';
    await fetch(`${gateway.origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(openai.requests[0].body).toBe(body);
  });

  it('the path form /{provider}/v1 works for the openai SDK with no extra header', async () => {
    const client = new OpenAI({ apiKey: 'gsk-client', baseURL: `${gateway.origin}/groq/v1`, maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: 'llama-3.1-8b-instant', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0].message.content).toBe('Hello there!');
    expect(groq.requests[0].url).toBe('/openai/v1/chat/completions');
    expect(groq.requests[0].headers.authorization).toBe('Bearer gsk-client');
  });

  it('custom providers from GATEWAY_PROVIDERS are reachable, with their own key variable', async () => {
    await chat({ 'x-provider': 'vllm' }, { model: 'qwen' });
    expect(vllm.requests[0].url).toBe('/v1/chat/completions');
    expect(vllm.requests[0].headers.authorization).toBe('Bearer vllm-key');
    await chat({}, { model: 'lm-studio/qwen' }, '/v1/chat/completions');
    expect(vllm.requests[1].url).toBe('/lm/v1/chat/completions');
    expect(vllm.requests[1].headers.authorization).toBeUndefined();
  });

  it.each([
    [{ 'x-provider': 'nope' }, /Unknown provider "nope".*openai, groq/],
    [{ 'x-provider': 'openai,,groq' }, /empty entry/],
    [{ 'x-provider': 'openai/' }, /names no model/],
    [{ 'x-provider': Array(11).fill('openai').join(',') }, /at most 10/],
  ])('refuses a bad x-provider %j with a 400 that names the problem', async (headers, message) => {
    const { response, json } = await chat(headers);
    expect(response.status).toBe(400);
    expect(json.error.type).toBe('invalid_request_error');
    expect(json.error.message).toMatch(message);
    expect(openai.requests).toHaveLength(0);
  });

  it('an unknown path provider is a 400 listing the known ones', async () => {
    const { response, json } = await chat({}, {}, '/nope/v1/chat/completions');
    expect(response.status).toBe(400);
    expect(json.error.message).toContain('vllm');
  });
});

describe('credentials', () => {
  it('x-<name>-api-key wins over Authorization and the environment', async () => {
    await chat({ 'x-provider': 'groq', authorization: 'Bearer client', 'x-groq-api-key': 'gsk-header' });
    expect(groq.requests[0].headers.authorization).toBe('Bearer gsk-header');
    expect(groq.requests[0].headers['x-groq-api-key']).toBeUndefined();
  });

  it('x-api-key counts as the client key, sent as a Bearer token', async () => {
    await chat({ 'x-provider': 'openai', 'x-api-key': 'sk-x' });
    expect(openai.requests[0].headers.authorization).toBe('Bearer sk-x');
    expect(openai.requests[0].headers['x-api-key']).toBeUndefined();
  });

  it('environment keys rotate round-robin, one per request', async () => {
    for (let i = 0; i < 4; i++) await chat({ 'x-provider': 'groq' });
    const used = groq.requests.map((request) => request.headers.authorization);
    expect(new Set(used)).toEqual(new Set(['Bearer gsk-env-1', 'Bearer gsk-env-2']));
    expect(used[0]).not.toBe(used[1]);
    expect(used[0]).toBe(used[2]);
  });

  it('forwards only allow-listed headers: no cookies, forwarded-for or other providers’ keys', async () => {
    await chat({
      'x-provider': 'openai',
      authorization: 'Bearer sk-mine',
      cookie: 'session=secret',
      'x-forwarded-for': '10.0.0.1',
      'x-groq-api-key': 'gsk-not-for-openai',
      'openai-organization': 'org-1',
      'openai-project': 'proj-1',
    });
    const headers = openai.requests[0].headers;
    expect(headers.authorization).toBe('Bearer sk-mine');
    expect(headers['openai-organization']).toBe('org-1');
    expect(headers['openai-project']).toBe('proj-1');
    expect(headers.cookie).toBeUndefined();
    expect(headers['x-forwarded-for']).toBeUndefined();
    expect(JSON.stringify(headers)).not.toContain('gsk-not-for-openai');
  });
});
