/**
 * A stream without its provider's usage still counts, through HTTP against mock providers:
 * an OpenAI-compatible stream the client leaves before its usage chunk (the last one), one
 * the provider breaks, one from a server that never sends usage, a Gemini stream cut before
 * its usage, and a Responses stream cut before `response.completed`. Each counts its input
 * as estimated from the request and its output from the text that arrived (`estimated`, and
 * `partial` when cut), is priced, and goes into the key's spend, so a budgeted key that
 * leaves every stream early still reaches its budget.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKey } from '../../lib/keys/key-commands.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { readUntil } from '../helpers/held-stream.js';
import { eventually } from '../helpers/keys-cli.js';
import { captureLog, type LogCapture, type LogLine } from '../helpers/log-capture.js';
import { chunk, startMockUpstream, startSse, type MockUpstream } from '../helpers/mock-upstream.js';
import { anthropicTextEvents } from '../helpers/providers/anthropic-mock.js';
import { geminiResponse, writeGeminiEvent } from '../helpers/providers/gemini-mock.js';

const MASTER = 'master-key-for-cut-stream-tests-0123456789';
/** Thirty chunks of one word each: thirty tokens, as OpenAI streams them. */
const WORDS = Array.from({ length: 30 }, (_, index) => `w${index} `);
/** The prompt: 400 ASCII characters, about 100 tokens. */
const PROMPT = 'abcd '.repeat(80);
/** gpt-4o-mini: $0.15 input and $0.60 output per million tokens. */
const miniCost = (input: number, output: number) => (input * 0.15 + output * 0.6) / 1e6;

let openai: MockUpstream;
let gemini: MockUpstream;
let anthropic: MockUpstream;
let gateway: TestGateway;
let log: LogCapture;
let budgeted: string;
/** Lets a held mock stream go on (its client has left by then). */
let release: () => void = () => {};

const lineFor = (id: string | null): Promise<LogLine> => log.waitFor((line) => line.request_id === id);

/** An OpenAI stream of {@link WORDS}, held before its finish and usage chunk until `release()`. */
function heldOpenAIStream(_request: unknown, res: import('node:http').ServerResponse) {
  startSse(res);
  for (const word of WORDS) res.write(`data: ${chunk(word, null, 'gpt-4o-mini')}\n\n`);
  const held = new Promise<void>((resolve) => {
    release = resolve;
    setTimeout(resolve, 5000);
  });
  void held.then(() => {
    if (res.destroyed) return;
    res.write(`data: ${chunk(null, 'stop', 'gpt-4o-mini')}\n\n`);
    res.end(`data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [], usage: { prompt_tokens: 100, completion_tokens: 30, total_tokens: 130 } })}\n\ndata: [DONE]\n\n`);
  });
}

