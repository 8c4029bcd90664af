/**
 * Key rotation over `<NAME>_API_KEY` lists, and the circuit breaker opening and closing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chatCompletion, sendJson, sleep, startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

let openai: MockUpstream;
let groq: MockUpstream;

beforeAll(async () => {
  openai = await startMockUpstream();
  groq = await startMockUpstream((request, res) => sendJson(res, 200, chatCompletion('from groq')));
});

afterAll(async () => {
  await openai.close();
  await groq.close();
});

afterEach(() => {
  openai.requests.length = 0;
  groq.requests.length = 0;
});

async function chat(gateway: TestGateway, headers: Record<string, string> = {}) {
  const response = await fetch(`${gateway.origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
  });
  return { response, json: (await response.json()) as Record<string, any> };
}

describe('key rotation', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startGateway({ OPENAI_BASE_URL: `${openai.origin}/v1`, OPENAI_API_KEY: 'k1,k2,k3', GATEWAY_RETRY_BASE_MS: '5' });
  });
  afterAll(() => gateway.close());

  it('a 429 on one key moves at once to the next untried key, without waiting for Retry-After or using a retry', async () => {
    openai.handle((request, res) => {
      if (request.headers.authorization === 'Bearer k3') sendJson(res, 200, chatCompletion('k3 worked'));
      else sendJson(res, 429, { error: { message: 'key limit' } }, { 'retry-after': '5' });
    });
    const started = Date.now();
    const { response, json } = await chat(gateway, { 'x-gateway-retries': '0' });
    expect(response.status).toBe(200);
    expect(json.choices[0].message.content).toBe('k3 worked');
    expect(Date.now() - started).toBeLessThan(1000);
    const used = openai.requests.map((request) => request.headers.authorization);
    expect(new Set(used).size).toBe(used.length);
    expect(used.at(-1)).toBe('Bearer k3');
  });

  it('a 401 on every key: each key tried once, then the 401 comes back', async () => {
    openai.handle((request, res) => sendJson(res, 401, { error: { message: 'Incorrect API key', code: 'invalid_api_key' } }));
    const { response, json } = await chat(gateway);
    expect(response.status).toBe(401);
    expect(json.error.code).toBe('invalid_api_key');
    expect(openai.requests.map((request) => request.headers.authorization).sort()).toEqual(['Bearer k1', 'Bearer k2', 'Bearer k3']);
  });

  it('requests start round-robin on successive keys', async () => {
    openai.handle((request, res) => sendJson(res, 200, chatCompletion()));
    for (let i = 0; i < 3; i++) await chat(gateway);
    expect(new Set(openai.requests.map((request) => request.headers.authorization)).size).toBe(3);
  });
});

describe('circuit breaker', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startGateway({
      OPENAI_BASE_URL: `${openai.origin}/v1`,
      GROQ_BASE_URL: `${groq.origin}/openai/v1`,
      GATEWAY_CIRCUIT_FAILURES: '2',
      GATEWAY_CIRCUIT_COOLDOWN_MS: '400',
      GATEWAY_RETRIES: '0',
    });
  });
  afterAll(() => gateway.close());

  it('opens after N failures in a row, skips the provider, then lets one trial through and closes', async () => {
    openai.handle((request, res) => sendJson(res, 500, { error: { message: 'down' } }));
    for (let i = 0; i < 2; i++) {
      const { response } = await chat(gateway, { 'x-provider': 'openai, groq' });
      expect(response.headers.get('x-gateway-provider')).toBe('groq');
    }
    expect(openai.requests).toHaveLength(2);

    // Open: skipped without a request.
    const skipped = await chat(gateway, { 'x-provider': 'openai, groq' });
    expect(skipped.response.headers.get('x-gateway-provider')).toBe('groq');
    expect(skipped.response.headers.get('x-gateway-attempts')).toBe('1');
    expect(openai.requests).toHaveLength(2);

    // A chain whose providers are all open still tries them.
    const alone = await chat(gateway, { 'x-provider': 'openai' });
    expect(alone.response.status).toBe(500);
    expect(openai.requests).toHaveLength(3);

    // After the cooldown one trial goes through; it succeeds and closes the circuit.
    await sleep(450);
    openai.handle((request, res) => sendJson(res, 200, chatCompletion('back')));
    const trial = await chat(gateway, { 'x-provider': 'openai, groq' });
    expect(trial.json.choices[0].message.content).toBe('back');
    const after = await chat(gateway, { 'x-provider': 'openai, groq' });
    expect(after.response.headers.get('x-gateway-provider')).toBe('openai');
  });

  it('a failed trial reopens the circuit for another cooldown', async () => {
    openai.handle((request, res) => sendJson(res, 503, { error: { message: 'down' } }));
    await chat(gateway, { 'x-provider': 'openai, groq' });
    await chat(gateway, { 'x-provider': 'openai, groq' });
    const count = openai.requests.length;
    await sleep(450);
    await chat(gateway, { 'x-provider': 'openai, groq' });
    expect(openai.requests).toHaveLength(count + 1);
    await chat(gateway, { 'x-provider': 'openai, groq' });
    expect(openai.requests).toHaveLength(count + 1);
  });
});

describe('one client cannot shut a provider for everyone', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startGateway({
      OPENAI_BASE_URL: `${openai.origin}/v1`,
      OPENAI_API_KEY: 'sk-env',
      GROQ_BASE_URL: `${groq.origin}/openai/v1`,
      GATEWAY_CIRCUIT_FAILURES: '2',
      GATEWAY_CIRCUIT_COOLDOWN_MS: '60000',
      GATEWAY_RETRIES: '0',
    });
  });
  afterAll(() => gateway.close());

  it('neither timeouts the client chose short nor 429s on the client’s own key open the circuit', async () => {
    openai.handle(async (request, res) => {
      if (request.headers.authorization === 'Bearer sk-exhausted') return sendJson(res, 429, { error: { message: 'quota', type: 'rate_limit_error' } });
      await sleep(60);
      sendJson(res, 200, chatCompletion());
    });
    for (let round = 0; round < 3; round += 1) {
      expect((await chat(gateway, { 'x-gateway-timeout': '1' })).response.status).toBe(504);
      expect((await chat(gateway, { authorization: 'Bearer sk-exhausted' })).response.status).toBe(429);
    }
    // Another client's chain still starts with openai, which answers.
    const { response } = await chat(gateway, { 'x-provider': 'openai, groq' });
    expect(response.headers.get('x-gateway-provider')).toBe('openai');
    expect(groq.requests).toHaveLength(0);
  });

  it('a provider’s own failures on the gateway’s key still do', async () => {
    openai.handle((_request, res) => sendJson(res, 503, { error: { message: 'down', type: 'server_error' } }));
    for (let round = 0; round < 2; round += 1) await chat(gateway);
    const { response } = await chat(gateway, { 'x-provider': 'openai, groq' });
    expect(response.headers.get('x-gateway-provider')).toBe('groq');
    expect(openai.requests).toHaveLength(2);
  });
});
