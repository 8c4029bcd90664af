/**
 * Gateway keys without a writable disk: `GATEWAY_MASTER_KEY` (every scope, constant-time,
 * never logged or forwarded) and `GATEWAY_KEYS` (exactly what `npm run -s keys -- export`
 * prints), working together with the key file; a revocation in the file wins.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../lib/config.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { createKeyWithCli, runKeys } from '../helpers/keys-cli.js';
import { captureLog } from '../helpers/log-capture.js';
import { chatCompletion, sendJson, startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';

const MASTER = 'master-key-for-tests-0123456789abcdef';
const ENV_KEY = 'sk-env-openai';
const folder = mkdtempSync(join(tmpdir(), 'gateway-env-keys-'));
const NO_FILE = join(folder, 'absent', 'keys.json');
let openai: MockUpstream;
const running: TestGateway[] = [];

beforeAll(async () => {
  openai = await startMockUpstream((_request, res) => sendJson(res, 200, chatCompletion()));
});

afterAll(() => openai.close());

afterEach(async () => {
  await Promise.all(running.splice(0).map((gateway) => gateway.close()));
  openai.requests.length = 0;
});

async function gatewayWith(env: Record<string, string>, options: Parameters<typeof startGateway>[1] = {}): Promise<TestGateway> {
  const gateway = await startGateway({ OPENAI_BASE_URL: `${openai.origin}/v1`, OPENAI_API_KEY: ENV_KEY, GATEWAY_KEYS_FILE: NO_FILE, ...env }, { exposed: true, ...options });
  running.push(gateway);
  return gateway;
}

async function chat(gateway: TestGateway, key?: string, path = '/v1/chat/completions') {
  const response = await fetch(gateway.origin + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key === undefined ? {} : { authorization: `Bearer ${key}` }) },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
  });
  const text = await response.text();
  return { status: response.status, code: (JSON.parse(text) as { error?: { code?: string } }).error?.code, text };
}

async function exported(store: string): Promise<string> {
  const run = await runKeys(store, ['export']);
  expect(run.code).toBe(0);
  expect(run.stdout.trim().split('\n')).toHaveLength(1);
  return run.stdout.trim();
}

describe('GATEWAY_MASTER_KEY', () => {
  it('turns gateway keys on and is a credential with every scope; the environment key goes upstream, never the master key', async () => {
    const log = captureLog();
    const gateway = await gatewayWith({ GATEWAY_MASTER_KEY: MASTER, LOG_LEVEL: 'info' }, { logSink: log.sink });
    expect(((await (await fetch(`${gateway.origin}/health`)).json()) as { auth: string }).auth).toBe('keys');
    expect(await chat(gateway)).toMatchObject({ status: 401, code: 'missing_api_key' });
    expect(await chat(gateway, MASTER)).toMatchObject({ status: 200 });
    expect(await chat(gateway, MASTER, '/openai/v1/files')).toMatchObject({ status: 200 });
    expect(openai.requests.map((request) => request.headers.authorization)).toEqual([`Bearer ${ENV_KEY}`, `Bearer ${ENV_KEY}`]);
    expect(JSON.stringify(openai.requests)).not.toContain(MASTER);
    await log.waitFor((line) => line.key === 'master' && line.path === '/openai/v1/files');
    expect(log.raw.join('\n')).not.toContain(MASTER);
  });

  it('refuses a wrong, a shortened or an extended master key with a 401, nothing sent upstream', async () => {
    const gateway = await gatewayWith({ GATEWAY_MASTER_KEY: MASTER });
    for (const wrong of [MASTER.slice(0, -1), `${MASTER}x`, MASTER.toUpperCase(), 'short']) {
      const answer = await chat(gateway, wrong);
      expect(answer).toMatchObject({ status: 401, code: 'invalid_api_key' });
      expect(answer.text).not.toContain(wrong);
    }
    expect(openai.requests).toHaveLength(0);
  });

  it('is not special on a gateway that has none: it is just a client credential', async () => {
    const gateway = await gatewayWith({ GATEWAY_MASTER_KEY: '' }, { exposed: false });
    expect(await chat(gateway, MASTER)).toMatchObject({ status: 200 });
    expect(openai.requests[0].headers.authorization).toBe(`Bearer ${MASTER}`);
  });

  it('shorter than 32 characters stops the start, naming the variable but not the value', () => {
    const short = 'x'.repeat(31);
    expect(() => loadConfig({ GATEWAY_MASTER_KEY: short })).toThrow(ConfigError);
    expect(() => loadConfig({ GATEWAY_MASTER_KEY: short })).toThrow(/GATEWAY_MASTER_KEY: must be at least 32 characters/);
    try {
      loadConfig({ GATEWAY_MASTER_KEY: short });
    } catch (error) {
      expect((error as Error).message).not.toContain(short);
    }
  });
});

describe('GATEWAY_KEYS', () => {
  const store = join(folder, 'exported', 'keys.json');
  let scoped: string;
  let limited: string;
  let value: string;

  beforeAll(async () => {
    scoped = await createKeyWithCli(store, 'models-only', '--scopes', 'get:/v1/models');
    limited = await createKeyWithCli(store, 'limited', '--rpm', '2');
    value = await exported(store);
  }, 30_000);

  it('export prints the file store’s records, hashes only, on one line', () => {
    const parsed = JSON.parse(value) as { version: number; keys: { name: string; hash: string }[] };
    expect(parsed.version).toBe(1);
    expect(parsed.keys.map((record) => record.name)).toEqual(['models-only', 'limited']);
    expect(value).not.toContain(scoped);
    expect(value).not.toContain(limited);
  });

  it('gives a gateway with no key file named, scoped, rate-limited keys', async () => {
    const gateway = await gatewayWith({ GATEWAY_KEYS: value });
    expect(await chat(gateway)).toMatchObject({ status: 401 });
    expect(await chat(gateway, scoped)).toMatchObject({ status: 403, code: 'scope_not_granted' });
    expect(await chat(gateway, limited)).toMatchObject({ status: 200 });
    expect(await chat(gateway, limited)).toMatchObject({ status: 200 });
    expect(await chat(gateway, limited)).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    expect(openai.requests.map((request) => request.headers.authorization)).toEqual([`Bearer ${ENV_KEY}`, `Bearer ${ENV_KEY}`]);
  });

  it('works beside the key file and the master key; a key revoked in the file is refused', async () => {
    const file = join(folder, 'live', 'keys.json');
    const fileKey = await createKeyWithCli(file, 'from-file');
    const revokedInFile = join(folder, 'revoked', 'keys.json');
    // The same records as GATEWAY_KEYS, with `limited` revoked: what an operator's file holds after `keys revoke`.
    mkdirSync(join(folder, 'revoked'), { recursive: true });
    writeFileSync(revokedInFile, value);
    expect((await runKeys(revokedInFile, ['revoke', 'limited'])).code).toBe(0);
    const both = await gatewayWith({ GATEWAY_KEYS: value, GATEWAY_KEYS_FILE: file, GATEWAY_MASTER_KEY: MASTER });
    expect(await chat(both, fileKey)).toMatchObject({ status: 200 });
    expect(await chat(both, limited)).toMatchObject({ status: 200 });
    expect(await chat(both, MASTER)).toMatchObject({ status: 200 });
    const revoked = await gatewayWith({ GATEWAY_KEYS: value, GATEWAY_KEYS_FILE: revokedInFile });
    expect(await chat(revoked, limited)).toMatchObject({ status: 401, code: 'revoked_api_key' });
    expect(await chat(revoked, scoped)).toMatchObject({ status: 403 });
  }, 30_000);

  it.each([
    ['not JSON', 'gw-pasted-by-mistake-0123456789'],
    ['a wrong shape', '{"version":1,"keys":[{"name":"x"}]}'],
    ['a wrong version', '{"version":2,"keys":[]}'],
  ])('%s stops the start with a message naming GATEWAY_KEYS', (_case, bad) => {
    expect(() => loadConfig({ GATEWAY_KEYS: bad })).toThrow(ConfigError);
    expect(() => loadConfig({ GATEWAY_KEYS: bad })).toThrow(/^GATEWAY_KEYS/);
    try {
      loadConfig({ GATEWAY_KEYS: bad });
    } catch (error) {
      expect((error as Error).message).not.toContain('pasted-by-mistake');
    }
  });
});