/** POSTs `body` with the master key (unless `headers` name another). */
async function post(path: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${gateway.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER}`, ...headers }, body: JSON.stringify(body) });
}

/** Reads a stream until `marker`, then leaves (cancels the body). */
async function leaveAfter(response: Response, marker: string): Promise<string> {
  const reader = response.body!.getReader();
  const text = await readUntil(reader, marker, 3000);
  await reader.cancel();
  return text;
}

beforeAll(async () => {
  openai = await startMockUpstream();
  gemini = await startMockUpstream();
  anthropic = await startMockUpstream();
  log = captureLog();
  const store = join(mkdtempSync(join(tmpdir(), 'cut-keys-')), 'keys.json');
  // Two cut streams' worth: 30 output and ~100 input tokens of gpt-4o-mini each.
  budgeted = (await createKey(store, { name: 'leaver', scopes: [], providers: [], budgets: { day: miniCost(100, 30) * 1.5 } }, new Set(['openai', 'gemini']))).key;
  gateway = await startGateway(
    { OPENAI_BASE_URL: `${openai.origin}/v1`, GEMINI_BASE_URL: gemini.origin, ANTHROPIC_BASE_URL: anthropic.origin, GATEWAY_RETRIES: '0', LOG_LEVEL: 'info', GATEWAY_KEYS_FILE: store, GATEWAY_MASTER_KEY: MASTER },
    { logSink: log.sink },
  );
});

afterAll(async () => {
  release();
  await gateway?.close();
  await Promise.all([openai?.close(), gemini?.close(), anthropic?.close()]);
});

beforeEach(() => {
  openai.handle(heldOpenAIStream);
});

describe('a stream without its provider’s usage', () => {
  it('a client that leaves before the usage chunk is counted for its prompt and the words that arrived, partial', async () => {
    const response = await post('/v1/chat/completions', { model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: PROMPT }] });
    const text = await leaveAfter(response, WORDS.at(-1)!);
    expect(text).not.toContain('"usage"');
    const line = await lineFor(response.headers.get('x-request-id'));
    release();
    const usage = line.usage as Record<string, number>;
    expect(usage).toMatchObject({ completion_tokens: 30, partial: true, estimated: true });
    // 400 prompt characters and the role's and model's few: about 100 tokens.
    expect(usage.prompt_tokens).toBeGreaterThanOrEqual(100);
    expect(usage.prompt_tokens).toBeLessThan(110);
    expect(line.cost_usd as number).toBeCloseTo(miniCost(usage.prompt_tokens, 30), 12);
  });

  it('a provider that breaks the stream: what arrived, partial; one that never sends usage: an estimate, not partial', async () => {
    openai.handle((_request, res) => {
      startSse(res);
      for (const word of WORDS.slice(0, 10)) res.write(`data: ${chunk(word, null, 'gpt-4o-mini')}\n\n`);
      setTimeout(() => res.destroy(), 20);
    });
    const broken = await post('/v1/chat/completions', { model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    expect(await broken.text()).toContain('"code":"upstream_connection_lost"');
    expect((await lineFor(broken.headers.get('x-request-id'))).usage).toMatchObject({ completion_tokens: 10, partial: true, estimated: true });

    // A server that ignores stream_options: its stream finishes without a usage chunk.
    openai.handle((_request, res) => {
      startSse(res);
      for (const word of WORDS.slice(0, 10)) res.write(`data: ${chunk(word, null, 'gpt-4o-mini')}\n\n`);
      res.end(`data: ${chunk(null, 'stop', 'gpt-4o-mini')}\n\ndata: [DONE]\n\n`);
    });
    const finished = await post('/v1/chat/completions', { model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    expect(await finished.text()).toContain('[DONE]');
    const usage = (await lineFor(finished.headers.get('x-request-id'))).usage as Record<string, unknown>;
    // One token per chunk passed on: ten words and the finish chunk.
    expect(usage).toMatchObject({ completion_tokens: 11, estimated: true });
    expect(usage.partial).toBeUndefined();
  });

  it('a Gemini stream cut before its usage, and a Responses stream cut before response.completed, count what arrived', async () => {
    gemini.handle((_request, res) => {
      startSse(res);
      writeGeminiEvent(res, { ...geminiResponse([{ text: 'The answer is forty-two, as computed.' }]), usageMetadata: undefined });
      setTimeout(() => res.destroy(), 20);
    });
    const cut = await post('/v1/chat/completions', { model: 'gemini-2.5-flash', stream: true, messages: [{ role: 'user', content: 'hi' }] }, { 'x-provider': 'gemini' });
    expect(await cut.text()).toContain('forty-two');
    // The text the gateway translated, 37 characters: 10 tokens by the estimate (o200k_base: 9), though it came in one chunk.
    expect((await lineFor(cut.headers.get('x-request-id'))).usage).toMatchObject({ completion_tokens: 10, partial: true, estimated: true });

    // OpenAI's own Responses stream: output_text deltas, held before response.completed; the client leaves.
    openai.handle((request, res) => {
      expect(request.url).toBe('/v1/responses');
      startSse(res);
      const event = (type: string, fields: Record<string, unknown>, sequence: number) => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence, ...fields })}\n\n`;
      res.write(event('response.created', { response: { id: 'resp_1', object: 'response', status: 'in_progress', output: [] } }, 0));
      WORDS.forEach((word, index) => res.write(event('response.output_text.delta', { item_id: 'msg_1', output_index: 0, content_index: 0, delta: word }, index + 1)));
      release = () => res.destroy();
      setTimeout(release, 5000);
    });
    const responses = await post('/v1/responses', { model: 'gpt-4o-mini', stream: true, input: PROMPT });
    await leaveAfter(responses, `"delta":"${WORDS.at(-1)!}"`);
    const line = await lineFor(responses.headers.get('x-request-id'));
    release();
    expect(line.usage).toMatchObject({ completion_tokens: 30, partial: true, estimated: true });
    expect((line.usage as Record<string, number>).prompt_tokens).toBeGreaterThanOrEqual(100);
  });

  it('an Anthropic Messages stream cut after its deltas: the input as Anthropic reported it, the output raised to what arrived', async () => {
    // message_start reports 12 input tokens and 1 output token; then 20 deltas of 8 characters each, and the provider breaks off.
    const parts = Array.from({ length: 20 }, () => 'abcdefg ');
    anthropic.handle((_request, res) => {
      startSse(res);
      // message_start, content_block_start, ping and the deltas; no content_block_stop, message_delta or message_stop.
      for (const event of anthropicTextEvents(parts).slice(0, 3 + parts.length)) res.write(event);
      setTimeout(() => res.destroy(), 20);
    });
    const response = await post('/v1/messages', { model: 'claude-3-5-haiku-20241022', max_tokens: 500, stream: true, messages: [{ role: 'user', content: 'hi' }] }, { 'x-provider': 'anthropic', 'anthropic-version': '2023-06-01' });
    expect(await response.text()).toContain('event: error');
    const line = await lineFor(response.headers.get('x-request-id'));
    // 160 characters: 40 tokens.
    expect(line.usage).toEqual({ prompt_tokens: 12, completion_tokens: 40, partial: true, estimated: true });
    // claude-3-5-haiku: $0.80 input, $4 output per million tokens.
    expect(line.cost_usd as number).toBeCloseTo((12 * 0.8 + 40 * 4) / 1e6, 12);
  });

  it('a budgeted key that leaves every stream early still reaches its budget', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4 && !statuses.includes(429); attempt += 1) {
      const response = await post('/v1/chat/completions', { model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: PROMPT }] }, { authorization: `Bearer ${budgeted}` });
      statuses.push(response.status);
      if (response.status === 200) {
        await leaveAfter(response, WORDS.at(-1)!);
        const id = response.headers.get('x-request-id');
        await lineFor(id);
        release();
        await eventually(async () => {
          const report = await fetch(`${gateway.origin}/v1/usage?group_by=key&key=leaver`, { headers: { authorization: `Bearer ${MASTER}` } });
          return ((await report.json()) as { total: { requests: number } }).total.requests === statuses.length;
        }, 3000);
      } else await response.text();
    }
    expect(statuses).toEqual([200, 200, 429]);
  });
});
