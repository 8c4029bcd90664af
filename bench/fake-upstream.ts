/**
 * The benchmark's fake OpenAI-compatible upstream, run in its own process: an instant
 * small chat completion, or with `"stream":true` a 100-chunk stream written without
 * delay (`fake-answers.ts`). Prints `PORT <n>` on stdout once listening on 127.0.0.1.
 */
import { createServer } from 'node:http';
import { answerFake } from './fake-answers.js';

const server = createServer(answerFake);
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`PORT ${typeof address === 'object' && address ? address.port : 0}\n`);
});
