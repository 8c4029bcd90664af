/**
 * docs/api.md "Metrics and traces": with `OTEL_EXPORTER_OTLP_ENDPOINT` set, an OTLP receiver
 * on loopback (a small HTTP server that keeps each POST /v1/traces JSON body) gets a SERVER
 * span per request and a CLIENT span per upstream attempt, with the GenAI attributes, the
 * client's trace continued, a failed attempt in error, and no prompt or completion unless
 * `GATEWAY_TRACE_CONTENT=on`.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayApp } from '../../lib/app.js';
import { loadConfig } from '../../lib/config.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { startServer } from '../helpers/npm-start.js';
import { chatCompletion, chunk, sendJson, sleep, startMockUpstream, startSse, type MockUpstream } from '../helpers/mock-upstream.js';

const PROMPT = 'SECRET-PROMPT-TEXT';
const ANSWER = 'SECRET-COMPLETION-TEXT';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN = '00f067aa0ba902b7';

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: OtlpValue }[];
  status?: { code?: number; message?: string };
  events?: { name: string; attributes: { key: string; value: OtlpValue }[] }[];
}
interface Receiver {
  url: string;
  bodies: string[];
  headers: IncomingHttpHeaders[];
  spans(): OtlpSpan[];
  serviceNames(): string[];
  close(): Promise<void>;
}

const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;

/** An OTLP/HTTP receiver that keeps every export it gets. */
async function startReceiver(): Promise<Receiver> {
  const bodies: string[] = [];
  const headers: IncomingHttpHeaders[] = [];
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const part of request) chunks.push(part as Buffer);
    if (request.method === 'POST' && request.url === '/v1/traces') {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      headers.push(request.headers);
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  type Export = { resourceSpans: { resource: { attributes: OtlpSpan['attributes'] }; scopeSpans: { spans: OtlpSpan[] }[] }[] };
  const exports = () => bodies.map((body) => JSON.parse(body) as Export);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies,
    headers,
    spans: () => exports().flatMap((e) => e.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans))),
    serviceNames: () => exports().flatMap((e) => e.resourceSpans.map((r) => String(r.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const attribute = (span: OtlpSpan, key: string): string | number | boolean | undefined => {
  const value = span.attributes.find((entry) => entry.key === key)?.value;
  if (value === undefined) return undefined;
  if (value.intValue !== undefined) return Number(value.intValue);
  return value.stringValue ?? value.boolValue ?? value.doubleValue;
};

/** Waits (up to 5 s) for the receiver to hold `count` spans. */
async function spansOf(receiver: Receiver, count: number): Promise<OtlpSpan[]> {
  for (let waited = 0; waited < 5000 && receiver.spans().length < count; waited += 20) await sleep(20);
  return receiver.spans();
}

let openai: MockUpstream;
let groq: MockUpstream;

beforeAll(async () => {
  openai = await startMockUpstream((request, res) => {
    const body = request.json as { stream?: boolean; messages: { content: string }[] };
    if (body.messages[0].content.startsWith('fail')) return sendJson(res, 500, { error: { message: 'scripted 500', type: 'server_error' } });
    if (body.stream) {
      startSse(res);
      res.write(`data: ${chunk(ANSWER)}\n\n`);
      res.write(`data: ${chunk(null, 'stop')}\n\n`);
      res.write(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [], usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 } })}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    sendJson(res, 200, chatCompletion(ANSWER, 'gpt-4o-2024-08-06'));
  });
  groq = await startMockUpstream((_request, res) => sendJson(res, 200, chatCompletion(ANSWER, 'llama-3.1-8b-instant')));
});

afterAll(async () => {
  await openai.close();
  await groq.close();
});

async function chat(gateway: TestGateway, text: string, headers: Record<string, string> = {}, stream = false) {
  const response = await fetch(`${gateway.origin}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: text }], ...(stream ? { stream: true } : {}) }),
  });
  await response.text();
  return response;
}

/** Runs requests through a traced gateway, stops it (which flushes its spans) and returns what the receiver got. */
async function traced(env: Record<string, string>, requests: (gateway: TestGateway) => Promise<void>, spans: number) {
  const receiver = await startReceiver();
  const gateway = await startGateway({
    OPENAI_BASE_URL: `${openai.origin}/v1`,
    GROQ_BASE_URL: `${groq.origin}/openai/v1`,
    GATEWAY_RETRIES: '0',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    ...env,
  });
  try {
    await requests(gateway);
    await sleep(20);
  } finally {
    await gateway.close();
  }
  const got = await spansOf(receiver, spans);
  await receiver.close();
  return { receiver, spans: got };
}

describe('traces, content off (the default)', () => {
  let receiver: Receiver;
  let spans: OtlpSpan[];
  const ids: string[] = [];

  beforeAll(async () => {
    ({ receiver, spans } = await traced(
      { OTEL_SERVICE_NAME: 'gateway-under-test', OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-token=abc%20def' },
      async (gateway) => {
        ids.push(String((await chat(gateway, `${PROMPT} one`, { traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01` })).headers.get('x-request-id')));
        ids.push(String((await chat(gateway, `fail ${PROMPT}`, { 'x-provider': 'openai, groq/llama-3.1-8b-instant' })).headers.get('x-request-id')));
        ids.push(String((await chat(gateway, `${PROMPT} stream`, {}, true)).headers.get('x-request-id')));
      },
      7,
    ));
  });

  const requestSpan = (index: number) => spans.find((span) => span.kind === SERVER && attribute(span, 'gateway.request.id') === ids[index]) as OtlpSpan;
  const children = (parent: OtlpSpan) => spans.filter((span) => span.parentSpanId === parent.spanId).sort((a, b) => Number(BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano)));

  it('exports to OTEL_EXPORTER_OTLP_ENDPOINT/v1/traces with the service name and headers', () => {
    expect(receiver.bodies.length).toBeGreaterThan(0);
    expect(new Set(receiver.serviceNames())).toEqual(new Set(['gateway-under-test']));
    expect(receiver.headers[0]['x-collector-token']).toBe('abc def');
    expect(receiver.headers[0]['content-type']).toMatch(/application\/json/);
    expect(spans).toHaveLength(7);
  });

  it('a SERVER span per request, continuing the client’s traceparent, with GenAI attributes', () => {
    const span = requestSpan(0);
    expect(span).toBeDefined();
    expect(span.name).toBe('chat gpt-4o');
    expect(span.traceId).toBe(TRACE_ID);
    expect(span.parentSpanId).toBe(CLIENT_SPAN);
    expect(attribute(span, 'gen_ai.operation.name')).toBe('chat');
    expect(attribute(span, 'gen_ai.provider.name')).toBe('openai');
    expect(attribute(span, 'gen_ai.request.model')).toBe('gpt-4o');
    expect(attribute(span, 'gen_ai.response.model')).toBe('gpt-4o-2024-08-06');
    expect(attribute(span, 'gen_ai.usage.input_tokens')).toBe(9);
    expect(attribute(span, 'gen_ai.usage.output_tokens')).toBe(3);
    expect(attribute(span, 'http.response.status_code')).toBe(200);
    expect(span.status?.code ?? 0).not.toBe(ERROR);
  });

  it('a CLIENT child span per upstream attempt', () => {
    const parent = requestSpan(0);
    const [attempt, ...more] = children(parent);
    expect(more).toEqual([]);
    expect(attempt.kind).toBe(CLIENT);
    expect(attempt.traceId).toBe(TRACE_ID);
    expect(attempt.name).toBe('chat gpt-4o');
    expect(attribute(attempt, 'gen_ai.provider.name')).toBe('openai');
    expect(attribute(attempt, 'gen_ai.request.model')).toBe('gpt-4o');
    expect(attribute(attempt, 'http.response.status_code')).toBe(200);
    expect(attribute(attempt, 'gen_ai.usage.output_tokens')).toBe(3);
    // Within its parent's time.
    expect(BigInt(attempt.startTimeUnixNano) >= BigInt(parent.startTimeUnixNano)).toBe(true);
    expect(BigInt(attempt.endTimeUnixNano) <= BigInt(parent.endTimeUnixNano)).toBe(true);
  });

  it('a failed attempt is in error; the fallback that answered is not; a new trace without traceparent', () => {
    const parent = requestSpan(1);
    expect(parent.traceId).not.toBe(TRACE_ID);
    expect(parent.parentSpanId ?? '').toBe('');
    expect(attribute(parent, 'gen_ai.provider.name')).toBe('groq');
    const [failed, fallback] = children(parent);
    expect(attribute(failed, 'gen_ai.provider.name')).toBe('openai');
    expect(attribute(failed, 'http.response.status_code')).toBe(500);
    expect(attribute(failed, 'error.type')).toBe('500');
    expect(attribute(failed, 'gateway.attempt.outcome')).toBe('fell_back');
    expect(failed.status?.code).toBe(ERROR);
    expect(attribute(fallback, 'gen_ai.provider.name')).toBe('groq');
    expect(attribute(fallback, 'gen_ai.request.model')).toBe('llama-3.1-8b-instant');
    expect(fallback.status?.code ?? 0).not.toBe(ERROR);
  });

  it('a stream’s spans last until the stream ended, with its usage', () => {
    const parent = requestSpan(2);
    expect(attribute(parent, 'gen_ai.usage.output_tokens')).toBe(2);
    const [attempt] = children(parent);
    expect(attribute(attempt, 'gateway.attempt.outcome')).toBe('ok');
  });

  it('carries no prompt and no completion', () => {
    for (const body of receiver.bodies) {
      expect(body).not.toContain('SECRET');
      expect(body).not.toContain('gen_ai.input.messages');
    }
  });
});

