/**
 * `npm start` as an operator runs it: the start-up summary on stderr, the fail-closed rule
 * with `HOST=0.0.0.0`, `.env` (the environment wins), typo warnings for `GATEWAY_*`, and
 * bad settings that stop the start with a message naming the variable or line.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKeyWithCli, runKeys } from '../helpers/keys-cli.js';
import { chatCompletion, sendJson, startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';
import { failedStart, startServer, type StartedServer } from '../helpers/npm-start.js';
import { redisServer } from '../helpers/redis.js';

const ENV_KEY = 'sk-env-openai-0123456789';
const MASTER = 'a-master-key-of-at-least-32-characters';
let openai: MockUpstream;
const running: StartedServer[] = [];

beforeAll(async () => {
  openai = await startMockUpstream((_request, res) => sendJson(res, 200, chatCompletion()));
});

afterAll(() => openai.close());

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
  openai.requests.length = 0;
});

async function start(env: Record<string, string>, cwd?: string): Promise<StartedServer> {
  const server = await startServer({ OPENAI_BASE_URL: `${openai.origin}/v1`, GATEWAY_KEYS_FILE: join(tmpdir(), 'no-such-dir', 'keys.json'), ...env }, cwd);
  running.push(server);
  return server;
}

async function chat(server: StartedServer, key?: string) {
  const response = await fetch(`http://127.0.0.1:${server.port}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
  });
  return { status: response.status, body: (await response.json()) as { error?: { code: string; message: string } } };
}

const lines = (server: StartedServer) => server.stderr().split('\n');

describe('npm start with HOST=0.0.0.0 and a provider key in the environment', () => {
  it('without a gateway credential: says loudly that such requests are refused, then refuses them with nothing sent upstream', async () => {
    const server = await start({ HOST: '0.0.0.0', OPENAI_API_KEY: ENV_KEY });
    expect(lines(server)[0]).toBe(`AI gateway listening on http://0.0.0.0:${server.port}`);
    expect(server.stderr()).toContain('  providers with keys: openai; no key needed: ollama');
    expect(server.stderr()).toContain('  auth: own-keys-only');
    const warning = lines(server).find((line) => line.startsWith('  WARNING: Reachable beyond loopback'));
    expect(warning).toContain('OPENAI_API_KEY');
    expect(warning).toContain('npm run keys -- create');
    expect(warning).toContain('GATEWAY_MASTER_KEY');
    expect(server.stderr()).not.toContain(ENV_KEY);
    const answer = await chat(server);
    expect(answer.status).toBe(401);
    expect(answer.body.error?.code).toBe('gateway_key_required');
    expect(openai.requests).toHaveLength(0);
  }, 30_000);

  it('with GATEWAY_MASTER_KEY: 200 for the master key, the environment key upstream', async () => {
    const server = await start({ HOST: '0.0.0.0', OPENAI_API_KEY: ENV_KEY, GATEWAY_MASTER_KEY: MASTER });
    expect(server.stderr()).toContain('  auth: keys (GATEWAY_MASTER_KEY set)');
    expect(server.stderr()).not.toContain('WARNING');
    expect(server.stderr()).not.toContain(MASTER);
    expect((await chat(server)).status).toBe(401);
    expect((await chat(server, MASTER)).status).toBe(200);
    expect(openai.requests[0].headers.authorization).toBe(`Bearer ${ENV_KEY}`);
  }, 30_000);

  it('with GATEWAY_KEYS from `keys export`: 200 for that key', async () => {
    const store = join(mkdtempSync(join(tmpdir(), 'npm-start-keys-')), 'keys.json');
    const key = await createKeyWithCli(store, 'deploy');
    const exported = (await runKeys(store, ['export'])).stdout.trim();
    const server = await start({ HOST: '0.0.0.0', OPENAI_API_KEY: ENV_KEY, GATEWAY_KEYS: exported });
    expect(server.stderr()).toContain('  auth: keys (1 active in GATEWAY_KEYS)');
    expect((await chat(server, key)).status).toBe(200);
    expect(openai.requests[0].headers.authorization).toBe(`Bearer ${ENV_KEY}`);
  }, 30_000);
});

describe('npm start by default (loopback only)', () => {
  it('lends the environment key to local clients, with no warning', async () => {
    const server = await start({ OPENAI_API_KEY: ENV_KEY });
    expect(lines(server)[0]).toBe(`AI gateway listening on http://127.0.0.1:${server.port}`);
    expect(server.stderr()).toContain('  auth: open-loopback');
    expect(server.stderr()).toContain('  cache: auto');
    expect(server.stderr()).toContain('  state: in process');
    expect(((await (await fetch(`http://127.0.0.1:${server.port}/health`)).json()) as { store: string }).store).toBe('memory');
    expect(server.stderr()).not.toContain('WARNING');
    expect((await chat(server)).status).toBe(200);
    expect(openai.requests[0].headers.authorization).toBe(`Bearer ${ENV_KEY}`);
  }, 30_000);

  it('warns about an unknown GATEWAY_* variable, naming the closest known one', async () => {
    const server = await start({ GATEWAY_CACHE_TTLS: '60', GATEWAY_RETRY: '1' });
    expect(server.stderr()).toContain('  WARNING: GATEWAY_CACHE_TTLS is not a setting of this gateway and is ignored; did you mean GATEWAY_CACHE_TTL?');
    expect(server.stderr()).toContain('  WARNING: GATEWAY_RETRY is not a setting of this gateway and is ignored; did you mean GATEWAY_RETRIES?');
  }, 30_000);
});

describe('npm start with REDIS_URL', () => {
  it('names the store by host and database only, never the password, and /health says redis', async () => {
    const redis = await redisServer({ user: { name: 'gateway', password: 'summary-s3cret' } });
    try {
      const server = await start({ OPENAI_API_KEY: ENV_KEY, REDIS_URL: `${redis.url}/2` });
      expect(server.stderr()).toContain(`  state: Redis at redis://127.0.0.1:${redis.port}/2, shared by every instance`);
      expect(server.stderr()).toContain('  cache: auto (embeddings; chat, completions and messages when a request sends Cache-Control: max-age=N), in Redis');
      expect(server.stderr()).not.toContain('summary-s3cret');
      const health = (await (await fetch(`http://127.0.0.1:${server.port}/health`)).json()) as { store: string };
      expect(health.store).toBe('redis');
    } finally {
      await redis.stop();
    }
  }, 30_000);
});

describe('.env', () => {
  it('is read from the working folder; a variable already in the environment wins', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'npm-start-dotenv-'));
    writeFileSync(
      join(folder, '.env'),
      `# the gateway's settings\nOPENAI_BASE_URL=${openai.origin}/v1\nOPENAI_API_KEY=sk-from-dotenv\nexport GROQ_API_KEY="gsk-from-dotenv"\n\nGATEWAY_CACHE=off\n`,
    );
    const server = await startServer({ OPENAI_API_KEY: 'sk-from-environment', GATEWAY_KEYS_FILE: join(folder, 'keys.json') }, folder);
    running.push(server);
    expect(server.stderr()).toContain('  .env: read 3 variables');
    expect(server.stderr()).toContain('  providers with keys: openai, groq');
    expect(server.stderr()).toContain('  cache: off');
    expect((await chat(server)).status).toBe(200);
    expect(openai.requests[0].headers.authorization).toBe('Bearer sk-from-environment');
  }, 30_000);

  it('with a malformed line stops the start, naming the line but not its text', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'npm-start-bad-dotenv-'));
    writeFileSync(join(folder, '.env'), 'OPENAI_API_KEY=sk-fine\nGROQ_API_KEY gsk-secret-typed-without-equals\nLOG_LEVEL=info\n');
    const ended = await failedStart({}, folder);
    expect(ended.code).toBe(1);
    expect(ended.stderr).toContain('Configuration error: .env line 2 is not NAME=value');
    expect(ended.stderr).not.toContain('gsk-secret');
    expect(ended.stderr).not.toContain('    at ');
  }, 30_000);
});

describe('bad settings stop the start', () => {
  it.each([
    [{ GATEWAY_MASTER_KEY: 'too-short' }, 'GATEWAY_MASTER_KEY: must be at least 32 characters'],
    [{ GATEWAY_KEYS: 'not json' }, 'GATEWAY_KEYS must be what `npm run -s keys -- export` prints'],
    [{ GATEWAY_CACHE: 'yes' }, 'GATEWAY_CACHE'],
  ])('%j', async (env, message) => {
    const ended = await failedStart(env);
    expect(ended.code).toBe(1);
    expect(ended.stderr).toContain(message);
    expect(ended.stderr).not.toContain('too-short');
  }, 30_000);
});
