/**
 * When gateway keys are on (GATEWAY_AUTH, a store with any record), and what a running
 * gateway does with a store that breaks: it keeps the last good keys.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../lib/app.js';
import { ConfigError, loadConfig } from '../../lib/config.js';
import { createKey, revokeKey } from '../../lib/keys/key-commands.js';
import { chatCompletion, sendJson, sleep, startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';
import { startGateway } from '../helpers/gateway.js';
import { captureLog } from '../helpers/log-capture.js';

const known = new Set(['openai', 'groq']);
const directory = mkdtempSync(join(tmpdir(), 'gateway-store-'));
let openai: MockUpstream;

beforeAll(async () => {
  openai = await startMockUpstream((request, res) => sendJson(res, 200, chatCompletion()));
});

afterAll(() => openai.close());

const chat = (origin: string, key?: string) =>
  fetch(`${origin}/v1/chat/completions`, {
    method: 'POST',
    headers: key ? { authorization: `Bearer ${key}` } : {},
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
  }).then((response) => response.status);

describe('when gateway keys are on', () => {
  it('GATEWAY_AUTH=keys: on with no store at all', async () => {
    const gateway = await startGateway({ OPENAI_BASE_URL: `${openai.origin}/v1`, GATEWAY_AUTH: 'keys', GATEWAY_KEYS_FILE: join(directory, 'none.json') });
    expect(await chat(gateway.origin, 'sk-anything')).toBe(401);
    expect((await fetch(`${gateway.origin}/health`)).status).toBe(200);
    await gateway.close();
  });

  it('a store holding only revoked records keeps them on', async () => {
    const store = join(directory, 'revoked.json');
    await createKey(store, { name: 'old', scopes: [], providers: [] }, known);
    await revokeKey(store, 'old');
    const gateway = await startGateway({ OPENAI_BASE_URL: `${openai.origin}/v1`, GATEWAY_KEYS_FILE: store });
    expect(await chat(gateway.origin, 'sk-anything')).toBe(401);
    await gateway.close();
  });

  it('GATEWAY_AUTH=off: off whatever the store holds', async () => {
    const store = join(directory, 'active.json');
    await createKey(store, { name: 'a', scopes: [], providers: [] }, known);
    const gateway = await startGateway({ OPENAI_BASE_URL: `${openai.origin}/v1`, GATEWAY_KEYS_FILE: store, GATEWAY_AUTH: 'off' });
    expect(await chat(gateway.origin, 'sk-client')).toBe(200);
    expect(openai.requests.at(-1)?.headers.authorization).toBe('Bearer sk-client');
    await gateway.close();
  });

  it('a store that is not valid stops the start with a message naming GATEWAY_KEYS_FILE', () => {
    const store = join(directory, 'broken.json');
    writeFileSync(store, '{"version":1,"keys":[{"name":"x"}]}');
    const start = () => createApp(loadConfig({ GATEWAY_KEYS_FILE: store, LOG_LEVEL: 'silent' }));
    expect(start).toThrow(ConfigError);
    expect(start).toThrow(/GATEWAY_KEYS_FILE.*broken\.json.*keys\.0/);
  });
});

describe('a store that breaks while the gateway runs', () => {
  it('keeps the last good keys, and says so in the log, for a broken edit and for a deleted file', async () => {
    const store = join(directory, 'live.json');
    const { key } = await createKey(store, { name: 'live', scopes: [], providers: [] }, known);
    const log = captureLog();
    const gateway = await startGateway({ OPENAI_BASE_URL: `${openai.origin}/v1`, GATEWAY_KEYS_FILE: store, LOG_LEVEL: 'warn' }, { logSink: log.sink });
    expect(await chat(gateway.origin, key)).toBe(200);

    writeFileSync(store, '{ "version": 1, "keys": [ oops');
    await log.waitFor((line) => String(line.msg).includes('keeping the last good keys'), 2000);
    expect(await chat(gateway.origin, key)).toBe(200);
    expect(await chat(gateway.origin)).toBe(401);

    rmSync(store);
    await sleep(1200);
    expect(await chat(gateway.origin, key)).toBe(200);
    expect(await chat(gateway.origin)).toBe(401);
    expect(log.lines().filter((line) => line.level === 'warn').length).toBeGreaterThanOrEqual(2);
    await gateway.close();
  }, 10_000);
});
