/**
 * docs/api.md "Limits and validation": every bad input the gateway can be sent gets its 4xx
 * in OpenAI's error shape, nothing reaches the provider, and the gateway stays healthy.
 * Inputs fetch() would refuse or normalise go over a raw socket.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chatCompletion, sendJson, startMockUpstream, type MockUpstream } from '../helpers/mock-upstream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { rawRequest, type RawAnswer } from '../helpers/raw-http.js';

const LIMIT = 64 * 1024;
const chat = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] };

let openai: MockUpstream;
let gateway: TestGateway;
let lenient: TestGateway;

beforeAll(async () => {
  openai = await startMockUpstream((request, res) => sendJson(res, 200, chatCompletion()));
  const env = { OPENAI_BASE_URL: `${openai.origin}/v1`, GROQ_BASE_URL: `${openai.origin}/v1`, GATEWAY_MAX_BODY_BYTES: String(LIMIT) };
  gateway = await startGateway(env);
  // Node's parser refuses control characters in headers before the app runs; a lenient
  // parser lets them through, which is where the app's own check has to catch them.
  lenient = await startGateway(env, { serverOptions: { insecureHTTPParser: true } });
});

afterAll(async () => {
  await Promise.all([gateway.close(), lenient.close()]);
  await openai.close();
});

beforeEach(() => {
  openai.requests.length = 0;
});

type Send = () => Promise<RawAnswer>;

async function post(body: BodyInit, headers: Record<string, string> = {}, path = '/v1/chat/completions'): Promise<RawAnswer> {
  const response = await fetch(gateway.origin + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
  return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
}

const json = (value: unknown, headers?: Record<string, string>, path?: string): Send => () => post(JSON.stringify(value), headers, path);

/** A raw request through `target` (default: the strict gateway). */
const raw = (head: string, target: () => TestGateway = () => gateway, body?: Buffer): Send => () =>
  rawRequest(target().port, head, body);

