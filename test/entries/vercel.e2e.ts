/**
 * The Vercel deployment as `vercel build` writes it (`npm run test:vercel` builds first):
 * the routes send every path to the one function, no source file is published, and the
 * built function, run by Vercel's own Node.js bridge against mock upstreams on loopback,
 * answers, keeps the request body and streams without buffering; with REDIS_URL it reads the
 * gateway keys from Redis and keeps one connection across invocations.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELD_EVENTS, heldStream, readToEnd, readUntil } from '../helpers/held-stream.js';
import { createKeyWithCli, eventually, runKeys } from '../helpers/keys-cli.js';
import { redisClients, redisServer, type RedisServer } from '../helpers/redis.js';
import { within } from '../helpers/within.js';
import { chatCompletion, sendJson, startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';
import { readVcConfig, startVercelFunction, type VercelFunction } from '../helpers/vercel-function.js';
import { listFiles, resolveRoute, staticFiles } from '../helpers/vercel-routes.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUTPUT = join(ROOT, '.vercel', 'output');
const FUNCTION = 'api/[[...route]]';
const FUNC_DIR = join(OUTPUT, 'functions', `${FUNCTION}.func`);
const ENV_KEY = 'sk-env-openai-vercel';
const MASTER = 'vercel-master-key-0123456789abcdefgh';

if (!existsSync(FUNC_DIR)) throw new Error(`${FUNC_DIR} is missing: run \`npm run test:vercel\`, which runs vercel build first`);

describe('vercel build output', () => {
  it.each(['/health', '/v1/chat/completions', '/v1/models', '/groq/v1/chat/completions', '/openai/v1/embeddings', '/', '/lib/app.ts', '/package.json', `/${FUNCTION}.ts`])(
    'routes %s to the catch-all function',
    (path) => {
      expect(resolveRoute(OUTPUT, path)).toEqual({ kind: 'function', name: FUNCTION });
    },
  );

  it('publishes only public/, never the repository’s own files', () => {
    const published = staticFiles(OUTPUT).sort();
    const publicFiles = listFiles(join(ROOT, 'public')).map((file) => relative(join(ROOT, 'public'), file)).sort();
    expect(published).toEqual(publicFiles);
    expect(published).not.toContain('lib/app.ts');
    expect(published).not.toContain('package.json');
  });

  it('builds one Node.js function, with the time a long LLM stream needs', () => {
    expect(readdirSync(join(OUTPUT, 'functions', 'api'))).toEqual([`${FUNCTION.slice('api/'.length)}.func`]);
    const vcConfig = readVcConfig(FUNC_DIR) as ReturnType<typeof readVcConfig> & { maxDuration?: number; supportsCancellation?: boolean };
    expect(vcConfig.launcherType).toBe('Nodejs');
    expect(vcConfig.runtime).toMatch(/^nodejs\d+\.x$/);
    expect(vcConfig.maxDuration).toBeGreaterThanOrEqual(300);
    expect(vcConfig.supportsCancellation).toBe(true);
  });
});

describe('the built function on Vercel’s Node.js runtime', () => {
  let openai: MockUpstream;
  let groq: MockUpstream;
  let fn: VercelFunction;

  beforeAll(async () => {
    openai = await startMockUpstream();
    groq = await startMockUpstream();
    fn = await startVercelFunction(FUNC_DIR, {
      OPENAI_BASE_URL: `${openai.origin}/v1`,
      OPENAI_API_KEY: ENV_KEY,
      GROQ_BASE_URL: `${groq.origin}/openai/v1`,
      LOG_LEVEL: 'silent',
    });
  }, 30_000);

  afterAll(async () => {
    await fn?.close();
    await openai?.close();
    await groq?.close();
  });

  /** Sends a request to the function; a function that never answers fails the test in 5 s. */
  async function send(path: string, init: RequestInit = {}): Promise<Response> {
    const response = fetch(`${fn.origin}${path}`, init);
    return within(response, 5_000, () => `no response to ${path}; the function's stderr: ${fn.stderr()}`);
  }

  function chat(body: Record<string, unknown>, headers: Record<string, string> = {}): RequestInit {
    return {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test', ...headers },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hello!' }], ...body }),
    };
  }

  it('answers /health with 200 JSON', async () => {
    const response = await send('/health');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('returns the upstream’s JSON for POST /v1/chat/completions, with the request body intact', async () => {
    openai.handle((_request, res) => sendJson(res, 200, chatCompletion('Hi from the mock')));
    const init = chat({}, { 'x-provider': 'openai' });
    const response = await send('/v1/chat/completions', init);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(chatCompletion('Hi from the mock'));
    expect(openai.requests.at(-1)).toMatchObject({ method: 'POST', url: '/v1/chat/completions', body: init.body });
  });

  it('serves a nested provider path such as /groq/v1/chat/completions', async () => {
    groq.handle((_request, res) => sendJson(res, 200, chatCompletion('Hi from groq', 'llama-3.1-8b-instant')));
    const response = await send('/groq/v1/chat/completions', chat({ model: 'llama-3.1-8b-instant' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(chatCompletion('Hi from groq', 'llama-3.1-8b-instant'));
    expect(groq.requests.at(-1)?.url).toBe('/openai/v1/chat/completions');
  });

  it('answers a source path such as /lib/app.ts with the gateway’s 404, not the file', async () => {
    const response = await send('/lib/app.ts');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'unknown_url' } });
  });

  it('streams: the first event arrives while the upstream still holds the rest', async () => {
    const held = heldStream();
    openai.handle(held.handler);
    const response = await send('/v1/chat/completions', chat({ stream: true }, { 'x-provider': 'openai' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    const first = await readUntil(reader, '\n\n', 5_000);
    expect(first).toBe(HELD_EVENTS[0]);
    held.release();
    const rest = await readToEnd(reader, 5_000);
    expect(first + rest).toBe(HELD_EVENTS.join(''));
    expect(rest.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('counts as exposed: with an environment key and no gateway key, refuses a keyless request and calls nothing', async () => {
    const calls = openai.requests.length;
    expect(await (await send('/health')).json()).toMatchObject({ auth: 'own-keys-only' });
    const response = await send('/v1/chat/completions', chat({}, { authorization: '' }));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'gateway_key_required' } });
    expect(openai.requests.length).toBe(calls);
  });
});

describe('the built function with gateway keys from its environment', () => {
  let openai: MockUpstream;
  let fn: VercelFunction;
  let key: string;

  beforeAll(async () => {
    openai = await startMockUpstream((_request, res) => sendJson(res, 200, chatCompletion('Hi from the mock')));
    const store = join(mkdtempSync(join(tmpdir(), 'vercel-keys-')), 'keys.json');
    key = await createKeyWithCli(store, 'vercel-site');
    fn = await startVercelFunction(FUNC_DIR, {
      OPENAI_BASE_URL: `${openai.origin}/v1`,
      OPENAI_API_KEY: ENV_KEY,
      GATEWAY_MASTER_KEY: MASTER,
      GATEWAY_KEYS: (await runKeys(store, ['export'])).stdout.trim(),
      LOG_LEVEL: 'silent',
    });
  }, 30_000);

  afterAll(async () => {
    await fn?.close();
    await openai?.close();
  });

  it('answers 200 for the master key and for a GATEWAY_KEYS key, on the environment key; 401 without', async () => {
    const post = (authorization: string) =>
      within(
        fetch(`${fn.origin}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hello!' }] }),
        }),
        5_000,
        () => `no response; the function's stderr: ${fn.stderr()}`,
      );
    expect((await post('')).status).toBe(401);
    expect((await post(`Bearer ${MASTER}`)).status).toBe(200);
    expect((await post(`Bearer ${key}`)).status).toBe(200);
    expect(openai.requests.map((request) => request.headers.authorization)).toEqual([`Bearer ${ENV_KEY}`, `Bearer ${ENV_KEY}`]);
  });
});

describe('the built function with REDIS_URL', () => {
  let openai: MockUpstream;
  let redis: RedisServer;
  let fn: VercelFunction;

  beforeAll(async () => {
    openai = await startMockUpstream((_request, res) => sendJson(res, 200, chatCompletion('Hi from the mock')));
    redis = await redisServer();
    fn = await startVercelFunction(FUNC_DIR, {
      OPENAI_BASE_URL: `${openai.origin}/v1`,
      OPENAI_API_KEY: ENV_KEY,
      REDIS_URL: redis.url,
      GATEWAY_REDIS_TIMEOUT_MS: '2000',
      LOG_LEVEL: 'silent',
    });
  }, 30_000);

  afterAll(async () => {
    await fn?.close();
    await openai?.close();
    await redis?.stop();
  });

  it('accepts a key npm run keys wrote to Redis, and keeps one connection across invocations', async () => {
    const created = await runKeys(join(tmpdir(), 'vercel-redis-no-file.json'), ['create', 'vercel-redis'], { REDIS_URL: redis.url });
    expect(created.code).toBe(0);
    const post = (authorization: string) =>
      fetch(`${fn.origin}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hello!' }] }),
      });
    await eventually(async () => (await post(`Bearer ${created.stdout.trim()}`)).status === 200, 2000);
    for (let index = 0; index < 5; index += 1) expect((await post(`Bearer ${created.stdout.trim()}`)).status).toBe(200);
    expect((await post('')).status).toBe(401);
    expect(await redisClients(redis.url)).toBe(1);
  });
});
