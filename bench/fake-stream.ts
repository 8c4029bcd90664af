/**
 * The benchmark's 100-chunk chat completion stream, as the fake upstream writes it and
 * as `bench:relay` relays it: 99 one-word chunks, a finish, then `[DONE]`, each a whole
 * SSE event (about 20 KB in all).
 */

const chunk = (content: string | null, finish: string | null) =>
  `data: ${JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: 1731066713,
    model: 'bench-model',
    choices: [{ index: 0, delta: content === null ? {} : { content }, logprobs: null, finish_reason: finish }],
  })}\n\n`;

/** The stream's events, one string each, in order. */
export const STREAM_EVENTS: readonly string[] = [
  ...Array.from({ length: 99 }, (_, i) => chunk(`word${i} `, null)),
  chunk(null, 'stop'),
  'data: [DONE]\n\n',
];
