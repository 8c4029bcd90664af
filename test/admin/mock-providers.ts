/**
 * Two loopback providers for the console's tests, as custom OpenAI-compatible ones:
 * `flaky` always answers 500, `steady` answers chats (streams in a few chunks, with usage).
 * A chain `flaky, steady` therefore falls back.
 */
import { chatCompletion, chunk, sendJson, sleep, startMockUpstream, startSse, type MockUpstream } from '../helpers/mock-upstream.js';

/** The answer `steady` streams, in pieces. */
export const STEADY_PIECES = ['Hello', ' from', ' steady', '!'];

export interface MockProviders {
  flaky: MockUpstream;
  steady: MockUpstream;
  /** `GATEWAY_PROVIDERS` and settings for a gateway using them (no retries, so a failure falls back at once). */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startMockProviders(): Promise<MockProviders> {
  const flaky = await startMockUpstream((_request, res) => sendJson(res, 500, { error: { message: 'flaky is down', type: 'server_error' } }));
  const steady = await startMockUpstream(async (request, res) => {
    const model = typeof request.json?.model === 'string' ? request.json.model : 'steady-model';
    if (request.json?.stream !== true) return sendJson(res, 200, chatCompletion(STEADY_PIECES.join(''), model));
    startSse(res);
    for (const piece of STEADY_PIECES) {
      res.write(`data: ${chunk(piece, null, model)}\n\n`);
      await sleep(40);
    }
    res.write(`data: ${chunk(null, 'stop', model)}\n\n`);
    res.write(`data: ${JSON.stringify({ id: 'chatcmpl-123', object: 'chat.completion.chunk', created: 1, model, choices: [], usage: { prompt_tokens: 7, completion_tokens: 4, total_tokens: 11 } })}\n\n`);
    res.end('data: [DONE]\n\n');
  });
  return {
    flaky,
    steady,
    env: { GATEWAY_PROVIDERS: `flaky=${flaky.origin}/v1,steady=${steady.origin}/v1`, GATEWAY_RETRIES: '0', DEFAULT_PROVIDER: 'steady' },
    close: async () => {
      await flaky.close();
      await steady.close();
    },
  };
}
