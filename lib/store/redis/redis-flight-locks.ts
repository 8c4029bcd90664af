/**
 * Single-flight locks in Redis (`cache/flight-locks.ts`): `SET <prefix>flight:<key> <token>
 * NX PX <ttl>`, kept alive by the holder every third of its expiry while its call runs and
 * released by a script that deletes it only when it still holds the holder's token, then
 * publishes the key on `<prefix>flights`. Waiters are woken by that message; a holder that
 * dies leaves a lock that expires within `LOCK_TTL_MS`.
 *
 * @see https://redis.io/docs/latest/commands/set/ (the single-instance lock pattern)
 */
import { randomUUID } from 'node:crypto';
import type { FlightLease, FlightLocks } from '../../cache/flight-locks.js';
import { luaScript, runScript, type RedisConnection } from './redis-connection.js';

/** How long a lock outlives a holder that stopped renewing it, in ms. */
export const LOCK_TTL_MS = 5000;

const RELEASE = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], ARGV[3])
  return 1
end
return 0
`);

const RENEW = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`);

/** The locks, and this instance's waiters on them. */
export class RedisFlightLocks implements FlightLocks {
  readonly #waiters = new Map<string, Set<() => void>>();
  readonly #channel: string;

  constructor(
    private readonly connection: RedisConnection,
    private readonly prefix: string,
  ) {
    this.#channel = `${prefix}flights`;
    connection.subscribe(this.#channel, (key) => this.#wake(key));
  }

  async acquire(key: string): Promise<FlightLease | undefined> {
    const name = `${this.prefix}flight:${key}`;
    const token = randomUUID();
    const taken = await this.connection.run((client) => client.set(name, token, { condition: 'NX', expiration: { type: 'PX', value: LOCK_TTL_MS } }));
    if (taken === null) return undefined;
    const renew = setInterval(() => {
      this.connection.run((client) => runScript(client, RENEW, [name], [token, String(LOCK_TTL_MS)])).catch(() => undefined);
    }, LOCK_TTL_MS / 3);
    renew.unref();
    return {
      release: async () => {
        clearInterval(renew);
        // When the store cannot answer, the lock expires by itself and waiters make their own calls.
        await this.connection.run((client) => runScript(client, RELEASE, [name], [token, this.#channel, key])).catch(() => undefined);
      },
    };
  }

  released(key: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(key) ?? new Set<() => void>();
      this.#waiters.set(key, waiters);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(done);
        if (waiters.size === 0 && this.#waiters.get(key) === waiters) this.#waiters.delete(key);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      waiters.add(done);
    });
  }

  #wake(key: string): void {
    for (const done of [...(this.#waiters.get(key) ?? [])]) done();
  }
}
