/**
 * Cached answers in Redis, each under `<prefix>cache:<key>` with its expiry set by Redis
 * (`PX`): one value holding a header line of JSON (status, content type, provider, when it
 * was stored) and the body's bytes, so that a hit is one GET.
 */
import { RESP_TYPES } from '@redis/client';
import type { CachedAnswer, CacheStore } from '../../cache/cache-store.js';
import type { RedisClient, RedisConnection } from './redis-connection.js';

/** Each client's view that reads strings as bytes, made once per connection. */
const byteViews = new WeakMap<RedisClient, ReturnType<typeof bytesOf>>();
const bytesOf = (client: RedisClient) => client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });

function bytes(client: RedisClient) {
  let view = byteViews.get(client);
  if (view === undefined) {
    view = bytesOf(client);
    byteViews.set(client, view);
  }
  return view;
}

const NEWLINE = 0x0a;

interface Header {
  status: number;
  contentType: string;
  provider: string;
  storedAt: number;
}

/** One answer as one value: a line of JSON, then the body. */
function encode(answer: CachedAnswer): Buffer {
  const header: Header = { status: answer.status, contentType: answer.contentType, provider: answer.provider, storedAt: answer.storedAt };
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), answer.body]);
}

/** The answer in a value; undefined for one this version cannot read (it is then a miss). */
function decode(value: Buffer): CachedAnswer | undefined {
  const end = value.indexOf(NEWLINE);
  if (end === -1) return undefined;
  try {
    const header = JSON.parse(value.subarray(0, end).toString('utf8')) as Header;
    return { ...header, body: new Uint8Array(value.buffer, value.byteOffset + end + 1, value.byteLength - end - 1) };
  } catch {
    return undefined;
  }
}

/** The shared cache store. */
export class RedisCacheStore implements CacheStore {
  constructor(
    private readonly connection: RedisConnection,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<CachedAnswer | undefined> {
    const value = await this.connection.run((client) => bytes(client).get(`${this.prefix}cache:${key}`));
    return value === null ? undefined : decode(value);
  }

  async set(key: string, answer: CachedAnswer, ttlMs: number): Promise<void> {
    if (ttlMs <= 0) return;
    await this.connection.run((client) => client.set(`${this.prefix}cache:${key}`, encode(answer), { expiration: { type: 'PX', value: Math.ceil(ttlMs) } }));
  }

  async delete(key: string): Promise<void> {
    await this.connection.run((client) => client.del(`${this.prefix}cache:${key}`));
  }
}
