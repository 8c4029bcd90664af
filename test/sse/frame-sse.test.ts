/**
 * The byte framer that lets a same-format stream pass through unchanged: every split of
 * a stream must give the same bytes, cut only at event ends; CR line ends switch to the
 * WHATWG parser; the OpenAI format's byte inspection must agree with its event inspection.
 */
import { describe, expect, it } from 'vitest';
import { frameChunks } from '../../lib/chain/client-chunks.js';
import { openAIStreamFormat, openAIStreamFormatWithoutUsageChunk } from '../../lib/formats/openai-stream.js';
import type { StreamState } from '../../lib/formats/stream-format.js';
import { GatewayError } from '../../lib/errors.js';
import { frameSse } from '../../lib/sse/frame-sse.js';

async function* pieces(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    yield bytes.subarray(start, cut);
    start = cut;
  }
}

async function frames(source: AsyncIterable<Uint8Array>): Promise<string[]> {
  const out: string[] = [];
  for await (const frame of frameSse(source)) out.push(frame.toString('utf8'));
  return out;
}

const LF_STREAM = ': ping\n\ndata: {"a":"é€😀"}\n\nid: 7\ndata: line one\ndata: line two\n\ndata: {"b":2}\n\ndata: [DONE]\n\n';

describe('frameSse', () => {
  const bytes = Buffer.from(LF_STREAM);

  it('passes an LF stream on byte for byte, in one frame per read', async () => {
    expect(await frames(pieces(bytes, []))).toEqual([LF_STREAM]);
  });

  it('cuts only at event ends, whatever the split (UTF-8 characters and "\\n\\n" cut in half included)', async () => {
    for (let cut = 1; cut < bytes.length; cut += 1) {
      const out = await frames(pieces(bytes, [cut]));
      expect(out.join('')).toBe(LF_STREAM);
      for (const frame of out) expect(frame.endsWith('\n\n')).toBe(true);
    }
  });

  it('holds a read that completes no event until one does', async () => {
    expect(await frames(pieces(Buffer.from('data: {"a":1}\n\ndata: {"b":1}\n'), []))).toEqual(['data: {"a":1}\n\n', 'data: {"b":1}\n\n']);
    const split = await frames(pieces(Buffer.from('data: {"a":1}\n\ndata: {"b":2}\n\n'), [16, 20, 25]));
    expect(split).toEqual(['data: {"a":1}\n\n', 'data: {"b":2}\n\n']);
  });

  it('delivers a last event left without its blank line, but not a last line cut in half, and drops trailing blank lines', async () => {
    expect(await frames(pieces(Buffer.from('data: a\n\ndata: b\n'), []))).toEqual(['data: a\n\n', 'data: b\n\n']);
    expect(await frames(pieces(Buffer.from('data: a\n\nid: 1\ndata: {"b":"cut'), []))).toEqual(['data: a\n\n', 'id: 1\n\n']);
    expect(await frames(pieces(Buffer.from('data: a\n\ndata: {"b":"cut'), []))).toEqual(['data: a\n\n']);
    // A server that ends without the last line break: a whole [DONE] or JSON line still counts.
    expect(await frames(pieces(Buffer.from('data: a\n\ndata: [DONE]'), [3]))).toEqual(['data: a\n\n', 'data: [DONE]\n\n']);
    expect(await frames(pieces(Buffer.from('data: a\n\ndata:{"b":1}'), []))).toEqual(['data: a\n\n', 'data:{"b":1}\n\n']);
    expect(await frames(pieces(Buffer.from('data: a\n\n\n'), []))).toEqual(['data: a\n\n\n']);
  });

  it('switches to the WHATWG parser at the first CR and re-encodes with LF from the held bytes on', async () => {
    const mixed = Buffer.from('data: one\n\ndata: tw');
    const rest = Buffer.from('o\r\n\r\nevent: x\rdata: three\r\r: c\r\n\r\ndata: four\r');
    const out = await frames(pieces(Buffer.concat([mixed, rest]), [mixed.length]));
    expect(out).toEqual(['data: one\n\n', 'data: two\n\nevent: x\ndata: three\n\n', 'data: four\n\n']);
  });

  it('drops the UTF-8 byte order mark a stream may begin with, whole or split across reads', async () => {
    const text = 'data: {"first":true}\n\ndata: [DONE]\n\n';
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    for (const cuts of [[], [1], [2], [3], [10]]) expect((await frames(pieces(bytes, cuts))).join('')).toBe(text);
  });

  it('gives a large event whole, in one frame, however many reads it came in', async () => {
    const event = `data: ${'x'.repeat(1024 * 1024)}\n\n`;
    const bytes = Buffer.from(`${event}data: [DONE]\n\n`);
    const cuts = Array.from({ length: Math.floor(bytes.length / 4096) }, (_, index) => (index + 1) * 4096);
    const out = await frames(pieces(bytes, cuts));
    expect(out.join('')).toBe(bytes.toString());
    expect(out[0].startsWith(event)).toBe(true);
  });

  it('counts an event over 16 MiB as a broken stream', async () => {
    async function* huge() {
      yield Buffer.from('data: ');
      for (let i = 0; i < 17; i += 1) yield Buffer.alloc(1024 * 1024, 0x61);
    }
    await expect(frames(huge())).rejects.toSatisfy((error) => error instanceof GatewayError && error.code === 'invalid_stream');
  });

  it('lets go of the upstream when the consumer stops early', async () => {
    let closed = false;
    async function* upstream() {
      try {
        yield Buffer.from('data: a\n\n');
        yield Buffer.from('data: b\n\n');
      } finally {
        closed = true;
      }
    }
    const iterator = frameSse(upstream());
    await iterator.next();
    await iterator.return(undefined);
    expect(closed).toBe(true);
  });
});

