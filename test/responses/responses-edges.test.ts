/**
 * The Responses API's edges, each found by trying to break it: paths beside `/v1/responses`
 * that must not slip through to a provider, inputs and fields the translation must refuse
 * rather than drop, read parameters that must be checked, a conversation whose ancestor is
 * gone, and a master key that must never be forwarded.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../lib/config.js';
import { openResponseStore } from '../../lib/responses/open-response-store.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { runKeys } from '../helpers/keys-cli.js';
import { chatCompletion, sendJson, startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';

let chat: MockUpstream;
let native: MockUpstream;
let gateway: TestGateway;
const MASTER = 'edges-master-key-0123456789abcdefghij';

beforeAll(async () => {
  chat = await startMockUpstream((_request, res) => sendJson(res, 200, chatCompletion('ok')));
  native = await startMockUpstream((_request, res) => sendJson(res, 200, { id: 'resp_native', object: 'response', status: 'completed', output: [] }));
  gateway = await startGateway({ GATEWAY_PROVIDERS: `local=${chat.origin}/v1`, OPENAI_BASE_URL: `${native.origin}/v1`, GATEWAY_MASTER_KEY: MASTER });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([chat.close(), native.close()]);
});

beforeEach(() => {
  chat.requests.length = 0;
  native.requests.length = 0;
});

const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(gateway.origin + path, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER}`, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : {}) as { error?: { code?: string; message?: string; param?: string }; id?: string; data?: unknown[] } };
};

describe('paths beside /v1/responses', () => {
  it('a trailing slash is the same endpoint, never a passthrough', async () => {
    const created = await send('POST', '/local/v1/responses/', { model: 'm', input: 'hi' });
    expect(created.status).toBe(200);
    expect(chat.requests.map((request) => request.url)).toEqual(['/v1/chat/completions']);
    expect((await send('GET', `/v1/responses/${created.json.id}/`)).status).toBe(200);
    expect((await send('GET', '/openai/v1/responses/resp_other/')).status).toBe(404);
    expect((await send('DELETE', '/openai/v1/responses/resp_other/')).status).toBe(404);
    expect(native.requests).toHaveLength(0);
  });

  it('anything else under /v1/responses is the gateway’s 404, never sent to a provider', async () => {
    for (const [method, path] of [['POST', '/openai/v1/responses/resp_x/cancel'], ['POST', '/v1/responses/resp_x'], ['PUT', '/v1/responses'], ['GET', '/v1/responses/a/b/c']]) {
      const answer = await send(method, path, method === 'GET' ? undefined : {});
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.json.error?.code).toBe('unknown_url');
    }
    expect(native.requests).toHaveLength(0);
  });
});

describe('what cannot be honoured is a 400, never dropped', () => {
  it.each([
    [{ model: 'm', input: [null] }, 'input'],
    [{ model: 'm', input: [1, 'x'] }, 'input'],
    [{ model: 'm', input: 'hi', background: true }, 'background'],
  ])('%j on every provider', async (body, param) => {
    for (const provider of ['local', 'openai']) {
      const answer = await send('POST', `/${provider}/v1/responses`, body);
      expect(answer.status).toBe(400);
      expect(answer.json.error?.param).toBe(param);
    }
    expect(chat.requests).toHaveLength(0);
    expect(native.requests).toHaveLength(0);
  });

  it('conversation, on a provider the gateway translates for', async () => {
    const answer = await send('POST', '/local/v1/responses', { model: 'm', input: 'hi', conversation: 'conv_1' });
    expect(answer.status).toBe(400);
    expect(answer.json.error?.param).toBe('conversation');
  });

  it('mcp_servers on /v1/messages, for a provider other than Anthropic', async () => {
    const answer = await send('POST', '/local/v1/messages', {
      model: 'm',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
      mcp_servers: [{ type: 'url', url: 'https://mcp.example/sse', name: 'example' }],
    });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.json)).toContain('mcp_servers');
    expect(chat.requests).toHaveLength(0);
  });
});

describe('reading stored responses', () => {
  it('checks its parameters: starting_after, order, an unknown cursor', async () => {
    const created = await send('POST', '/local/v1/responses', { model: 'm', input: 'hi' });
    const id = created.json.id as string;
    expect((await send('GET', `/v1/responses/${id}?stream=true&starting_after=-3`)).status).toBe(400);
    expect((await send('GET', '/v1/responses?order=asc')).status).toBe(400);
    expect((await send('GET', `/v1/responses/${id}/input_items?limit=0`)).status).toBe(400);
    const unknownCursor = await send('GET', `/v1/responses/${id}/input_items?after=item_nope`);
    expect(unknownCursor.status).toBe(200);
    expect(unknownCursor.json.data).toEqual([]);
  });

  it('a conversation whose ancestor is gone says which one, and that it cannot be rebuilt', async () => {
    const first = await send('POST', '/local/v1/responses', { model: 'm', input: 'one' });
    const second = await send('POST', '/local/v1/responses', { model: 'm', input: 'two', previous_response_id: first.json.id });
    expect((await send('DELETE', `/v1/responses/${first.json.id}`)).status).toBe(200);
    const third = await send('POST', '/local/v1/responses', { model: 'm', input: 'three', previous_response_id: second.json.id });
    expect(third.status).toBe(404);
    expect(third.json.error?.message).toContain(`'${second.json.id}' continues '${first.json.id}', which is no longer stored`);
  });
});

describe('the master key', () => {
  it('is never forwarded, even when a client sends it as a provider key', async () => {
    const answer = await send('POST', '/v1/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, { 'x-openai-api-key': MASTER, 'x-provider': 'openai' });
    expect(answer.status).toBe(200);
    expect(native.requests[0].headers.authorization).not.toContain(MASTER);
  });
});

describe('settings and files that cannot work stop with a clear message', () => {
  it('GATEWAY_RESPONSES_DIR inside a file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'responses-dir-')), 'a-file');
    writeFileSync(file, 'x');
    expect(() => openResponseStore(loadConfig({ GATEWAY_RESPONSES_DIR: join(file, 'responses') }), 'node')).toThrow(ConfigError);
    expect(() => openResponseStore(loadConfig({ GATEWAY_RESPONSES_DIR: join(file, 'responses') }), 'node')).toThrow(/^GATEWAY_RESPONSES_DIR: /);
  });

  it('npm run keys on a corrupt key file: one line naming the file, no stack trace', async () => {
    const store = join(mkdtempSync(join(tmpdir(), 'corrupt-keys-')), 'keys.json');
    writeFileSync(store, '{"version":1,"keys":[{"name":');
    const run = await runKeys(store, ['list']);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(`keys: ${store} is not a usable key store: not JSON`);
  });
});
