/**
 * Keys that expire: `keys create|update --expires`, and a gateway that refuses an expired key
 * with a 401 `expired_api_key`, nothing sent upstream.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyCommandError } from '../../lib/keys/key-commands.js';
import { parseExpiry } from '../../lib/keys/expiry.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { createKeyWithCli, eventually, runKeys } from '../helpers/keys-cli.js';
import { chatCompletion, sendJson, startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';

describe('parseExpiry', () => {
  const now = Date.parse('2027-01-01T00:00:00Z');

  it('takes a duration from now, a date, or never', () => {
    expect(parseExpiry('30d', now)).toBe('2027-01-31T00:00:00.000Z');
    expect(parseExpiry('12h', now)).toBe('2027-01-01T12:00:00.000Z');
    expect(parseExpiry('2w', now)).toBe('2027-01-15T00:00:00.000Z');
    expect(parseExpiry('2027-02-01', now)).toBe('2027-02-01T00:00:00.000Z');
    expect(parseExpiry('2027-02-01T08:30:00Z', now)).toBe('2027-02-01T08:30:00.000Z');
    expect(parseExpiry('never', now)).toBeNull();
  });

  it.each(['soon', '30', '-1d', '2026-12-31', 'tomorrow'])('refuses %j', (value) => {
    expect(() => parseExpiry(value, now)).toThrow(KeyCommandError);
  });
});

describe('an expired key', () => {
  const store = join(mkdtempSync(join(tmpdir(), 'gateway-expiry-')), 'keys.json');
  let openai: MockUpstream;
  let gateway: TestGateway;

  beforeAll(async () => {
    openai = await startMockUpstream((_request, res) => sendJson(res, 200, chatCompletion()));
    gateway = await startGateway({ OPENAI_BASE_URL: `${openai.origin}/v1`, GATEWAY_KEYS_FILE: store });
  });

  afterAll(async () => {
    await gateway.close();
    await openai.close();
  });

  const chat = async (key: string) => {
    const response = await fetch(`${gateway.origin}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
    });
    return { status: response.status, body: (await response.json()) as { error?: { code: string; message: string } } };
  };

  it('works until it expires, then is a 401 expired_api_key with nothing sent upstream', async () => {
    const key = await createKeyWithCli(store, 'short-lived', '--expires', '1d');
    const listed = await runKeys(store, ['list']);
    expect(listed.stdout).toMatch(/short-lived\s+active until \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await eventually(async () => (await chat(key)).status === 200);
    // A day later, as far as the record says.
    const file = JSON.parse(readFileSync(store, 'utf8')) as { keys: { expires_at?: string }[] };
    file.keys[0].expires_at = new Date(Date.now() - 1000).toISOString();
    writeFileSync(store, JSON.stringify(file));
    await eventually(async () => (await chat(key)).status === 401);
    const calls = openai.requests.length;
    const refused = await chat(key);
    expect(refused.body.error?.code).toBe('expired_api_key');
    expect(refused.body.error?.message).toMatch(/expired at \d{4}-/);
    expect(openai.requests.length).toBe(calls);
    expect((await runKeys(store, ['list'])).stdout).toMatch(/short-lived\s+expired/);
    // `update --expires never` brings it back.
    const updated = await runKeys(store, ['update', 'short-lived', '--expires', 'never']);
    expect(updated.code, updated.stderr).toBe(0);
    await eventually(async () => (await chat(key)).status === 200);
  }, 20_000);
});
