/**
 * The playground's endpoint over HTTP: a chat through `flaky, steady` streams its events as
 * they happen (flaky's 500, steady's 200, the answer, its pieces, done) and lands among the
 * recent requests; bad input is a 400 naming the field before any stream.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { TestGateway } from '../helpers/gateway.js';
import { api, startAdminGateway } from './admin-helpers.js';
import { startMockProviders, STEADY_PIECES, type MockProviders } from './mock-providers.js';

let gateway: TestGateway | undefined;
let mocks: MockProviders | undefined;
afterEach(async () => {
  await gateway?.close();
  await mocks?.close();
  gateway = undefined;
  mocks = undefined;
});

/** The SSE answer's events, in order. */
async function events(response: Response): Promise<{ event: string; data: Record<string, unknown> }[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.includes('data:'))
    .map((block) => ({
      event: /^event: (.*)$/m.exec(block)?.[1] ?? 'message',
      data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? '{}') as Record<string, unknown>,
    }));
}

describe('POST /admin/api/playground', () => {
  it('streams each attempt of the chain, then the answer piece by piece, and records the run', async () => {
    mocks = await startMockProviders();
    gateway = await startAdminGateway(mocks.env);
    const response = await api(gateway.origin, '/playground', { method: 'POST', body: { chain: 'flaky, steady', model: 'm-1', prompt: 'hi' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const seen = await events(response);
    expect(seen.map((entry) => entry.event)).toEqual(['attempt', 'attempt', 'answer', ...STEADY_PIECES.map(() => 'delta'), 'done']);
    expect(seen[0].data).toMatchObject({ provider: 'flaky', model: 'm-1', status: 500 });
    expect(seen[1].data).toMatchObject({ provider: 'steady', model: 'm-1', status: 200 });
    expect(seen[2].data).toMatchObject({ provider: 'steady', attempts: 2 });
    expect(seen.filter((entry) => entry.event === 'delta').map((entry) => entry.data.content).join('')).toBe(STEADY_PIECES.join(''));
    expect(seen.at(-1)?.data).toMatchObject({ usage: { input_tokens: 7, output_tokens: 4 } });
    const recent = (await (await api(gateway.origin, '/requests')).json()) as { data: { path: string; provider: string; attempts: number; chain: string[] }[] };
    expect(recent.data[0]).toMatchObject({ path: '/admin/api/playground', provider: 'steady', attempts: 2, chain: ['flaky', 'steady'] });
    expect(mocks.steady.requests[0].json?.messages).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('a chain that fails throughout: the attempts, then an error event', async () => {
    mocks = await startMockProviders();
    gateway = await startAdminGateway(mocks.env);
    const seen = await events(await api(gateway.origin, '/playground', { method: 'POST', body: { chain: 'flaky', model: 'm-1', prompt: 'hi' } }));
    expect(seen.map((entry) => entry.event)).toEqual(['attempt', 'error']);
    expect(seen[1].data).toMatchObject({ status: 500 });
  });

  it('bad input: a 400 naming the field, before any stream', async () => {
    mocks = await startMockProviders();
    gateway = await startAdminGateway(mocks.env);
    const empty = await api(gateway.origin, '/playground', { method: 'POST', body: { chain: 'steady', prompt: '' } });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: { param: string } }).error.param).toBe('messages');
    const unknown = await api(gateway.origin, '/playground', { method: 'POST', body: { chain: 'nowhere', prompt: 'hi', model: 'x' } });
    expect(unknown.status).toBe(400);
    expect(mocks.steady.requests).toHaveLength(0);
  });
});
