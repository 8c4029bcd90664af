/**
 * Token usage read from a non-streamed answer without parsing all of it.
 */
import { describe, expect, it } from 'vitest';
import { usageFromBody } from '../../lib/formats/body-usage.js';
import { tokenUsage } from '../helpers/token-usage.js';

const u = tokenUsage;

const bytes = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

describe('usageFromBody', () => {
  it.each([
    ['OpenAI chat', { id: 'x', choices: [], usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12, prompt_tokens_details: { cached_tokens: 0 } } }, u(9, 3)],
    ['Anthropic Messages', { id: 'msg', content: [], usage: { input_tokens: 7, output_tokens: 11 } }, u(7, 11)],
    ['embeddings (no completion tokens)', { data: [], usage: { prompt_tokens: 4, total_tokens: 4 } }, u(4, 0)],
    ['usage first, pretty-printed', '{\n  "usage" : {\n "prompt_tokens": 1, "completion_tokens": 2 },\n  "id": "x"\n}', u(1, 2)],
    ['a "usage" in the text, escaped', { choices: [{ message: { content: 'my "usage": {"prompt_tokens": 99}' } }], usage: { prompt_tokens: 1, completion_tokens: 1 } }, u(1, 1)],
    ['a later "usage" that is a value', { usage: { prompt_tokens: 2, completion_tokens: 5 }, kind: 'usage' }, u(2, 5)],
    ['braces inside strings of the usage', { usage: { prompt_tokens: 3, completion_tokens: 4, note: '}{' } }, u(3, 4)],
    [
      'OpenAI chat with cache reads and reasoning',
      { usage: { prompt_tokens: 2006, completion_tokens: 300, prompt_tokens_details: { cached_tokens: 1920 }, completion_tokens_details: { reasoning_tokens: 256 } } },
      u(2006, 300, { cache_read_tokens: 1920, reasoning_tokens: 256 }),
    ],
    [
      'Anthropic with cache reads and writes (counted apart, added to the input)',
      { content: [], usage: { input_tokens: 10, cache_read_input_tokens: 1000, cache_creation_input_tokens: 200, output_tokens: 5 } },
      u(1210, 5, { cache_read_tokens: 1000, cache_write_tokens: 200 }),
    ],
    [
      'Responses with details',
      { object: 'response', usage: { input_tokens: 500, input_tokens_details: { cached_tokens: 100 }, output_tokens: 80, output_tokens_details: { reasoning_tokens: 64 }, total_tokens: 580 } },
      u(500, 80, { cache_read_tokens: 100, reasoning_tokens: 64 }),
    ],
    ['no usage', { id: 'x', choices: [] }, undefined],
    ['a null usage', { usage: null }, undefined],
    ['a cut-off body', '{"usage":{"prompt_tokens":1', undefined],
  ])('%s', (_name, body, expected) => {
    expect(usageFromBody(bytes(body))).toEqual(expected);
  });
});
