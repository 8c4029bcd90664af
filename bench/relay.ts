/**
 * `npm run bench:relay`: the stream relay's own cost, in process (no sockets): the bench's
 * 100-chunk stream (about 20 KB) through both client-chunk paths, as one upstream read or
 * as BENCH_READS reads (default 20). `events` decodes, encodes and inspects every event
 * (the path of translated providers); `frames` passes events on as bytes (the path of a
 * provider that speaks the client's format); `relay` is the frames path behind the client's
 * web stream (`relayStream`), read to its end as the Node adapter reads it; `bare web
 * stream` is the same reads through a plain `ReadableStream`, for scale. Prints µs per
 * stream, best of 3 rounds, then the time to frame one large event that arrives in 4 KiB
 * reads.
 */
import { eventChunks, frameChunks } from '../lib/chain/client-chunks.js';
import { relayStream } from '../lib/chain/relay-stream.js';
import { openAIStreamFormat } from '../lib/formats/openai-stream.js';
import type { StreamState } from '../lib/formats/stream-format.js';
import { decodeSse } from '../lib/sse/decode-sse.js';
import { frameSse } from '../lib/sse/frame-sse.js';
import { STREAM_EVENTS } from './fake-stream.js';

const STREAMS = 3000;
const bytes = Buffer.from(STREAM_EVENTS.join(''));

async function* reads(count: number): AsyncGenerator<Uint8Array> {
  const step = Math.ceil(bytes.byteLength / count);
  for (let start = 0; start < bytes.byteLength; start += step) yield bytes.subarray(start, start + step);
}

type Path = 'events' | 'frames' | 'relay' | 'bare web stream';

/** Reads `stream` to its end, one `read()` at a time, as `@hono/node-server` does. */
async function drain(stream: ReadableStream<Uint8Array>): Promise<void> {
  const reader = stream.getReader();
  while (!(await reader.read()).done);
}

async function relayOnce(path: Path, count: number): Promise<void> {
  if (path === 'bare web stream') {
    const upstream = reads(count);
    await drain(
      new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await upstream.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        },
      }),
    );
    return;
  }
  const context = { format: openAIStreamFormat, state: { finished: false } as StreamState };
  const chunks = path === 'events' ? eventChunks(decodeSse(reads(count)), context) : frameChunks(frameSse(reads(count)), context);
  if (path === 'relay') {
    const first = await chunks.next();
    const noop = () => {};
    await drain(relayStream({ first: first.value ?? new Uint8Array(0), chunks, format: openAIStreamFormat, state: context.state, provider: 'bench', idleTimeoutMs: 60_000, abort: noop }));
  } else {
    for await (const _ of chunks);
  }
  if (!context.state.finished) throw new Error(`the ${path} path did not see the stream's end`);
}

/** µs to frame one event of `size` bytes that arrives in 4 KiB reads (linear, not quadratic). */
async function largeEvent(size: number): Promise<number> {
  const event = Buffer.from(`data: ${'x'.repeat(size)}\n\n`);
  async function* drip(): AsyncGenerator<Uint8Array> {
    for (let start = 0; start < event.byteLength; start += 4096) yield event.subarray(start, start + 4096);
  }
  const started = performance.now();
  for await (const _ of frameSse(drip()));
  return (performance.now() - started) * 1000;
}

async function main(): Promise<void> {
  for (const count of [1, Number(process.env.BENCH_READS ?? 20)]) {
    for (const path of ['events', 'frames', 'relay', 'bare web stream'] as const) {
      let best = Number.POSITIVE_INFINITY;
      for (let round = 0; round < 3; round += 1) {
        const started = performance.now();
        for (let index = 0; index < STREAMS; index += 1) await relayOnce(path, count);
        best = Math.min(best, ((performance.now() - started) * 1000) / STREAMS);
      }
      console.log(`${path} path, ${count} read(s) per stream: ${best.toFixed(1)} µs per stream`);
    }
  }
  for (const mib of [1, 8]) {
    console.log(`one ${mib} MiB event in 4 KiB reads: ${((await largeEvent(mib * 1024 * 1024)) / 1000).toFixed(1)} ms to frame`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
