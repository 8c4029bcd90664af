/**
 * Where the state that instances can share lives: the cached answers, the rate limits'
 * buckets, the single-flight locks, the gateway keys and the circuit breakers' state. In
 * process by default (this instance only, as `npm start` on one machine needs), or in Redis
 * when `REDIS_URL` is set, so that every instance of a deployment (each Vercel or Netlify
 * function instance, each container) shares one cache, one count per key, one set of keys
 * and one view of which provider is down.
 *
 * Each concern has its own small interface, and a store is one implementation of each:
 * adding a concern (spend and budgets per key, say) is one more interface here, an
 * in-process class and a Redis class, not a change to the others.
 */
import type { CacheStore } from '../cache/cache-store.js';
import type { FlightLocks } from '../cache/flight-locks.js';
import type { CircuitSync } from '../chain/circuit-sync.js';
import type { KeyRecords } from '../keys/key-records.js';
import type { KeySource } from '../keys/key-source.js';
import type { LimitStore } from '../limits/limit-store.js';
import type { ResponseStore } from '../responses/response-store.js';
import type { SpendStore } from '../spend/spend-store.js';

/** `GET /health`'s `store`: in process, Redis answering, or Redis failing (the gateway serves on without it). */
export type StoreHealth = 'memory' | 'redis' | 'degraded';

/** One store's implementation of every shared concern. */
export interface StateStore {
  /** For the start-up summary: `in process (this instance only)`, or the Redis URL's host and database. */
  readonly description: string;
  health(): StoreHealth;
  readonly cache: CacheStore;
  readonly limits: LimitStore;
  /** Single flight across instances; only a shared store has it. */
  readonly flights?: FlightLocks;
  /** Gateway key records kept in the store; only a shared store has them. */
  readonly keys?: KeySource;
  /** The same records to change (`npm run keys`, the admin console); only a shared store has them, else the key file holds them. */
  readonly keyRecords?: KeyRecords;
  /** The circuit breakers' state, shared; only a shared store has it. */
  readonly circuits?: CircuitSync;
  /** Stored responses (`/v1/responses`), shared; only a shared store has them (else see `responses/open-response-store.ts`). */
  readonly responses?: ResponseStore;
  /** Spend per key, model, provider and UTC day, for `/v1/usage` and budgets. */
  readonly spend: SpendStore;
}

