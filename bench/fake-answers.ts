/**
 * The benchmark's fake OpenAI-compatible upstream's answers, shared by its own process
 * (`fake-upstream.ts`) and `bench:ab`'s in-process runner: an instant small chat completion,
 * or with `"stream":true` in the body the 100-chunk stream of `fake-stream.ts`, written one
 * event per write without delay, as a model server sends them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STREAM_EVENTS } from './fake-stream.js';

const COMPLETION = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1731066713,
  model: 'bench-model',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from the fake upstream!' }, logprobs: null, finish_reason: 'stop' }],
  usage: { prompt_tokens: 9, completion_tokens: 7, total_tokens: 16 },
});

/** A `node:http` request handler that answers every request with the fake completion or stream. */
export function answerFake(request: IncomingMessage, response: ServerResponse): void {
  const parts: Buffer[] = [];
  request.on('data', (part: Buffer) => parts.push(part));
  request.on('end', () => {
    if (/"stream"\s*:\s*true/.test(Buffer.concat(parts).toString('utf8'))) {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const event of STREAM_EVENTS) response.write(event);
      response.end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(COMPLETION) });
    response.end(COMPLETION);
  });
}
