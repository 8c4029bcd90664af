/**
 * Counting the answer text of stream events without parsing them, and the token estimate
 * made from it: against `o200k_base` on prose of several scripts and code, on a frame's
 * bytes as on decoded text, through JSON escapes and spaced keys, and each key once.
 */
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { arrivedTokens, countArrived, countArrivedText, estimateBodyTokens, noOutput, streamEndUsage } from '../../lib/usage/arrived-output.js';

const KEYS = ['content"', 'reasoning_content"', 'arguments"'];
const frame = (delta: Record<string, unknown>) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'm', choices: [{ index: 0, delta, finish_reason: null }] })}\n\n`;

const PROSE = {
  english: 'The quick brown fox jumps over the lazy dog. Streaming answers arrive one token at a time, and a gateway that counts them must not trust the client to stay. ',
  code: 'function add(a: number, b: number): number {\n  return a + b;\n}\nconst xs = [1, 2, 3].map((x) => add(x, 1));\n',
  french: 'Le passage à l’échelle d’une passerelle exige une mesure précise des coûts à chaque requête. ',
  russian: 'Шлюз передаёт каждый запрос подходящему поставщику моделей и учитывает стоимость каждого запроса. ',
  chinese: '人工智能网关把每个请求转发给合适的模型提供商，并记录每次请求的花费。',
};

describe('countArrived', () => {
  it('counts the same characters in a frame’s UTF-8 bytes as in its decoded text, escapes as one character', () => {
    const text = ['Hé "quoted"\n', '你好', '🙂 ok', 'Привет'].map((content) => frame({ content })).join('');
    const decoded = noOutput();
    countArrived(text, KEYS, decoded);
    const bytes = noOutput();
    countArrived(Buffer.from(text).toString('latin1'), KEYS, bytes, true);
    expect(decoded).toEqual({ chunks: 4, narrow: 12 + 3 + 6, wide: 2 + 2 });
    // An emoji is two UTF-16 units but one UTF-8 character.
    expect(bytes).toEqual({ chunks: 4, narrow: 12 + 3 + 6, wide: 2 + 1 });
  });

  it('reads spaced keys, \\u escapes, reasoning apart from content, tool arguments, and skips null and empty values', () => {
    const arrived = noOutput();
    const text = [
      'data: {"choices":[{"delta":{"content" : "ab"}}]}\n\n',
      'data: {"choices":[{"delta":{"content":"\\u4f60\\u00e9x"}}]}\n\n',
      frame({ reasoning_content: 'think' }),
      frame({ tool_calls: [{ index: 0, function: { arguments: '{"a":1}' } }] }),
      frame({ content: null }),
      frame({ content: '' }),
      'data: {"context":"not text"}\n\n',
    ].join('');
    countArrived(text, KEYS, arrived);
    expect(arrived).toEqual({ chunks: 4, narrow: 2 + 2 + 5 + 7, wide: 1 });
  });

  it('estimates within 40% of o200k_base’s count for prose of several scripts and code', () => {
    for (const [name, sample] of Object.entries(PROSE)) {
      const text = sample.repeat(4);
      const arrived = noOutput();
      countArrivedText(text, arrived);
      arrived.chunks = 0;
      const ratio = arrivedTokens(arrived) / countTokens(text);
      expect(ratio, name).toBeGreaterThan(0.6);
      expect(ratio, name).toBeLessThan(1.4);
    }
  });

  it('never counts fewer tokens than the chunks that carried text (one token per chunk, as OpenAI streams)', () => {
    const arrived = noOutput();
    countArrived(['a', 'b', 'c'].map((content) => frame({ content })).join(''), KEYS, arrived);
    expect(arrivedTokens(arrived)).toBe(3);
  });
});

describe('streamEndUsage and estimateBodyTokens', () => {
  const reported = { input_tokens: 1210, output_tokens: 1, cache_read_tokens: 1000, cache_write_tokens: 200, reasoning_tokens: 0 };
  const arrived = { chunks: 12, narrow: 200, wide: 0 };

  it('keeps a finished stream’s reported usage, raises a cut one’s output to what arrived, and estimates what was not reported', () => {
    expect(streamEndUsage(reported, arrived, false, () => 99)).toBe(reported);
    expect(streamEndUsage(reported, arrived, true, () => 99)).toEqual({ ...reported, output_tokens: 50, partial: true, estimated: true });
    expect(streamEndUsage({ ...reported, output_tokens: 80 }, arrived, true, () => 99)).toEqual({ ...reported, output_tokens: 80, partial: true });
    expect(streamEndUsage(undefined, arrived, true, () => 99)).toEqual({ input_tokens: 99, output_tokens: 50, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0, partial: true, estimated: true });
    expect(streamEndUsage(undefined, arrived, false, () => 99)).not.toHaveProperty('partial');
    expect(streamEndUsage(undefined, undefined, true, undefined)).toBeUndefined();
  });

  it('estimates a body’s input from its strings, an attachment as an image’s tokens', () => {
    const text = 'abcd'.repeat(100);
    expect(estimateBodyTokens({ model: 'm', max_tokens: 5000, messages: [{ role: 'user', content: text }] })).toBe(Math.ceil((1 + 4 + 400) / 4));
    const image = { type: 'image_url', image_url: { url: `data:image/png;base64,${'A'.repeat(100_000)}` } };
    const raw = { type: 'input_image', data: 'B'.repeat(5000) };
    expect(estimateBodyTokens({ messages: [{ role: 'user', content: [image, raw] }] })).toBe(Math.ceil((4 + 9 + 11) / 4) + 2 * 1600);
  });
});
