/**
 * docs/api.md "CORS": GATEWAY_CORS_ORIGINS (default `*`), preflights answered by the gateway
 * without calling a provider, the gateway's headers readable by browser code.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chatCompletion, chunk, sendJson, startMockUpstream, startSse, type MockUpstream } from '../helpers/mock-upstream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

let openai: MockUpstream;
let open: TestGateway;
let listed: TestGateway;

const preflight = (gateway: TestGateway, origin: string) =>
  fetch(`${gateway.origin}/v1/chat/completions`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, x-provider' },
  });

/**
 * A browser page's request: it brings its own key, since a page from another origin is never
 * lent the gateway's (`keys/local-request.ts`).
 */
const chat = (gateway: TestGateway, headers: Record<string, string>, body: Record<string, unknown> = {}) =>
  fetch(`${gateway.origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-browser-own', ...headers },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], ...body }),
  });

beforeAll(async () => {
  openai = await startMockUpstream((request, res) => sendJson(res, 200, chatCompletion()));
  open = await startGateway({ OPENAI_BASE_URL: `${openai.origin}/v1` });
  listed = await startGateway({ OPENAI_BASE_URL: `${openai.origin}/v1`, GATEWAY_CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' });
});

afterAll(async () => {
  await Promise.all([open.close(), listed.close()]);
  await openai.close();
});

beforeEach(() => {
  openai.requests.length = 0;
  openai.handle((request, res) => sendJson(res, 200, chatCompletion()));
});

describe('CORS', () => {
  it('answers a preflight itself, allowing any origin by default, without calling a provider', async () => {
    const response = await preflight(open, 'https://anywhere.example');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('authorization,content-type,x-provider');
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(openai.requests).toHaveLength(0);
  });

  it('lets browser code read the answer and the gateway’s headers', async () => {
    const response = await chat(open, { origin: 'https://anywhere.example' });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const exposed = response.headers.get('access-control-expose-headers')!.split(',');
    expect(exposed).toEqual(expect.arrayContaining(['x-request-id', 'x-gateway-provider', 'x-gateway-attempts', 'x-gateway-cache', 'x-gateway-cost-usd', 'x-ratelimit-remaining-requests']));
    expect(response.headers.get('x-gateway-provider')).toBe('openai');
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(await response.json()).toMatchObject({ object: 'chat.completion' });
  });

  it('errors and streams carry the CORS headers too', async () => {
    const refused = await chat(open, { origin: 'https://anywhere.example' }, { messages: [] });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
    openai.handle((request, res) => {
      startSse(res);
      res.write(`data: ${chunk('Hi', 'stop')}\n\n`);
      res.end('data: [DONE]\n\n');
    });
    const streamed = await chat(open, { origin: 'https://anywhere.example' }, { stream: true });
    expect(streamed.headers.get('access-control-allow-origin')).toBe('*');
    expect(streamed.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(await streamed.text()).toContain('data: [DONE]');
  });

  it('with GATEWAY_CORS_ORIGINS, allows only the listed origins', async () => {
    const allowed = await preflight(listed, 'http://localhost:5173');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(allowed.headers.get('vary')).toContain('Origin');
    const other = await preflight(listed, 'https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const answer = await chat(listed, { origin: 'https://app.example.com' });
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const foreign = await chat(listed, { origin: 'https://evil.example' });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(openai.requests).toHaveLength(2);
  });

  it('leaves requests without an Origin (SDKs, curl) untouched', async () => {
    const response = await chat(open, {});
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.status).toBe(200);
  });
});
