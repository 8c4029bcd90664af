/**
 * docs/api.md "Gateway keys, scopes and rate limits", end to end: keys made with the CLI
 * against a running gateway, which sees them (and their revocation) within 2 s; 401 for
 * no, wrong or revoked keys; 403 outside a key's scopes, providers or models; the
 * gateway key never reaches a provider and never appears in a log line.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chatCompletion, sendJson, startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { createKeyWithCli, eventually, runKeys } from '../helpers/keys-cli.js';
import { captureLog, type LogCapture } from '../helpers/log-capture.js';

const store = join(mkdtempSync(join(tmpdir(), 'gateway-keys-')), 'nested', 'keys.json');
let openai: MockUpstream;
let groq: MockUpstream;
let gateway: TestGateway;
let log: LogCapture;
const keys: Record<string, string> = {};

type Answer = { status: number; code?: string; headers: Headers };

async function call(key: string | undefined, options: { path?: string; method?: string; headers?: Record<string, string>; body?: Record<string, unknown> } = {}): Promise<Answer> {
  const { path = '/v1/chat/completions', method = 'POST', headers = {}, body = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] } } = options;
  const response = await fetch(gateway.origin + path, {
    method,
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    body: method === 'GET' ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as { error?: { code?: string } };
  return { status: response.status, code: json.error?.code, headers: response.headers };
}

beforeAll(async () => {
  openai = await startMockUpstream((request, res) => sendJson(res, 200, request.url.endsWith('/models') ? { object: 'list', data: [{ id: 'gpt-4o' }] } : chatCompletion()));
  groq = await startMockUpstream((request, res) => sendJson(res, 200, request.url.endsWith('/models') ? { object: 'list', data: [{ id: 'llama' }] } : chatCompletion('from groq')));
  log = captureLog();
  gateway = await startGateway(
    {
      OPENAI_BASE_URL: `${openai.origin}/v1`,
      OPENAI_API_KEY: 'sk-env-openai',
      GROQ_BASE_URL: `${groq.origin}/openai/v1`,
      GROQ_API_KEY: 'gsk-env-groq',
      GATEWAY_KEYS_FILE: store,
      LOG_LEVEL: 'info',
    },
    { logSink: log.sink },
  );
}, 30_000);

afterAll(async () => {
  await gateway.close();
  await Promise.all([openai.close(), groq.close()]);
});

beforeEach(() => {
  openai.requests.length = 0;
  groq.requests.length = 0;
});

describe('gateway keys, end to end with the CLI', () => {
  it('are off while the store is empty: the client’s own key goes through', async () => {
    expect((await call('sk-client-own')).status).toBe(200);
    expect(openai.requests[0].headers.authorization).toBe('Bearer sk-client-own');
  });

  it('a created key switches them on within 2 s, without a restart', async () => {
    keys.all = await createKeyWithCli(store, 'all-access');
    expect(keys.all).toMatch(/^gw-[A-Za-z0-9_-]{43,}$/);
    const took = await eventually(async () => (await call(undefined)).status === 401);
    expect(took).toBeLessThan(2000);
    expect((await call(keys.all)).status).toBe(200);
  }, 20_000);

  it('create the other keys of these tests', async () => {
    keys.chatOnly = await createKeyWithCli(store, 'chat-only', '--scopes', 'post:/v1/chat/completions');
    keys.openaiOnly = await createKeyWithCli(store, 'openai-only', '--providers', 'openai');
    keys.openaiScope = await createKeyWithCli(store, 'openai-scope', '--scopes', 'post:/openai/v1/chat/completions,get:/openai/v1/models');
    keys.mini = await createKeyWithCli(store, 'mini', '--providers', 'openai/gpt-4o-mini,groq');
    await eventually(async () => (await call(keys.mini, { body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] } })).status === 200);
  }, 90_000);

  it('stores only hashes, in a file of mode 0600 in a directory of mode 0700', () => {
    const text = readFileSync(store, 'utf8');
    for (const key of Object.values(keys)) expect(text).not.toContain(key);
    expect(statSync(store).mode & 0o777).toBe(0o600);
    expect(statSync(join(store, '..')).mode & 0o777).toBe(0o700);
  });

  it('401 for no key, a wrong key, or a key the gateway did not issue; nothing upstream', async () => {
    expect(await call(undefined)).toMatchObject({ status: 401, code: 'missing_api_key' });
    expect(await call('gw-wrong')).toMatchObject({ status: 401, code: 'invalid_api_key' });
    expect(await call(`${keys.all}x`)).toMatchObject({ status: 401, code: 'invalid_api_key' });
    expect(await call('sk-a-provider-key')).toMatchObject({ status: 401, code: 'invalid_api_key' });
    expect(openai.requests).toHaveLength(0);
  });

  it('the gateway key (Authorization or x-api-key) never reaches the provider, which gets the environment key', async () => {
    expect((await call(keys.all)).status).toBe(200);
    expect((await call(undefined, { headers: { 'x-api-key': keys.all } })).status).toBe(200);
    expect((await call(keys.all, { headers: { 'x-provider': 'groq' } })).status).toBe(200);
    expect((await call(keys.all, { headers: { 'x-openai-api-key': 'sk-explicit' } })).status).toBe(200);
    const seen = [...openai.requests, ...groq.requests].map((request) => JSON.stringify(request.headers));
    for (const headers of seen) expect(headers).not.toContain('gw-');
    expect(openai.requests.map((request) => request.headers.authorization)).toEqual(['Bearer sk-env-openai', 'Bearer sk-env-openai', 'Bearer sk-explicit']);
    expect(groq.requests[0].headers.authorization).toBe('Bearer gsk-env-groq');
  });

  it('403 for a path outside the key’s scopes', async () => {
    expect((await call(keys.chatOnly)).status).toBe(200);
    expect((await call(keys.chatOnly, { path: '/groq/v1/chat/completions' })).status).toBe(200);
    expect(await call(keys.chatOnly, { path: '/v1/embeddings', body: { model: 'e', input: 'x' } })).toMatchObject({ status: 403, code: 'scope_not_granted' });
    expect(await call(keys.chatOnly, { path: '/v1/models', method: 'GET' })).toMatchObject({ status: 403, code: 'scope_not_granted' });
    expect(await call(keys.chatOnly, { path: '/v1/files', method: 'GET' })).toMatchObject({ status: 403, code: 'scope_not_granted' });
  });

  it('a /{provider}/v1 scope covers that provider only, in either form', async () => {
    expect((await call(keys.openaiScope)).status).toBe(200);
    expect((await call(keys.openaiScope, { headers: { 'x-provider': 'openai' } })).status).toBe(200);
    expect((await call(keys.openaiScope, { path: '/openai/v1/chat/completions' })).status).toBe(200);
    expect(await call(keys.openaiScope, { headers: { 'x-provider': 'groq' } })).toMatchObject({ status: 403, code: 'scope_not_granted' });
    expect(await call(keys.openaiScope, { path: '/groq/v1/chat/completions' })).toMatchObject({ status: 403, code: 'scope_not_granted' });
    expect(await call(keys.openaiScope, { headers: { 'x-provider': 'openai, groq' } })).toMatchObject({ status: 403, code: 'scope_not_granted' });
    expect(await call(keys.openaiScope, { path: '/openai/v1/models', method: 'GET' })).toMatchObject({ status: 200 });
    expect(groq.requests).toHaveLength(0);
  });

  it('403 for a provider outside the key’s providers, anywhere in the chain', async () => {
    expect((await call(keys.openaiOnly)).status).toBe(200);
    expect(await call(keys.openaiOnly, { headers: { 'x-provider': 'groq' } })).toMatchObject({ status: 403, code: 'provider_not_granted' });
    expect(await call(keys.openaiOnly, { path: '/groq/v1/chat/completions' })).toMatchObject({ status: 403, code: 'provider_not_granted' });
    expect(await call(keys.openaiOnly, { headers: { 'x-provider': 'openai, groq/llama' } })).toMatchObject({ status: 403, code: 'provider_not_granted' });
    expect(await call(keys.openaiOnly, { body: { model: 'groq/llama', messages: [{ role: 'user', content: 'x' }] } })).toMatchObject({ status: 403 });
    expect(groq.requests).toHaveLength(0);
  });

  it('provider/model entries limit the models', async () => {
    const chat = (model: string, headers: Record<string, string> = {}) => call(keys.mini, { headers, body: { model, messages: [{ role: 'user', content: 'x' }] } });
    expect((await chat('gpt-4o-mini')).status).toBe(200);
    expect(await chat('gpt-4o')).toMatchObject({ status: 403, code: 'provider_not_granted' });
    expect((await chat('gpt-4o', { 'x-provider': 'openai/gpt-4o-mini' })).status).toBe(200);
    expect((await chat('anything', { 'x-provider': 'groq' })).status).toBe(200);
  });

  it('the models list shows only what the key may reach', async () => {
    const list = async (key: string, path = '/v1/models') => {
      const response = await fetch(gateway.origin + path, { headers: { authorization: `Bearer ${key}` } });
      return { status: response.status, ids: ((await response.json()) as { data?: { id: string }[] }).data?.map((model) => model.id) };
    };
    expect(await list(keys.openaiOnly)).toEqual({ status: 200, ids: ['openai/gpt-4o'] });
    expect((await list(keys.openaiOnly, '/groq/v1/models')).status).toBe(403);
    expect((await list(keys.all)).ids?.sort()).toEqual(['groq/llama', 'openai/gpt-4o']);
    for (const request of [...openai.requests, ...groq.requests]) expect(request.headers.authorization).toMatch(/^Bearer (sk|gsk)-env-/);
  });

  it('logs the key’s name, never the key', async () => {
    log.raw.length = 0;
    await call(keys.chatOnly);
    const line = await log.waitFor((entry) => entry.key === 'chat-only');
    expect(line.status).toBe(200);
    const text = log.raw.join('\n');
    for (const key of Object.values(keys)) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(key.slice(3, 20));
    }
  });

  it('a revoked key is refused within 2 s; the others still work and keys stay on', async () => {
    const revoked = await runKeys(store, ['revoke', 'chat-only']);
    expect(revoked.code).toBe(0);
    const took = await eventually(async () => (await call(keys.chatOnly)).code === 'revoked_api_key');
    expect(took).toBeLessThan(2000);
    expect((await call(keys.all)).status).toBe(200);
    expect((await call(undefined)).status).toBe(401);
    const listed = await runKeys(store, ['list']);
    expect(listed.stdout).toMatch(/chat-only\s+revoked/);
    expect(listed.stdout).toMatch(/all-access\s+active/);
  }, 20_000);

  it('a CORS preflight is answered without a key', async () => {
    const response = await fetch(`${gateway.origin}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    expect(response.status).toBe(204);
  });

  it('/health needs no key', async () => {
    expect((await fetch(`${gateway.origin}/health`)).status).toBe(200);
  });
});
