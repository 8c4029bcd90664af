/**
 * Token usage read from a non-streamed answer without parsing all of it.
 */
import { describe, expect, it } from 'vitest';
import { usageFromBody } from '../../lib/formats/body-usage.js';

const bytes = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

describe('usageFromBody', () => {
  it.each([
    ['OpenAI chat', { id: 'x', choices: [], usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12, prompt_tokens_details: { cached_tokens: 0 } } }, { prompt_tokens: 9, completion_tokens: 3 }],
    ['Anthropic Messages', { id: 'msg', content: [], usage: { input_tokens: 7, output_tokens: 11 } }, { prompt_tokens: 7, completion_tokens: 11 }],
    ['embeddings (no completion tokens)', { data: [], usage: { prompt_tokens: 4, total_tokens: 4 } }, { prompt_tokens: 4, completion_tokens: 0 }],
    ['usage first, pretty-printed', '{\n  "usage" : {\n "prompt_tokens": 1, "completion_tokens": 2 },\n  "id": "x"\n}', { prompt_tokens: 1, completion_tokens: 2 }],
    ['a "usage" in the text, escaped', { choices: [{ message: { content: 'my "usage": {"prompt_tokens": 99}' } }], usage: { prompt_tokens: 1, completion_tokens: 1 } }, { prompt_tokens: 1, completion_tokens: 1 }],
    ['a later "usage" that is a value', { usage: { prompt_tokens: 2, completion_tokens: 5 }, kind: 'usage' }, { prompt_tokens: 2, completion_tokens: 5 }],
    ['braces inside strings of the usage', { usage: { prompt_tokens: 3, completion_tokens: 4, note: '}{' } }, { prompt_tokens: 3, completion_tokens: 4 }],
    ['no usage', { id: 'x', choices: [] }, undefined],
    ['a null usage', { usage: null }, undefined],
    ['a cut-off body', '{"usage":{"prompt_tokens":1', undefined],
  ])('%s', (_name, body, expected) => {
    expect(usageFromBody(bytes(body))).toEqual(expected);
  });
});
