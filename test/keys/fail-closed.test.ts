/**
 * docs/api.md "Credentials": which provider keys a request may spend, in each auth mode.
 * A gateway reachable beyond loopback with no gateway credential (`own-keys-only`) serves
 * clients that bring their own provider keys and refuses, with nothing sent upstream, a
 * request that would spend the gateway's own `<NAME>_API_KEY`; on loopback
 * (`open-loopback`) or with `GATEWAY_AUTH=off` it lends them. A provider with no key at all
 * is a 401 `missing_provider_key`, never a keyless upstream call.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { chatCompletion, sendJson, startMockUpstream, type MockHandler, type MockUpstream } from '../helpers/mock-upstream.js';

let openai: MockUpstream;
let groq: MockUpstream;
let local: MockUpstream;
const ENV_OPENAI_KEY = 'sk-env-openai-secret';
const ENV_GROQ_KEY = 'gsk-env-groq-secret';
const running: TestGateway[] = [];

type ErrorBody = { error: { message: string; code: string; type: string; attempts?: Record<string, unknown>[] } };

beforeAll(async () => {
  const answer = (text: string): MockHandler => (request, res) =>
    sendJson(res, 200, request.url.endsWith('/models') ? { object: 'list', data: [{ id: `${text}-model` }] } : chatCompletion(text));
  openai = await startMockUpstream(answer('openai'));
  groq = await startMockUpstream(answer('groq'));
  local = await startMockUpstream(answer('local'));
});

afterAll(async () => {
  await Promise.all([openai.close(), groq.close(), local.close()]);
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((gateway) => gateway.close()));
  for (const mock of [openai, groq, local]) mock.requests.length = 0;
});

async function gatewayWith(env: Record<string, string>, exposed: boolean): Promise<TestGateway> {
  const gateway = await startGateway(
    {
      OPENAI_BASE_URL: `${openai.origin}/v1`,
      OPENAI_API_KEY: ENV_OPENAI_KEY,
      GROQ_BASE_URL: `${groq.origin}/openai/v1`,
      GROQ_API_KEY: ENV_GROQ_KEY,
      GATEWAY_PROVIDERS: `local=${local.origin}/v1`,
      ...env,
    },
    { exposed },
  );
  running.push(gateway);
  return gateway;
}

async function chat(gateway: TestGateway, headers: Record<string, string> = {}, path = '/v1/chat/completions') {
  const response = await fetch(gateway.origin + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as ErrorBody & Record<string, unknown> };
}

async function health(gateway: TestGateway) {
  return (await (await fetch(`${gateway.origin}/health`)).json()) as { auth: string };
}

describe('own-keys-only: reachable beyond loopback, no gateway credential', () => {
  it('says so on /health, without a key', async () => {
    const gateway = await gatewayWith({}, true);
    const body = await health(gateway);
    expect(body.auth).toBe('own-keys-only');
    expect(JSON.stringify(body)).not.toContain(ENV_OPENAI_KEY);
  });

  it('refuses a request that would spend the gateway’s own key: an OpenAI-shaped 401 saying what to send, nothing upstream', async () => {
    const gateway = await gatewayWith({}, true);
    const { status, headers, body } = await chat(gateway, { 'x-provider': 'openai' });
    expect(status).toBe(401);
    expect(headers.get('www-authenticate')).toBe('Bearer');
    expect(body.error).toMatchObject({ type: 'authentication_error', code: 'gateway_key_required' });
    expect(body.error.message).toContain('Authorization: Bearer gw-');
    expect(body.error.message).toContain('npm run keys -- create');
    expect(body.error.message).toContain('x-openai-api-key');
    expect(JSON.stringify(body)).not.toContain(ENV_OPENAI_KEY);
    expect(openai.requests).toHaveLength(0);
  });

  it('refuses passthrough and a chosen provider’s model list the same way', async () => {
    const gateway = await gatewayWith({}, true);
    const files = await fetch(`${gateway.origin}/openai/v1/files`);
    expect(files.status).toBe(401);
    const models = await fetch(`${gateway.origin}/groq/v1/models`);
    expect(models.status).toBe(401);
    expect(((await models.json()) as ErrorBody).error.code).toBe('gateway_key_required');
    expect(openai.requests).toHaveLength(0);
    expect(groq.requests).toHaveLength(0);
  });

  it('serves a client that brings its own key, in Authorization or x-<name>-api-key', async () => {
    const gateway = await gatewayWith({}, true);
    expect((await chat(gateway, { authorization: 'Bearer sk-client-own' })).status).toBe(200);
    expect(openai.requests[0].headers.authorization).toBe('Bearer sk-client-own');
    expect((await chat(gateway, { 'x-groq-api-key': 'gsk-client-own' }, '/groq/v1/chat/completions')).status).toBe(200);
    expect(groq.requests[0].headers.authorization).toBe('Bearer gsk-client-own');
  });

  it('skips a later chain entry that only has the gateway’s key, and lists it as skipped', async () => {
    const gateway = await gatewayWith({}, true);
    openai.handle((_request, res) => sendJson(res, 503, { error: { message: 'overloaded', type: 'server_error' } }));
    try {
      const { status, body } = await chat(gateway, { 'x-provider': 'openai, groq/llama', 'x-gateway-retries': '0', authorization: 'Bearer sk-client-own' });
      expect(status).toBe(503);
      expect(body.error.attempts).toEqual([
        expect.objectContaining({ provider: 'openai', model: 'gpt-4o', status: 503 }),
        { provider: 'groq', model: 'llama', skipped: 'gateway_key_required', duration_ms: 0 },
      ]);
      expect(body.error.message).toMatch(/Every attempt failed \(1\): openai\/gpt-4o: 503 after \d+ ms; groq\/llama: skipped \(gateway_key_required\)/);
      expect(groq.requests).toHaveLength(0);
    } finally {
      openai.handle((_request, res) => sendJson(res, 200, chatCompletion('openai')));
    }
  });

  it('falls back to a later entry the client brought its own key for', async () => {
    const gateway = await gatewayWith({}, true);
    const { status, headers } = await chat(gateway, { 'x-provider': 'openai, groq/llama', 'x-groq-api-key': 'gsk-client-own' });
    expect(status).toBe(200);
    expect(headers.get('x-gateway-provider')).toBe('groq');
    expect(headers.get('x-gateway-attempts')).toBe('1');
    expect(openai.requests).toHaveLength(0);
  });

  it('never forwards a value shaped like a gateway key as a provider key', async () => {
    const gateway = await gatewayWith({}, true);
    const gatewayKeyShaped = `gw-${'A'.repeat(43)}`;
    const { status, body } = await chat(gateway, { authorization: `Bearer ${gatewayKeyShaped}` });
    expect(status).toBe(401);
    expect(body.error.code).toBe('gateway_key_required');
    expect(openai.requests).toHaveLength(0);
  });

  it('lists only the models of providers the client brought a key for, or that need none', async () => {
    const gateway = await gatewayWith({}, true);
    const response = await fetch(`${gateway.origin}/v1/models`, { headers: { 'x-groq-api-key': 'gsk-client-own' } });
    expect(response.status).toBe(200);
    const ids = ((await response.json()) as { data: { id: string }[] }).data.map((model) => model.id);
    expect(ids).toContain('groq/groq-model');
    expect(ids).toContain('local/local-model');
    expect(ids).not.toContain('openai/openai-model');
    expect(openai.requests).toHaveLength(0);
  });

  it('calls a provider that needs no key, as today', async () => {
    const gateway = await gatewayWith({}, true);
    expect((await chat(gateway, {}, '/local/v1/chat/completions')).status).toBe(200);
    expect(local.requests[0].headers.authorization).toBeUndefined();
  });
});

describe('open-loopback and off: the gateway’s own keys are lent', () => {
  it('on loopback only, a request without a key uses the environment key', async () => {
    const gateway = await gatewayWith({}, false);
    expect((await health(gateway)).auth).toBe('open-loopback');
    expect((await chat(gateway)).status).toBe(200);
    expect(openai.requests[0].headers.authorization).toBe(`Bearer ${ENV_OPENAI_KEY}`);
  });

  it('GATEWAY_AUTH=off lends them even when reachable beyond loopback', async () => {
    const gateway = await gatewayWith({ GATEWAY_AUTH: 'off' }, true);
    expect((await health(gateway)).auth).toBe('off');
    expect((await chat(gateway)).status).toBe(200);
    expect(openai.requests[0].headers.authorization).toBe(`Bearer ${ENV_OPENAI_KEY}`);
  });
});

describe('a provider with no key at all', () => {
  it('is a 401 missing_provider_key naming <NAME>_API_KEY and x-<name>-api-key, with nothing sent upstream', async () => {
    const gateway = await gatewayWith({ OPENAI_API_KEY: '' }, false);
    const { status, body } = await chat(gateway);
    expect(status).toBe(401);
    expect(body.error.code).toBe('missing_provider_key');
    expect(body.error.message).toContain('OPENAI_API_KEY');
    expect(body.error.message).toContain('x-openai-api-key');
    expect(openai.requests).toHaveLength(0);
  });

  it('in a chain, is skipped for the next entry that has one', async () => {
    const gateway = await gatewayWith({ OPENAI_API_KEY: '' }, false);
    const { status, headers } = await chat(gateway, { 'x-provider': 'openai, groq/llama' });
    expect(status).toBe(200);
    expect(headers.get('x-gateway-provider')).toBe('groq');
    expect(openai.requests).toHaveLength(0);
  });

  it('with every entry unusable, one 401 lists each entry and why', async () => {
    const gateway = await gatewayWith({ OPENAI_API_KEY: '' }, true);
    const { status, body } = await chat(gateway, { 'x-provider': 'openai, groq/llama' });
    expect(status).toBe(401);
    expect(body.error.code).toBe('gateway_key_required');
    expect(body.error.attempts).toEqual([
      { provider: 'openai', model: 'gpt-4o', skipped: 'missing_provider_key', duration_ms: 0 },
      { provider: 'groq', model: 'llama', skipped: 'gateway_key_required', duration_ms: 0 },
    ]);
    expect(body.error.message).toContain('GROQ_API_KEY');
    expect(body.error.message).not.toContain(ENV_GROQ_KEY);
  });
});

describe('open-loopback lends its keys only to this machine’s own clients', () => {
  it.each([
    ['a page from another site (Origin)', { origin: 'https://evil.example', 'content-type': 'text/plain' }],
    ['a reverse proxy on this machine (X-Forwarded-For)', { 'x-forwarded-for': '203.0.113.9' }],
    ['a reverse proxy on this machine (Forwarded)', { forwarded: 'for=203.0.113.9' }],
  ])('%s: refused, nothing sent upstream', async (_case, headers) => {
    const gateway = await gatewayWith({}, false);
    const { status, body } = await chat(gateway, headers);
    expect(status).toBe(401);
    expect(body.error.code).toBe('gateway_key_required');
    expect(openai.requests).toHaveLength(0);
  });

  it('a rebinding DNS name (Host): refused, nothing sent upstream; a loopback Host is served', async () => {
    const gateway = await gatewayWith({}, false);
    // fetch cannot set Host: a raw request can, as a browser on a rebound name does.
    const post = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const body = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
        const request = httpRequest(
          { host: '127.0.0.1', port: gateway.port, method: 'POST', path: '/v1/chat/completions', headers: { host, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
          (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          },
        );
        request.on('error', reject);
        request.end(body);
      });
    expect(await post('evil.example:3000')).toBe(401);
    expect(openai.requests).toHaveLength(0);
    expect(await post(`localhost:${gateway.port}`)).toBe(200);
    expect(await post(`[::1]:${gateway.port}`)).toBe(200);
  });

  it('a local page (Origin on loopback) is served', async () => {
    const gateway = await gatewayWith({}, false);
    expect((await chat(gateway, { origin: 'http://localhost:5173' })).status).toBe(200);
    expect(openai.requests.map((request) => request.headers.authorization)).toEqual([`Bearer ${ENV_OPENAI_KEY}`]);
  });

  it('a page from another site cannot read the machine’s stored responses', async () => {
    const gateway = await gatewayWith({}, false);
    const stored = await fetch(`${gateway.origin}/local/v1/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', input: 'secret plans' }) });
    expect(stored.status).toBe(200);
    const { id } = (await stored.json()) as { id: string };
    expect((await fetch(`${gateway.origin}/v1/responses/${id}`)).status).toBe(200);
    const foreign = await fetch(`${gateway.origin}/v1/responses/${id}`, { headers: { origin: 'https://evil.example' } });
    expect(foreign.status).toBe(401);
    expect((await fetch(`${gateway.origin}/v1/responses`, { headers: { origin: 'https://evil.example' } })).status).toBe(401);
  });
});

describe('own-keys-only and stored responses', () => {
  it('a stranger without credentials has no tenant: nothing is stored for it, and it reads nothing', async () => {
    const gateway = await gatewayWith({}, true);
    const created = await fetch(`${gateway.origin}/local/v1/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', input: 'my PIN is 4321' }) });
    expect(created.status).toBe(200);
    const response = (await created.json()) as { id: string; store: boolean };
    expect(response.store).toBe(false);
    expect((await fetch(`${gateway.origin}/v1/responses/${response.id}`)).status).toBe(401);
    expect((await fetch(`${gateway.origin}/v1/responses`)).status).toBe(401);
  });
});
