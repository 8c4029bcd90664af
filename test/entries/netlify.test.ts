/**
 * The Netlify Functions v2 entry, called the way Netlify calls it: its default export
 * with a Web `Request` and a context, against mock upstreams on loopback.
 */
import type { Config, Context } from '@netlify/functions';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BlobsServer } from '@netlify/blobs/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HELD_EVENTS, heldStream, readToEnd, readUntil } from '../helpers/held-stream.js';
import { createKeyWithCli, runKeys } from '../helpers/keys-cli.js';
import { redisClients, redisServer, type RedisServer } from '../helpers/redis.js';
import { within } from '../helpers/within.js';
import { chatCompletion, sendJson, startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';

type NetlifyHandler = (request: Request, context: Context) => Promise<Response>;

const ORIGIN = 'https://gateway.netlify.app';
// Netlify hands the function more than this; the entry must not need any of it.
const context = { requestId: 'netlify-test', url: new URL(ORIGIN) } as unknown as Context;

let openai: MockUpstream;
let groq: MockUpstream;
let gateway: NetlifyHandler;
let config: Config;
const saved: Record<string, string | undefined> = {};

const ENV_KEY = 'sk-env-openai-netlify';
const MASTER = 'netlify-master-key-0123456789abcdef';

/**
 * Imports the entry afresh with `env` in `process.env`: lib/config reads it when the entry
 * builds the app, at import time, as at a cold start.
 */
async function coldStart(env: Record<string, string>): Promise<{ default: NetlifyHandler; config: Config }> {
  for (const [name, value] of Object.entries(env)) {
    if (!(name in saved)) saved[name] = process.env[name];
    process.env[name] = value;
  }
  vi.resetModules();
  return import('../../netlify/functions/gateway.js');
}

beforeAll(async () => {
  openai = await startMockUpstream();
  groq = await startMockUpstream();
  const entry = await coldStart({
    OPENAI_BASE_URL: `${openai.origin}/v1`,
    OPENAI_API_KEY: ENV_KEY,
    GROQ_BASE_URL: `${groq.origin}/openai/v1`,
    GATEWAY_KEYS_FILE: join(tmpdir(), `netlify-test-no-keys-${process.pid}`, 'keys.json'),
    LOG_LEVEL: 'silent',
  });
  gateway = entry.default;
  config = entry.config;
});

afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await openai?.close();
  await groq?.close();
});

