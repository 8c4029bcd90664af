/**
 * The SSE decoder on bytes split at awkward points: every split of a stream must yield
 * the same events.
 */
import { describe, expect, it } from 'vitest';
import { decodeSse } from '../../lib/sse/decode-sse.js';
import { encodeSse } from '../../lib/sse/encode-sse.js';
import { decodeNdjson } from '../../lib/sse/decode-ndjson.js';

/** Flattens the batches a decoder yields. */
async function collect<T>(iterable: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const batch of iterable) out.push(...batch);
  return out;
}

async function* pieces(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    yield bytes.subarray(start, cut);
    start = cut;
  }
}

const STREAM = ': ping\r\n\r\nevent: message_start\r\ndata: {"a":"é€😀"}\r\n\r\nid: 7\ndata: line one\ndata: line two\n\ndata: {"b":2}\r\rdata: [DONE]';
const EXPECTED = [
  { event: 'message_start', data: '{"a":"é€😀"}' },
  { id: '7', data: 'line one\nline two' },
  { data: '{"b":2}' },
  { data: '[DONE]' },
];

describe('decodeSse', () => {
  const bytes = new TextEncoder().encode(STREAM);

  it('decodes CRLF, CR and LF line ends, comments, fields, multi-line data and an unterminated last event', async () => {
    expect(await collect(decodeSse(pieces(bytes, [])))).toEqual(EXPECTED);
  });

  it('gives the same events for every single split point, UTF-8 characters cut in half included', async () => {
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await collect(decodeSse(pieces(bytes, [cut])))).toEqual(EXPECTED);
    }
  });

  it('gives the same events when fed one byte at a time', async () => {
    const cuts = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
    expect(await collect(decodeSse(pieces(bytes, cuts)))).toEqual(EXPECTED);
  });

  it('yields each event as soon as its blank line arrives', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    async function* source() {
      yield new TextEncoder().encode('data: first\n\n');
      await held;
      yield new TextEncoder().encode('data: second\n\n');
    }
    const iterator = decodeSse(source());
    expect((await iterator.next()).value).toEqual([{ data: 'first' }]);
    release();
    expect((await iterator.next()).value).toEqual([{ data: 'second' }]);
  });

  it('hands the events of one read over together', async () => {
    const batches: unknown[] = [];
    for await (const batch of decodeSse(pieces(new TextEncoder().encode('data: a\n\ndata: b\n\ndata: "c"'), []))) batches.push(batch);
    expect(batches).toEqual([[{ data: 'a' }, { data: 'b' }], [{ data: '"c"' }]]);
  });

  it('drops a last line the upstream cut in half, whatever the split', async () => {
    const bytes = new TextEncoder().encode('data: a\n\ndata: {"b":"cut');
    for (let cut = 1; cut < bytes.length; cut++) expect(await collect(decodeSse(pieces(bytes, [cut])))).toEqual([{ data: 'a' }]);
  });
});

describe('encodeSse', () => {
  it('round-trips through the decoder, multi-line data included', async () => {
    const text = EXPECTED.map(encodeSse).join('');
    expect(text.startsWith('event: message_start\ndata: {"a":"é€😀"}\n\n')).toBe(true);
    expect(await collect(decodeSse(pieces(new TextEncoder().encode(text), [])))).toEqual(EXPECTED);
  });
});

describe('decodeNdjson', () => {
  it('yields one event per line, across splits, with a last line lacking its newline', async () => {
    const bytes = new TextEncoder().encode('{"a":"é"}\r\n\n{"b":2}\n{"c":3}');
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await collect(decodeNdjson(pieces(bytes, [cut])))).toEqual([{ data: '{"a":"é"}' }, { data: '{"b":2}' }, { data: '{"c":3}' }]);
    }
  });
});

describe('decodeSse, the rest of the WHATWG rules', () => {
  const decode = async (text: string) => collect(decodeSse(pieces(new TextEncoder().encode(text), [])));

  it('reads a field without the space after its colon, ignores retry, unknown fields and a line without a colon', async () => {
    expect(await decode('data:tight\nretry: 3000\nfoo: bar\nlonely\n\n')).toEqual([{ data: 'tight' }]);
  });

  it('keeps a second space as part of the value and an empty data line as an empty line of data', async () => {
    expect(await decode('data:  two\ndata\ndata: end\n\n')).toEqual([{ data: ' two\n\nend' }]);
  });

  it('dispatches nothing for an event whose only field is event:, or for a comment alone', async () => {
    expect(await decode('event: ping\n\n: keep-alive\n\ndata: real\n\n')).toEqual([{ data: 'real' }]);
  });

  it('strips a leading byte order mark', async () => {
    expect(await decode('\uFEFFdata: first\n\n')).toEqual([{ data: 'first' }]);
  });

  it('yields several events that arrive in one read, in order', async () => {
    expect(await decode('data: 1\n\ndata: 2\n\nevent: e\ndata: 3\n\n')).toEqual([{ data: '1' }, { data: '2' }, { event: 'e', data: '3' }]);
  });
});

describe('decodeNdjson, more cases', () => {
  it('skips whitespace-only lines and keeps a multi-byte character cut across reads', async () => {
    const bytes = new TextEncoder().encode('{"t":"说明"}\n   \n\r\n{"t":"😀"}');
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await collect(decodeNdjson(pieces(bytes, [cut])))).toEqual([{ data: '{"t":"说明"}' }, { data: '{"t":"😀"}' }]);
    }
  });

  it('yields each line as soon as its newline arrives', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    async function* source() {
      yield new TextEncoder().encode('{"a":1}\n{"b"');
      await held;
      yield new TextEncoder().encode(':2}\n');
    }
    const iterator = decodeNdjson(source());
    expect((await iterator.next()).value).toEqual([{ data: '{"a":1}' }]);
    release();
    expect((await iterator.next()).value).toEqual([{ data: '{"b":2}' }]);
  });
});
