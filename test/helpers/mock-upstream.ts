/**
 * A scripted mock provider on 127.0.0.1:0: each test sets a handler that answers in the
 * provider's real wire format, and every request it got is recorded.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request the mock received. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json?: Record<string, unknown>;
  /** `Date.now()` when the request's head arrived. */
  receivedAt?: number;
}

export type MockHandler = (request: RecordedRequest, res: ServerResponse, raw: IncomingMessage) => void | Promise<void>;

/** A running mock upstream. */
export interface MockUpstream {
  /** `http://127.0.0.1:port` */
  origin: string;
  requests: RecordedRequest[];
  /** Replaces the handler for the requests that follow. */
  handle(handler: MockHandler): void;
  /** Sockets that closed since start, for abort tests. */
  closedSockets: number;
  close(): Promise<void>;
}

/** Starts a mock upstream; the default handler answers 404. */
export async function startMockUpstream(handler?: MockHandler): Promise<MockUpstream> {
  let current: MockHandler =
    handler ??
    ((_request, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'not found in mock', type: 'invalid_request_error' } }));
    });
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const mock = { closedSockets: 0 } as MockUpstream;
  const server: Server = createServer(async (raw, res) => {
    const receivedAt = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of raw) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    let json: Record<string, unknown> | undefined;
    try {
      json = body ? (JSON.parse(body) as Record<string, unknown>) : undefined;
    } catch {
      json = undefined;
    }
    const request: RecordedRequest = { method: raw.method ?? '', url: raw.url ?? '', headers: raw.headers, body, json, receivedAt };
    requests.push(request);
    try {
      await current(request, res, raw);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(error));
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      mock.closedSockets += 1;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(mock, {
    origin: `http://127.0.0.1:${port}`,
    requests,
    handle(next: MockHandler) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  });
}

/** Answers with a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Starts an SSE answer (200, `text/event-stream`). */
export function startSse(res: ServerResponse, headers: Record<string, string> = {}): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
  res.flushHeaders();
}

/** A small OpenAI chat completion answer. */
export function chatCompletion(content = 'Hello there!', model = 'gpt-4o'): Record<string, unknown> {
  return {
    id: 'chatcmpl-123',
    object: 'chat.completion',
    created: 1731066713,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 },
  };
}

/** One OpenAI chat stream chunk's JSON text. */
export function chunk(content: string | null, finish: string | null = null, model = 'gpt-4o'): string {
  const delta = content === null ? {} : { content };
  return JSON.stringify({
    id: 'chatcmpl-123',
    object: 'chat.completion.chunk',
    created: 1731066713,
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
