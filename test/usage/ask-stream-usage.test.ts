/**
 * The usage option the gateway asks for on a client's behalf: put into the client's own
 * bytes when its body has no `stream_options` (nothing else in them changes), serialized
 * again when it has some, and nothing when it is no chat or completions stream or the client
 * asked itself.
 */
import { describe, expect, it } from 'vitest';
import { askStreamUsage } from '../../lib/usage/ask-stream-usage.js';

const bytes = (text: string) => Buffer.from(text);
const parse = (raw: Uint8Array) => JSON.parse(Buffer.from(raw).toString('utf8')) as Record<string, unknown>;

describe('askStreamUsage', () => {
  it('puts the option first in the client’s own bytes, whatever their spacing, keeping the rest byte for byte', () => {
    const text = ' \n{ "model" : "gpt-4o-mini",\n  "stream": true, "messages": [{"role":"user","content":"caf\\u00e9 \\"x\\""}] }';
    const body = JSON.parse(text) as Record<string, unknown>;
    const asked = askStreamUsage('chat', true, body, bytes(text))!;
    const sent = Buffer.from(asked.rawBody).toString('utf8');
    expect(sent).toBe(` \n{"stream_options":{"include_usage":true}, "model" : "gpt-4o-mini",\n  "stream": true, "messages": [{"role":"user","content":"caf\\u00e9 \\"x\\""}] }`);
    expect(parse(asked.rawBody)).toEqual({ ...body, stream_options: { include_usage: true } });
    expect(asked.body).toEqual({ ...body, stream_options: { include_usage: true } });
    expect(parse(askStreamUsage('completions', true, {}, bytes('{ }'))!.rawBody)).toEqual({ stream_options: { include_usage: true } });
  });

  it('serializes the body again when it has stream_options of its own, or its bytes do not start with an object', () => {
    const body = { model: 'm', stream: true, stream_options: { include_usage: false, chunk_size: 2 } };
    const asked = askStreamUsage('chat', true, body, bytes(JSON.stringify(body)))!;
    expect(parse(asked.rawBody)).toEqual({ model: 'm', stream: true, stream_options: { include_usage: true, chunk_size: 2 } });
    const withNull = askStreamUsage('chat', true, { model: 'm', stream_options: null }, bytes('{"model":"m","stream_options":null}'))!;
    expect(parse(withNull.rawBody)).toEqual({ model: 'm', stream_options: { include_usage: true } });
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes('{"model":"m"}')]);
    expect(parse(askStreamUsage('chat', true, { model: 'm' }, bom)!.rawBody)).toEqual({ model: 'm', stream_options: { include_usage: true } });
  });

  it('asks nothing for a plain request, another operation, or a client that asked', () => {
    expect(askStreamUsage('chat', false, { model: 'm' }, bytes('{"model":"m"}'))).toBeUndefined();
    expect(askStreamUsage('responses', true, { model: 'm' }, bytes('{"model":"m"}'))).toBeUndefined();
    expect(askStreamUsage('chat', true, { stream_options: { include_usage: true } })).toBeUndefined();
  });
});
