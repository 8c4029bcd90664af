/**
 * Bodies that are valid JSON but would hurt: nesting deep enough to overflow a recursive
 * walk, and `model` named twice (JSON.parse keeps the last, a provider may keep the first).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chatCompletion, sendJson, startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';

let upstream: MockUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startMockUpstream((request, res) => sendJson(res, 200, chatCompletion()));
  // The cache on, as by default: its canonical JSON walks the whole body.
  gateway = await startGateway({ OPENAI_BASE_URL: `${upstream.origin}/v1`, GATEWAY_CACHE: 'on' });
});

afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

beforeEach(() => {
  upstream.requests.length = 0;
});

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${gateway.origin}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('body edge cases', () => {
  it('JSON nested 5000 deep is a 400, not a 500, and nothing goes upstream', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const response = await post(`{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"x":${deep}}`);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string; message: string } }).error.message).toMatch(/deeper than/);
    expect(upstream.requests).toHaveLength(0);
  });

  it('brackets inside strings do not count as nesting', async () => {
    const response = await post(JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: '['.repeat(5000) }] }));
    expect(response.status).toBe(200);
  });

  it('a body naming model twice goes upstream with the one the gateway checked', async () => {
    const response = await post('{"model":"gpt-expensive","model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}');
    expect(response.status).toBe(200);
    expect(upstream.requests[0].body).toBe('{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}');
  });

  it('an ordinary body still goes byte for byte', async () => {
    const body = '{"model": "gpt-4o",   "messages": [{"role": "user", "content": "say \\"model\\""}]}';
    await post(body);
    expect(upstream.requests[0].body).toBe(body);
  });
});
