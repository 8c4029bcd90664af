/**
 * Reading `openai` SDK chat streams in tests: the whole stream, or its first content
 * while the mock upstream still holds the rest back.
 */
import type OpenAI from 'openai';
import { expect } from 'vitest';
import { sleep } from './mock-upstream.js';

type ChunkStream = AsyncIterable<OpenAI.ChatCompletionChunk>;

/** Reads a stream to its end: its text, the last finish reason and the usage chunk's usage. */
export async function readChatStream(stream: ChunkStream): Promise<{ text: string; finish: string | null; usage?: OpenAI.CompletionUsage }> {
  let text = '';
  let finish: string | null = null;
  let usage: OpenAI.CompletionUsage | undefined;
  for await (const part of stream) {
    text += part.choices[0]?.delta.content ?? '';
    finish = part.choices[0]?.finish_reason ?? finish;
    usage = part.usage ?? usage;
  }
  return { text, finish, usage };
}

/** A gate the mock upstream waits on before it sends the rest of its stream. */
export function gate(): { held: Promise<void>; release: () => void } {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  return { held, release };
}

/**
 * Expects the chunk with content `first` to reach the client (within 3 s) while the
 * upstream waits on `release`; then releases it and returns the rest of the text.
 */
export async function contentBeforeRelease(stream: ChunkStream, first: string, release: () => void): Promise<string> {
  const iterator = stream[Symbol.asyncIterator]();
  const seen: string[] = [];
  while (!seen.includes(first)) {
    const next = await Promise.race([iterator.next(), sleep(3000).then(() => 'timed out' as const)]);
    expect(next, `"${first}" should reach the client before the upstream sends the rest`).not.toBe('timed out');
    const result = next as IteratorResult<OpenAI.ChatCompletionChunk>;
    expect(result.done, `the stream ended before "${first}"`).toBe(false);
    seen.push(result.value.choices[0]?.delta.content ?? '');
  }
  release();
  let rest = '';
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) rest += next.value.choices[0]?.delta.content ?? '';
  return rest;
}
