/**
 * What Claude Code really sends (recorded from `@anthropic-ai/claude-code` 2.1.332 inside a
 * loopback-only network namespace, `test/fixtures/clients/claude-code/`), replayed as it
 * came (`?beta=true`, its `anthropic-beta` list) to `/v1/messages` in front of every dialect:
 * passed through to Anthropic untouched, and translated for an OpenAI-compatible provider,
 * Gemini and Ollama, whose mocks refuse what the real APIs refuse. Each answer must be a
 * whole Messages stream.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chunk, startMockUpstream, startSse, type MockUpstream } from '../helpers/mock-upstream.js';
import { startGateway, type TestGateway } from '../helpers/gateway.js';
import { anthropicTextEvents, streamEvents } from '../helpers/providers/anthropic-mock.js';
import { geminiResponse, validatingGemini, writeGeminiEvent } from '../helpers/providers/gemini-mock.js';
import { ollamaLine, startNdjson, validatingOllama, writeLine } from '../helpers/providers/ollama-mock.js';
import { validatingOpenAI } from '../helpers/providers/openai-mock.js';
import { loadConfig } from '../../lib/config.js';
import { createProviders } from '../../lib/providers/registry.js';

interface Recording {
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown> & { messages: Array<{ role: string; content: unknown }> };
}

const FOLDER = new URL('../fixtures/clients/claude-code/', import.meta.url);
const recordings = readdirSync(FOLDER)
  .filter((file) => file.endsWith('.json'))
  .map((file) => [file.replace(/\.json$/, ''), JSON.parse(readFileSync(new URL(file, FOLDER), 'utf8')) as Recording] as const);

let anthropic: MockUpstream;
let openai: MockUpstream;
let gemini: MockUpstream;
let ollama: MockUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  [anthropic, openai, gemini, ollama] = await Promise.all([startMockUpstream(), startMockUpstream(), startMockUpstream(), startMockUpstream()]);
  anthropic.handle((request, res) => streamEvents(res, anthropicTextEvents(['Done.'])));
  openai.handle(
    validatingOpenAI((request, res) => {
      startSse(res);
      res.write(`data: ${chunk('Done.')}\n\n`);
      res.write(`data: ${chunk(null, 'stop')}\n\n`);
      res.end('data: [DONE]\n\n');
    }),
  );
  gemini.handle(
    validatingGemini((request, res) => {
      startSse(res);
      writeGeminiEvent(res, geminiResponse([{ text: 'Done.' }], 'STOP'));
      res.end();
    }),
  );
  ollama.handle(
    validatingOllama((request, res) => {
      startNdjson(res);
      writeLine(res, ollamaLine('Done.'));
      res.end(`${JSON.stringify(ollamaLine('', true))}\n`);
    }),
  );
  gateway = await startGateway({
    ANTHROPIC_BASE_URL: anthropic.origin,
    OPENAI_BASE_URL: `${openai.origin}/v1`,
    GEMINI_BASE_URL: gemini.origin,
    OLLAMA_BASE_URL: ollama.origin,
    GATEWAY_RETRIES: '0',
  });
});

afterAll(async () => {
  await gateway.close();
  await Promise.all([anthropic, openai, gemini, ollama].map((mock) => mock.close()));
});

beforeEach(() => {
  for (const mock of [anthropic, openai, gemini, ollama]) mock.requests.length = 0;
});

/** Sends a recording as Claude Code did, to the chain `provider`; returns the status and the SSE event names. */
async function replay(recording: Recording, provider: string): Promise<{ status: number; events: string[]; text: string }> {
  const response = await fetch(`${gateway.origin}${recording.url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'sk-ant-dummy', 'x-provider': provider, 'x-gemini-api-key': 'g', 'x-openai-api-key': 'o', ...recording.headers },
    body: JSON.stringify(recording.body),
  });
  const text = await response.text();
  const events = [...text.matchAll(/^event: (\w+)$/gm)].map((match) => match[1]);
  return { status: response.status, events, text };
}

const WHOLE_STREAM = ['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop'];

describe.each(recordings)('Claude Code: %s', (name, recording) => {
  it('reaches Anthropic as it was sent, query, betas and all', async () => {
    const { status, events } = await replay(recording, 'anthropic');
    expect(status).toBe(200);
    expect(events).toEqual(expect.arrayContaining(WHOLE_STREAM));
    const [sent] = anthropic.requests;
    expect(sent.url).toBe('/v1/messages?beta=true');
    expect(sent.headers['anthropic-beta']).toBe(recording.headers['anthropic-beta']);
    expect(sent.json).toEqual(recording.body);
  });

  it('is translated for an OpenAI-compatible provider, system messages in their place', async () => {
    const { status, events, text } = await replay(recording, 'openai/gpt-5');
    expect(status, text).toBe(200);
    expect(events).toEqual(WHOLE_STREAM);
    const sent = openai.requests[0].json as { messages: Array<{ role: string; content: unknown }>; reasoning_effort?: string; user?: string; tools: unknown[] };
    // Claude Code puts a system message after the first user message: it stays there.
    expect(sent.messages.map((message) => message.role).slice(0, 3)).toEqual(['system', 'user', 'system']);
    expect(sent.reasoning_effort).toBe('medium');
    expect(sent.user).toMatch(/^[0-9a-f]{64}$/);
    expect(sent.tools).toHaveLength((recording.body.tools as unknown[]).length);
    if (name === 'image-tool-result') expect(sent.messages.at(-1)).toMatchObject({ role: 'user', content: [{ type: 'image_url' }] });
    if (name === 'pdf-tool-result') expect(sent.messages.at(-1)).toMatchObject({ role: 'user', content: [{ type: 'file', file: { file_data: expect.stringMatching(/^data:application\/pdf;base64,/) } }] });
  });

  it('is translated for Gemini', async () => {
    const { status, events, text } = await replay(recording, 'gemini/gemini-2.5-pro');
    expect(status, text).toBe(200);
    expect(events).toEqual(WHOLE_STREAM);
    const sent = gemini.requests[0].json as { systemInstruction: unknown; generationConfig: { thinkingConfig?: unknown } };
    expect(sent.systemInstruction).toBeDefined();
    expect(sent.generationConfig.thinkingConfig).toEqual({ thinkingBudget: 8192, includeThoughts: true });
    if (name === 'pdf-tool-result') expect(JSON.stringify(sent)).toContain('"mimeType":"application/pdf"');
  });

  it('is translated for Ollama, or refused with a 400 in Anthropic’s shape naming what Ollama cannot take', async () => {
    const { status, events, text } = await replay(recording, 'ollama/qwen3');
    if (name === 'pdf-tool-result') {
      expect(status).toBe(400);
      expect(JSON.parse(text)).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('document') } });
      expect(ollama.requests).toHaveLength(0);
      return;
    }
    expect(status, text).toBe(200);
    expect(events).toEqual(WHOLE_STREAM);
    const sent = ollama.requests[0].json as { messages: Array<{ role: string; images?: string[] }>; think?: boolean };
    expect(sent.think).toBe(true);
    if (name === 'image-tool-result') expect(sent.messages.at(-1)?.images).toHaveLength(1);
  });
});

describe('Claude Code to models that do not reason', () => {
  const [[, recording]] = recordings;

  it.each([
    ['openai/gpt-4o', () => openai.requests[0].json as Record<string, unknown>, 'reasoning_effort'],
    ['gemini/gemini-2.0-flash', () => (gemini.requests[0].json as { generationConfig: Record<string, unknown> }).generationConfig, 'thinkingConfig'],
    ['ollama/llama3.2', () => ollama.requests[0].json as Record<string, unknown>, 'think'],
  ])('%s: its thinking setting is left out, so the model answers instead of refusing it', async (target, sent, field) => {
    const { status, events, text } = await replay(recording, target);
    expect(status, text).toBe(200);
    expect(events).toEqual(WHOLE_STREAM);
    expect(sent()).not.toHaveProperty(field);
  });

  it('<NAME>_REASONING_MODELS decides which models reason', () => {
    const openaiRow = createProviders(loadConfig({ OPENAI_REASONING_MODELS: 'gpt-4o' }).providers).get('openai');
    expect(openaiRow?.reasons?.('gpt-4o-mini')).toBe(true);
    expect(openaiRow?.reasons?.('o3')).toBe(false);
    const defaults = createProviders(loadConfig({}).providers);
    expect(defaults.get('openai')?.reasons?.('gpt-5.1')).toBe(true);
    expect(defaults.get('openai')?.reasons?.('gpt-4.1')).toBe(false);
    expect(defaults.get('groq')?.reasons?.('anything')).toBe(true);
    expect(defaults.get('gemini')?.reasons?.('models/gemini-2.5-flash')).toBe(true);
  });
});