describe('traces with GATEWAY_TRACE_CONTENT=on', () => {
  it('the request span carries the prompt and a plain answer', async () => {
    const { spans } = await traced({ GATEWAY_TRACE_CONTENT: 'on' }, async (gateway) => void (await chat(gateway, `${PROMPT} with content`)), 2);
    const span = spans.find((candidate) => candidate.kind === SERVER) as OtlpSpan;
    expect(String(attribute(span, 'gen_ai.input.messages'))).toContain(`${PROMPT} with content`);
    expect(String(attribute(span, 'gen_ai.output.messages'))).toContain(ANSWER);
  });
});

describe('without OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('has no tracing at all', () => {
    const { gateway } = createGatewayApp(loadConfig({ GATEWAY_CACHE: 'off', LOG_LEVEL: 'silent', GATEWAY_ADMIN: 'off' }), { exposed: false });
    expect(gateway.tracing).toBeUndefined();
    expect(gateway.listeners).toHaveLength(2); // metrics and spend (the admin console is off)
    expect(gateway.listeners).toContain(gateway.metrics?.record);
  });
});

describe('npm start', () => {
  it('says where spans go, and flushes them when it stops', async () => {
    const receiver = await startReceiver();
    const server = await startServer({ OPENAI_BASE_URL: `${openai.origin}/v1`, OPENAI_API_KEY: 'sk-env', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    try {
      expect(server.stderr()).toContain(`  metrics and traces: GET /metrics (this machine's own clients); traces to ${new URL(receiver.url).host} as ai-gateway, no content`);
      const response = await fetch(`http://127.0.0.1:${server.port}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(response.status).toBe(200);
      await response.text();
      await sleep(20);
      // The batch's own delay (5 s) has not passed: only the flush at shutdown sends it.
      expect(receiver.bodies).toHaveLength(0);
    } finally {
      await server.stop();
    }
    const spans = receiver.spans();
    await receiver.close();
    expect(spans.map((span) => span.kind).sort()).toEqual([SERVER, CLIENT]);
    expect(new Set(receiver.serviceNames())).toEqual(new Set(['ai-gateway']));
  });
});
