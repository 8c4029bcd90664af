/**
 * Stored responses in Redis, for a deployment of many instances: each response one JSON value
 * (`<prefix>resp:<id>`) that Redis expires after `GATEWAY_RESPONSES_TTL`, and each tenant's ids
 * in a sorted set by the time they were stored (`<prefix>resp-tenant:<tenant hash>`), so that a
 * list is one range read. A response is readable by every instance the moment `put` returns.
 */
import { createHash } from 'node:crypto';
import type { ResponsePage, ResponseRecord, ResponseStore } from '../../responses/response-store.js';
import type { RedisConnection } from './redis-connection.js';

const tenantHash = (tenant: string) => createHash('sha256').update(tenant).digest('hex').slice(0, 32);

/** The store, over the instance's one connection. */
export class RedisResponseStore implements ResponseStore {
  readonly kind = 'redis' as const;
  readonly description: string;

  /** @param ttlMs how long a response lives, in ms */
  constructor(
    private readonly connection: RedisConnection,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {
    this.description = `Redis at ${connection.label}, shared by every instance`;
  }

  #record = (id: string) => `${this.prefix}resp:${id}`;
  #index = (tenant: string) => `${this.prefix}resp-tenant:${tenantHash(tenant)}`;

  async put(record: ResponseRecord): Promise<void> {
    const index = this.#index(record.tenant);
    await this.connection.run((client) =>
      client
        .multi()
        .set(this.#record(record.id), JSON.stringify(record), { expiration: { type: 'PX', value: this.ttlMs } })
        .zAdd(index, { score: record.stored_at, value: record.id })
        // The index outlives its newest response by no more than the responses do.
        .pExpire(index, this.ttlMs)
        .exec(),
    );
  }

  async get(tenant: string, id: string): Promise<ResponseRecord | undefined> {
    const value = await this.connection.run((client) => client.get(this.#record(id)));
    if (value === null) return undefined;
    const record = JSON.parse(value) as ResponseRecord;
    return record.tenant === tenant ? record : undefined;
  }

  async delete(tenant: string, id: string): Promise<boolean> {
    if ((await this.get(tenant, id)) === undefined) return false;
    await this.connection.run((client) => client.multi().del(this.#record(id)).zRem(this.#index(tenant), id).exec());
    return true;
  }

  async list(tenant: string, { limit, after }: { limit: number; after?: string }): Promise<ResponsePage> {
    const index = this.#index(tenant);
    let start = 0;
    if (after !== undefined) {
      const rank = await this.connection.run((client) => client.zRevRank(index, after));
      // A cursor that is gone ends the listing rather than restarting it.
      if (rank === null) return { data: [], has_more: false };
      start = rank + 1;
    }
    // One more than asked, to know whether there is more.
    const ids = await this.connection.run((client) => client.zRange(index, start, start + limit, { REV: true }));
    const page = ids.slice(0, limit);
    const values = page.length === 0 ? [] : await this.connection.run((client) => client.mGet(page.map((id) => this.#record(id))));
    const data: ResponseRecord[] = [];
    const expired: string[] = [];
    values.forEach((value, index) => {
      if (value === null) expired.push(page[index]);
      else data.push(JSON.parse(value) as ResponseRecord);
    });
    if (expired.length > 0) await this.connection.run((client) => client.zRem(index, expired)).catch(() => undefined);
    return { data, has_more: ids.length > limit };
  }
}