describe('the OpenAI format on passed-on frames', () => {
  const chunk = (fields: string) => `data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,${fields}}]}\n\n`;

  async function inspected(text: string): Promise<{ state: StreamState; out: string }> {
    const state: StreamState = { finished: false };
    let out = '';
    for await (const bytes of frameChunks(frameSse(pieces(Buffer.from(text), [])), { format: openAIStreamFormat, state })) {
      out += Buffer.from(bytes).toString('utf8');
    }
    return { state, out };
  }

  it('finds the end in [DONE] (with or without the space) or a string finish_reason, and not in null', async () => {
    expect((await inspected(chunk('"delta":{"content":"hi"},"finish_reason":null'))).state.finished).toBe(false);
    expect((await inspected(chunk('"delta":{},"finish_reason" : "stop"'))).state.finished).toBe(true);
    expect((await inspected('data: [DONE]\n\n')).state.finished).toBe(true);
    expect((await inspected('data:[DONE]\n\n')).state.finished).toBe(true);
    // "[DONE]" inside content, or in a comment, is not the end.
    expect((await inspected(`: data: [DONE]\n${chunk('"delta":{"content":"a"},"finish_reason":null')}`)).state.finished).toBe(false);
    expect((await inspected(chunk('"delta":{"content":"data: [DONE]"},"finish_reason":null'))).state.finished).toBe(false);
  });

  it('reads usage and in-stream errors from the events, as the event path does', async () => {
    const usage = await inspected(`${chunk('"delta":{},"finish_reason":"stop"')}data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":5}}\n\ndata: [DONE]\n\n`);
    // Two chunks passed on (the finish chunk and the usage chunk; `[DONE]` is none), counted for a stream cut before its usage.
    expect(usage.state).toEqual({
      finished: true,
      usage: { input_tokens: 3, output_tokens: 5, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 },
      arrived: { chunks: 2, narrow: 0, wide: 0 },
    });
    const error = await inspected('data: {"error":{"message":"overloaded","code":"server_busy"}}\n\n');
    expect(error.state.error).toEqual({ message: 'overloaded', code: 'server_busy' });
  });

  it('passes a frame whose usage is only null on from its bytes, without parsing its events', () => {
    const frame = Buffer.from(`data: {"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}],"usage":null}\n\ndata: {"choices":[],"usage": null}\n\n`);
    expect(openAIStreamFormat.inspectFrame?.(frame, { finished: false })).toBe(true);
    expect(openAIStreamFormat.inspectFrame?.(Buffer.from('data: {"choices":[],"usage":{"prompt_tokens":1}}\n\n'), { finished: false })).toBe(false);
  });

  it('leaves the usage chunk out of the frame it shares with other events, when the client did not ask, and still reads it', async () => {
    const text = `${chunk('"delta":{},"finish_reason":"stop"')}data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":5}}\n\ndata: [DONE]\n\n`;
    const state: StreamState = { finished: false };
    let out = '';
    for await (const bytes of frameChunks(frameSse(pieces(Buffer.from(text), [])), { format: openAIStreamFormatWithoutUsageChunk, state })) out += Buffer.from(bytes).toString('utf8');
    expect(out).toBe(`${chunk('"delta":{},"finish_reason":"stop"')}data: [DONE]\n\n`);
    expect(state.usage).toMatchObject({ input_tokens: 3, output_tokens: 5 });
    // A usage that rides on a chunk with choices (a provider that reports it unasked) stays.
    const riding = `data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":5}}\n\ndata: [DONE]\n\n`;
    let kept = '';
    for await (const bytes of frameChunks(frameSse(pieces(Buffer.from(riding), [])), { format: openAIStreamFormatWithoutUsageChunk, state: { finished: false } })) kept += Buffer.from(bytes).toString('utf8');
    expect(kept).toBe(riding);
  });

  it('passes frames on as they came, and gives nothing for a frame of comments only', async () => {
    const text = `: keep-alive\n\n${chunk('"delta":{"content":"a"},"finish_reason":null')}data:{"compact":true}\n\n`;
    const state: StreamState = { finished: false };
    const out: string[] = [];
    const source = pieces(Buffer.from(text), [': keep-alive\n\n'.length]);
    for await (const bytes of frameChunks(frameSse(source), { format: openAIStreamFormat, state })) out.push(Buffer.from(bytes).toString('utf8'));
    expect(out).toEqual(['', text.slice(': keep-alive\n\n'.length)]);
  });
});
