/**
 * Every translated dialect's converters on recorded wire fixtures, one file per case
 * under `test/fixtures/<provider>/`: `<case>.json` holds the client's request
 * (`input`), the request the adapter must send (`request`), the provider's answer
 * (`response`, or `<case>.chunks.txt` for a stream, fed through the gateway's own
 * decoder in small reads) and what the client must get (`output`). In `output`,
 * `"<any number>"`, `"<any id>"` and `"<any string>"` stand for values the adapter
 * makes up (timestamps, tool call ids, answer ids).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.js';
import { createProviders } from '../../lib/providers/registry.js';
import type { CallInput, Operation, SseEvent } from '../../lib/providers/types.js';
import { decodeNdjson } from '../../lib/sse/decode-ndjson.js';
import { decodeSse } from '../../lib/sse/decode-sse.js';

const FIXTURES = new URL('../fixtures/', import.meta.url);
const BASE = 'https://upstream.test';
const providers = createProviders(
  loadConfig({ ANTHROPIC_BASE_URL: BASE, GEMINI_BASE_URL: BASE, OLLAMA_BASE_URL: BASE, OPENAI_BASE_URL: `${BASE}/v1`, LOG_LEVEL: 'silent' }).providers,
);

/** One recorded case. */
interface Fixture {
  /** The provider that runs it; the folder's name when absent. */
  provider?: string;
  operation?: Operation;
  input: Record<string, unknown>;
  request: { url: string; body: unknown };
  /** An upstream error status: `response` then goes through `convertError`. */
  status?: number;
  response?: unknown;
  output: unknown;
}

const SUBPATHS: Partial<Record<Operation, string>> = { chat: '/chat/completions', embeddings: '/embeddings', messages: '/messages' };

/** Turns the fixture's placeholders into matchers. */
function expected(value: unknown): unknown {
  if (value === '<any number>') return expect.any(Number);
  if (value === '<any id>') return expect.stringMatching(/^call_[\w-]{24}$/);
  if (value === '<any string>') return expect.any(String);
  if (Array.isArray(value)) return value.map(expected);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, expected(item)]));
  return value;
}

const json = (bytes: Uint8Array | string | undefined) => JSON.parse(typeof bytes === 'string' ? bytes : new TextDecoder().decode(bytes));

/** The stream's bytes in reads of 7, so that events and characters are cut mid-way. */
async function* reads(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += 7) yield bytes.subarray(at, at + 7);
}

function readable(event: SseEvent): unknown {
  const data = event.data === '[DONE]' ? event.data : JSON.parse(event.data);
  return event.event === undefined ? { data } : { event: event.event, data };
}

// What real clients sent is replayed by tests of its own (test/clients/, test/translate/).
const CLIENT_RECORDINGS = new Set(['clients']);
const folders = readdirSync(FIXTURES, { withFileTypes: true }).filter((entry) => entry.isDirectory() && !CLIENT_RECORDINGS.has(entry.name));

for (const folder of folders) {
  const cases = readdirSync(new URL(`${folder.name}/`, FIXTURES)).filter((file) => file.endsWith('.json'));
  describe(`fixtures: ${folder.name}`, () => {
    it.each(cases)('%s', async (file) => {
      const fixture = JSON.parse(readFileSync(new URL(`${folder.name}/${file}`, FIXTURES), 'utf8')) as Fixture;
      const provider = providers.get(fixture.provider ?? folder.name);
      if (!provider) throw new Error(`no provider for fixture folder ${folder.name}`);
      const operation = fixture.operation ?? 'chat';
      const raw = new TextEncoder().encode(JSON.stringify(fixture.input));
      const input: CallInput = {
        operation,
        method: 'POST',
        subpath: SUBPATHS[operation] ?? '',
        body: fixture.input,
        rawBody: raw,
        model: fixture.input.model as string,
        modelChanged: false,
        stream: fixture.input.stream === true,
        apiKey: 'test-key',
        headers: {},
      };

      const handler = provider.operations[operation];
      if (handler === undefined) throw new Error(`${provider.config.name} does not serve ${operation}`);
      const request = handler.buildRequest(input);
      expect(request.url).toBe(BASE + fixture.request.url);
      expect(json(request.body as Uint8Array | string)).toEqual(fixture.request.body);

      if (fixture.status !== undefined) {
        const converted = handler.convertError?.(fixture.status, new TextEncoder().encode(JSON.stringify(fixture.response)), input);
        expect(json(converted)).toEqual(expected(fixture.output));
        return;
      }
      if (!input.stream) {
        const body = new TextEncoder().encode(JSON.stringify(fixture.response));
        expect(json(handler.convertResponse?.(input, body) ?? body)).toEqual(expected(fixture.output));
        return;
      }
      const chunks = readFileSync(new URL(`${folder.name}/${file.replace(/\.json$/, '.chunks.txt')}`, FIXTURES));
      const events = handler.streamFraming === 'ndjson' ? decodeNdjson(reads(chunks)) : decodeSse(reads(chunks));
      const converter = handler.createStreamConverter?.(input);
      const out: SseEvent[] = [];
      for await (const batch of events) for (const event of batch) out.push(...(converter ? converter.push(event) : [event]));
      out.push(...(converter?.end() ?? []));
      expect(out.map(readable)).toEqual(expected(fixture.output));
    });
  });
}
