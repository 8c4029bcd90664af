/**
 * A body over `GATEWAY_MAX_BODY_BYTES` is refused with a 413 that goes out before the
 * upload ends, without the gateway holding the body: its peak memory stays far below what
 * reading and parsing a 20 MB body costs it (140 MiB and more, measured). The
 * gateway runs in its own process (what `npm start` runs) so that its peak resident
 * memory (Linux `VmHWM`) is its own.
 */
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChildGateway, type ChildGateway } from '../helpers/child-gateway.js';
import { parseAnswer, type RawAnswer } from '../helpers/raw-http.js';

const BODY_BYTES = 20 * 1024 * 1024;
/** Generous, yet far below what reading and parsing one such body costs (140 MiB and more). */
const GROWTH_BOUND_MIB = 64;
const PIECE = Buffer.alloc(64 * 1024, 0x20);

let gateway: ChildGateway;

beforeAll(async () => {
  gateway = await startChildGateway();
  // Warm up the paths the measured requests take, so that their code is not what grows.
  for (let round = 0; round < 20; round += 1) {
    await fetch(`${gateway.origin}/v1/chat/completions`, { method: 'POST', body: '{"model":"m","messages":[]}' }).then((r) => r.text());
  }
}, 20_000);

afterAll(() => gateway.stop());

/**
 * Uploads a 20 MB body piece by piece, as curl does, stopping as soon as an answer
 * arrives. Resolves with the answer and how many body bytes had been sent by then.
 * @param chunked send it with chunked transfer-encoding instead of a declared length
 */
function upload(chunked: boolean): Promise<{ answer: RawAnswer; sentBeforeAnswer: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect(gateway.port, '127.0.0.1');
    let received = '';
    let sent = 0;
    let sentBeforeAnswer = -1;
    const framing = chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${BODY_BYTES}`;
    // A client on a network, not one that hands 20 MB to the kernel at once: it pauses 20 ms
    // after each MiB, so that on a busy machine the answer still has time to come back mid-upload.
    const writeMore = () => {
      while (sentBeforeAnswer === -1 && sent < BODY_BYTES && !socket.destroyed) {
        const piece = chunked ? Buffer.concat([Buffer.from(`${PIECE.length.toString(16)}\r\n`), PIECE, Buffer.from('\r\n')]) : PIECE;
        sent += PIECE.length;
        const flushed = socket.write(piece);
        if (sent % (1024 * 1024) === 0) {
          const resume = () => setTimeout(writeMore, 20);
          return void (flushed ? resume() : socket.once('drain', resume));
        }
        if (!flushed) return void socket.once('drain', writeMore);
      }
    };
    socket.on('connect', () => {
      socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${framing}\r\n\r\n`);
      writeMore();
    });
    socket.on('data', (chunk: Buffer) => {
      if (sentBeforeAnswer === -1) sentBeforeAnswer = sent;
      received += chunk.toString('latin1');
      const answer = parseAnswer(received);
      if (answer.body.length >= Number(answer.headers['content-length'])) {
        socket.destroy();
        resolve({ answer, sentBeforeAnswer });
      }
    });
    socket.on('error', reject);
  });
}

function expect413(answer: RawAnswer): void {
  expect(answer.status).toBe(413);
  expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'request_too_large', type: 'invalid_request_error', message: expect.stringMatching(/10485760 bytes/) } });
}

describe.skipIf(!existsSync('/proc/self/status'))('a 20 MB body', () => {
  let start: number;
  beforeAll(() => {
    start = gateway.peakMiB();
  });
  const growth = () => gateway.peakMiB() - start;

  it('with a declared length: a 413 before half of it is sent, and no memory growth to speak of', async () => {
    const { answer, sentBeforeAnswer } = await upload(false);
    expect413(answer);
    expect(sentBeforeAnswer).toBeLessThan(BODY_BYTES / 2);
    console.info(`declared 20 MB body, sent piece by piece: gateway peak RSS +${growth().toFixed(1)} MiB`);
    expect(growth()).toBeLessThan(8);
  });

  it('chunked: read up to the limit (10 MiB) only, then a 413', async () => {
    const { answer, sentBeforeAnswer } = await upload(true);
    expect413(answer);
    expect(sentBeforeAnswer).toBeLessThan(BODY_BYTES);
    console.info(`and a chunked one: gateway peak RSS +${growth().toFixed(1)} MiB`);
    expect(growth()).toBeLessThan(GROWTH_BOUND_MIB);
  });

  it('sent whole before reading (as fetch does): still a 413, the rest discarded, memory bounded', async () => {
    const body = Buffer.alloc(BODY_BYTES, 0x20);
    for (let round = 0; round < 3; round += 1) {
      const response = await fetch(`${gateway.origin}/v1/chat/completions`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      expect(response.status).toBe(413);
    }
    console.info(`and three sent whole: gateway peak RSS +${growth().toFixed(1)} MiB`);
    expect(growth()).toBeLessThan(GROWTH_BOUND_MIB);
    expect((await fetch(`${gateway.origin}/health`)).status).toBe(200);
  });
});
