/**
 * The Netlify Functions v2 entry, called the way Netlify calls it: its default export
 * with a Web `Request` and a context, against mock upstreams on loopback.
 */
import type { Config, Context } from '@netlify/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELD_EVENTS, heldStream, readToEnd, readUntil } from '../helpers/held-stream.js';
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

beforeAll(async () => {
  openai = await startMockUpstream();
  groq = await startMockUpstream();
  // lib/config reads process.env when the entry builds the app, at import time.
  const env = { OPENAI_BASE_URL: `${openai.origin}/v1`, GROQ_BASE_URL: `${groq.origin}/openai/v1`, LOG_LEVEL: 'silent' };
  for (const [name, value] of Object.entries(env)) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
  const entry = await import('../../netlify/functions/gateway.js');
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
});