function chatRequest(path: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Request {
  return new Request(`${ORIGIN}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test', ...headers },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hello!' }], ...body }),
  });
}

describe('Netlify entry', () => {
  it('takes every path', () => {
    expect(config.path).toBe('/*');
  });

  it('answers /health', async () => {
    const response = await gateway(new Request(`${ORIGIN}/health`), context);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('returns the upstream JSON answer, with the request body intact', async () => {
    openai.handle((_request, res) => sendJson(res, 200, chatCompletion('Hi from the mock')));
    const response = await gateway(chatRequest('/v1/chat/completions', {}, { 'x-provider': 'openai' }), context);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(chatCompletion('Hi from the mock'));
    expect(openai.requests.at(-1)).toMatchObject({ method: 'POST', url: '/v1/chat/completions', json: { model: 'gpt-4o' } });
  });

  it('routes a provider path such as /groq/v1/chat/completions', async () => {
    groq.handle((_request, res) => sendJson(res, 200, chatCompletion('Hi from groq', 'llama-3.1-8b-instant')));
    const response = await gateway(chatRequest('/groq/v1/chat/completions', { model: 'llama-3.1-8b-instant' }), context);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(chatCompletion('Hi from groq', 'llama-3.1-8b-instant'));
    expect(groq.requests.at(-1)?.url).toBe('/openai/v1/chat/completions');
  });

  it('streams: the first event arrives while the upstream still holds the rest', async () => {
    const held = heldStream();
    openai.handle(held.handler);
    const response = await within(
      gateway(chatRequest('/v1/chat/completions', { stream: true }, { 'x-provider': 'openai' }), context),
      5_000,
      'no response while the upstream holds the stream: the entry buffers',
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    const first = await readUntil(reader, '\n\n', 5_000);
    expect(first).toBe(HELD_EVENTS[0]);
    held.release();
    const rest = await readToEnd(reader, 5_000);
    expect(first + rest).toBe(HELD_EVENTS.join(''));
  });

  it('counts as exposed: with an environment key and no gateway key, refuses a keyless request and calls nothing', async () => {
    const calls = openai.requests.length;
    const health = await gateway(new Request(`${ORIGIN}/health`), context);
    expect(await health.json()).toMatchObject({ auth: 'own-keys-only' });
    const response = await gateway(chatRequest('/v1/chat/completions', {}, { authorization: '' }), context);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'gateway_key_required' } });
    expect(openai.requests.length).toBe(calls);
  });

  it('with GATEWAY_MASTER_KEY, or a key from GATEWAY_KEYS, answers 200 on the environment key', async () => {
    const store = join(mkdtempSync(join(tmpdir(), 'netlify-keys-')), 'keys.json');
    const key = await createKeyWithCli(store, 'netlify-site');
    const exported = (await runKeys(store, ['export'])).stdout.trim();
    const entry = await coldStart({ GATEWAY_MASTER_KEY: MASTER, GATEWAY_KEYS: exported });
    openai.handle((_request, res) => sendJson(res, 200, chatCompletion('Hi from the mock')));
    expect((await entry.default(chatRequest('/v1/chat/completions', {}, { authorization: '' }), context)).status).toBe(401);
    for (const credential of [MASTER, key]) {
      const response = await entry.default(chatRequest('/v1/chat/completions', {}, { authorization: `Bearer ${credential}` }), context);
      expect(response.status).toBe(200);
      expect(openai.requests.at(-1)?.headers.authorization).toBe(`Bearer ${ENV_KEY}`);
    }
  }, 20_000);

  it('serves the admin console: a session from one instance (Secure over https) opens it on another', async () => {
    const first = await coldStart({ GATEWAY_MASTER_KEY: MASTER });
    const signIn = await first.default(
      new Request(`${ORIGIN}/admin/sign-in`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }, body: `key=${MASTER}` }),
      context,
    );
    expect(signIn.status).toBe(303);
    const setCookie = signIn.headers.get('set-cookie') ?? '';
    expect(setCookie).toContain('Secure');
    const second = await coldStart({ GATEWAY_MASTER_KEY: MASTER });
    const page = await second.default(new Request(`${ORIGIN}/admin`, { headers: { cookie: setCookie.split(';')[0] } }), context);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const script = /src="(\/admin\/assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
    expect((await second.default(new Request(`${ORIGIN}${script}`), context)).status).toBe(200);
  });

  it('keeps stored responses in Netlify Blobs, so that another instance reads them at once', async () => {
    const blobs = new BlobsServer({ directory: mkdtempSync(join(tmpdir(), 'netlify-blobs-')), token: 'blobs-token', logger: () => {} });
    const { port } = await blobs.start();
    try {
      const origin = `http://127.0.0.1:${port}`;
      const blobsContext = Buffer.from(JSON.stringify({ siteID: 'site-test', token: 'blobs-token', edgeURL: origin, uncachedEdgeURL: origin })).toString('base64');
      openai.handle((_request, res) =>
        sendJson(res, 200, { id: 'resp_native_1', object: 'response', created_at: 1, status: 'completed', model: 'gpt-5', output: [], usage: null }),
      );
      const first = await coldStart({ NETLIFY_BLOBS_CONTEXT: blobsContext, GATEWAY_MASTER_KEY: '', GATEWAY_KEYS: '' });
      expect(await (await first.default(new Request(`${ORIGIN}/health`), context)).json()).toMatchObject({ responses: 'netlify-blobs' });
      const created = await first.default(
        new Request(`${ORIGIN}/openai/v1/responses`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-own' }, body: JSON.stringify({ model: 'gpt-5', input: 'hi' }) }),
        context,
      );
      expect(created.status).toBe(200);
      // A second cold start is another instance: it has nothing in memory.
      const second = await coldStart({});
      const read = await second.default(new Request(`${ORIGIN}/v1/responses/resp_native_1`, { headers: { authorization: 'Bearer sk-own' } }), context);
      expect(read.status).toBe(200);
      expect(await read.json()).toMatchObject({ id: 'resp_native_1', status: 'completed' });
      const foreign = await second.default(new Request(`${ORIGIN}/v1/responses/resp_native_1`, { headers: { authorization: 'Bearer sk-other' } }), context);
      expect(foreign.status).toBe(404);
    } finally {
      await blobs.stop();
    }
  }, 20_000);
});

describe('Netlify entry with REDIS_URL', () => {
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await redisServer();
  });

  afterAll(() => redis?.stop());

  it('accepts a key npm run keys wrote to Redis, and keeps one connection across invocations', async () => {
    const created = await runKeys(join(tmpdir(), `netlify-redis-no-file-${process.pid}.json`), ['create', 'netlify-redis'], { REDIS_URL: redis.url });
    expect(created.code).toBe(0);
    const entry = await coldStart({ REDIS_URL: redis.url, GATEWAY_REDIS_TIMEOUT_MS: '2000' });
    openai.handle((_request, res) => sendJson(res, 200, chatCompletion('Hi from the mock')));
    const authorization = `Bearer ${created.stdout.trim()}`;
    for (let index = 0; index < 5; index += 1) expect((await entry.default(chatRequest('/v1/chat/completions', {}, { authorization }), context)).status).toBe(200);
    expect((await entry.default(chatRequest('/v1/chat/completions', {}, { authorization: '' }), context)).status).toBe(401);
    expect(await redisClients(redis.url)).toBe(1);
  }, 20_000);
});
