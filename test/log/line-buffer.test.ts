/**
 * Log lines are batched per turn of the event loop, wait for a sink that pushes back,
 * and are dropped (and counted) rather than piling up without bound.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { LineBuffer } from '../../lib/log/line-buffer.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** A sink like a full pipe: `write` says false until `drain` is emitted. */
class SlowSink extends EventEmitter {
  chunks: string[] = [];
  full = false;
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return !this.full;
  }
}

describe('LineBuffer', () => {
  it('writes the lines of one turn in one write, after the turn', async () => {
    const sink = new SlowSink();
    const buffer = new LineBuffer(sink);
    buffer.push('{"a":1}');
    buffer.push('{"a":2}');
    expect(sink.chunks).toEqual([]);
    await nextTurn();
    expect(sink.chunks).toEqual(['{"a":1}\n{"a":2}\n']);
  });

  it('waits for drain when the sink pushes back, then writes what piled up', async () => {
    const sink = new SlowSink();
    sink.full = true;
    const buffer = new LineBuffer(sink);
    buffer.push('1');
    await nextTurn();
    buffer.push('2');
    buffer.push('3');
    await nextTurn();
    expect(sink.chunks).toEqual(['1\n']);
    sink.full = false;
    sink.emit('drain');
    expect(sink.chunks).toEqual(['1\n', '2\n3\n']);
  });

  it('drops lines past its bound while the sink is stuck, and says how many', async () => {
    const sink = new SlowSink();
    sink.full = true;
    const buffer = new LineBuffer(sink);
    buffer.push('first');
    await nextTurn();
    for (let index = 0; index < 10_005; index += 1) buffer.push(String(index));
    sink.full = false;
    sink.emit('drain');
    const lines = sink.chunks[1].trimEnd().split('\n');
    expect(lines).toHaveLength(10_001);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ level: 'warn', dropped: 5 });
  });

  it('with a delay, writes a batch once it is that old, or after the turn in which it reached its byte bound', async () => {
    const sink = new SlowSink();
    const buffer = new LineBuffer(sink, { delayMs: 30, maxBytes: 20 });
    buffer.push('one');
    buffer.push('two');
    await nextTurn();
    expect(sink.chunks).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(sink.chunks).toEqual(['one\ntwo\n']);
    buffer.push('a'.repeat(12));
    buffer.push('b'.repeat(12));
    // Full: out after this turn (after the answers it holds lines of), not 30 ms later.
    expect(sink.chunks).toHaveLength(1);
    await nextTurn();
    expect(sink.chunks).toEqual(['one\ntwo\n', `${'a'.repeat(12)}\n${'b'.repeat(12)}\n`]);
    buffer.push('last');
    buffer.flush();
    expect(sink.chunks.at(-1)).toBe('last\n');
  });
});