const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`;
const withHeader = (header: string) =>
  `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${header}\r\n` +
  `Content-Length: ${JSON.stringify(chat).length}\r\nConnection: close\r\n\r\n${JSON.stringify(chat)}`;

function chunked(totalBytes: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= totalBytes) return controller.close();
      const size = Math.min(16 * 1024, totalBytes - sent);
      sent += size;
      controller.enqueue(new Uint8Array(size).fill(0x20));
    },
  });
}

const utf16 = (bom: boolean) => {
  const text = Buffer.from(JSON.stringify(chat), 'utf16le');
  return bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), text]) : text;
};

// [what, how it is sent, status, error code, message pattern, param]
const TABLE: [string, Send, number, string, RegExp, string | null][] = [
  ['malformed JSON', () => post('{"model":'), 400, 'invalid_json', /not valid JSON/, null],
  ['an empty body', () => post(''), 400, 'empty_body', /empty/, null],
  ['a JSON array', json([chat]), 400, 'invalid_json', /must be a JSON object/, null],
  ['a JSON string', json('hello'), 400, 'invalid_json', /must be a JSON object/, null],
  ['a missing model', json({ messages: chat.messages }), 400, 'invalid_model', /`model`/, 'model'],
  ['an empty model', json({ ...chat, model: ' ' }), 400, 'invalid_model', /`model`/, 'model'],
  ['messages not an array', json({ ...chat, messages: 'hi' }), 400, 'invalid_messages', /`messages`/, 'messages'],
  ['empty messages', json({ ...chat, messages: [] }), 400, 'invalid_messages', /`messages`/, 'messages'],
  ['a UTF-16 body with a BOM', () => post(utf16(true)), 400, 'invalid_encoding', /UTF-16/, null],
  ['a UTF-16 body without a BOM', () => post(utf16(false)), 400, 'invalid_encoding', /UTF-16/, null],
  ['bytes that are not UTF-8', () => post(Buffer.from([0x7b, 0xc3, 0x28, 0x7d])), 400, 'invalid_encoding', /UTF-8/, null],
  ['a body over the limit, declared', () => post(Buffer.alloc(LIMIT + 1, 0x20)), 413, 'request_too_large', /larger than .* limit of 65536 bytes/, null],
  ['a chunked body over the limit', () => post(chunked(4 * LIMIT)), 413, 'request_too_large', /limit of 65536 bytes/, null],
  ['an unknown provider', json(chat, { 'x-provider': 'nope' }), 400, 'unknown_provider', /Unknown provider "nope".*openai/, null],
  ['an unknown path provider', json(chat, {}, '/nope/v1/chat/completions'), 400, 'unknown_provider', /Unknown provider "nope"/, null],
  ['a chain of 50 entries', json(chat, { 'x-provider': Array(50).fill('openai').join(',') }), 400, 'chain_too_long', /50 providers.*at most 10/, null],
  ['x-gateway-retries: 999', json(chat, { 'x-gateway-retries': '999' }), 400, 'invalid_header', /x-gateway-retries.*0 to 5/, null],
  ['x-gateway-timeout: -1', json(chat, { 'x-gateway-timeout': '-1' }), 400, 'invalid_header', /x-gateway-timeout.*1 to 600000/, null],
  ['a non-boolean stream', json({ ...chat, stream: 'yes' }), 400, 'invalid_stream', /`stream`/, 'stream'],
  ['".." raw in the path', raw(get('/v1/../v1/models')), 400, 'invalid_path', /"\.\."/, null],
  ['".." raw in a provider path', raw(get('/groq/v1/../../admin')), 400, 'invalid_path', /"\.\."/, null],
  ['"%2e%2e" in the path', raw(get('/v1/%2e%2e/admin')), 400, 'invalid_path', /"\.\."/, null],
  ['"%2E%2E" in the path', raw(get('/v1/%2E%2E/admin')), 400, 'invalid_path', /"\.\."/, null],
  ['".%2E" mixed in the path', raw(get('/v1/files/.%2E/admin')), 400, 'invalid_path', /"\.\."/, null],
  ['"..%2F" hiding a slash', () => fetch(`${gateway.origin}/v1/files/..%2F..%2Fadmin`).then(toAnswer), 400, 'invalid_path', /"\.\."/, null],
  ['"%252e%252e" encoded twice', raw(get('/v1/%252e%252e/admin')), 400, 'invalid_path', /"\.\."/, null],
  ['".." in an absolute-form target', raw(get('http://127.0.0.1/v1/../admin')), 400, 'invalid_path', /"\.\."/, null],
  ['a backslash in the path', raw(get('/v1\\..\\admin')), 400, 'malformed_request', /Backslash/, null],
  ['"%00" in the path', raw(get('/v1/files/a%00b')), 400, 'invalid_path', /control characters/, null],
  ['malformed percent-encoding', raw(get('/v1/files/%zz')), 400, 'invalid_path', /percent-encoding/, null],
  ['an empty segment ("//") in the path', raw(get('/v1//usage')), 400, 'invalid_path', /empty segments/, null],
  ['an empty segment encoded ("/%2f")', raw(get('/v1/%2fusage')), 400, 'invalid_path', /empty segments/, null],
  ['a raw control character in the path', raw(get('/v1/a\u0001b')), 400, 'malformed_request', /Malformed HTTP request/, null],
  ['NUL in a header', raw(withHeader('x-provider: openai\u0000groq')), 400, 'malformed_request', /control characters/, null],
  ['a bare LF in a header', raw(withHeader('x-provider: openai\ngroq')), 400, 'malformed_request', /control characters/, null],
  ['a bare CR in a header', raw(withHeader('x-provider: openai\rgroq')), 400, 'malformed_request', /control characters/, null],
  ['an obsolete folded header', raw(withHeader('x-provider: openai\r\n groq')), 400, 'malformed_request', /control characters/, null],
  ['NUL in a header, lenient parser', raw(withHeader('x-provider: openai\u0000groq'), () => lenient), 400, 'invalid_header', /"x-provider".*NUL/, null],
  ['a control character in a header, lenient parser', raw(withHeader('authorization: Bearer a\u0001b'), () => lenient), 400, 'invalid_header', /"authorization"/, null],
  ['an oversized head', raw(withHeader(`x-big: ${'a'.repeat(20_000)}`)), 431, 'malformed_request', /Malformed HTTP request/, null],
];

async function toAnswer(response: Response): Promise<RawAnswer> {
  return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
}

describe('every bad input gets its 4xx, reaches no provider, and leaves the gateway healthy', () => {
  it.each(TABLE)('%s', async (_what, send, status, code, message, param) => {
    const answer = await send();
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.headers['x-request-id']).toBeTruthy();
    const { error } = JSON.parse(answer.body) as { error: Record<string, unknown> };
    expect(error).toEqual({ message: expect.stringMatching(message), type: 'invalid_request_error', code, param });
    expect(String(error.message)).not.toMatch(/\n\s+at /);
    expect(openai.requests).toHaveLength(0);
    for (const target of [gateway, lenient]) expect((await fetch(`${target.origin}/health`)).status).toBe(200);
  });

  it('a good request still goes through afterwards', async () => {
    const answer = await json(chat)();
    expect(answer.status).toBe(200);
    expect(openai.requests).toHaveLength(1);
  });
});
