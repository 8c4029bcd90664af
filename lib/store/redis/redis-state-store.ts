/**
 * The shared state store: every concern in one Redis, over the instance's one connection.
 * Every key the gateway writes starts with `gateway:`, so a Redis can hold other data too;
 * two deployments that must not share state use two databases (`REDIS_URL=…/1`).
 */
import type { GatewayConfig, RedisSettings } from '../../config.js';
import type { Logger } from '../../log/logger.js';
import type { StateStore } from '../state-store.js';
import { RedisCacheStore } from './redis-cache-store.js';
import { RedisCircuitSync } from './redis-circuit-sync.js';
import { RedisConnection } from './redis-connection.js';
import { RedisFlightLocks } from './redis-flight-locks.js';
import { redisKeyRecords } from './redis-key-records.js';
import { RedisKeySource } from './redis-key-source.js';
import { RedisLimitStore } from './redis-limit-store.js';
import { RedisResponseStore } from './redis-response-store.js';
import { RedisSpendStore } from './redis-spend-store.js';

/** What every key of the gateway's starts with in Redis. */
export const REDIS_PREFIX = 'gateway:';

/**
 * Opens the store; the connection itself is made on first use.
 * @param signal closes the connection and stops the background reads when it aborts
 */
export function redisStateStore(
  redis: RedisSettings,
  config: Pick<GatewayConfig, 'auth' | 'timeoutMs' | 'responses'>,
  logger: Logger,
  signal?: AbortSignal,
): StateStore & { connection: RedisConnection } {
  const connection = new RedisConnection(redis, logger, signal);
  return {
    connection,
    description: `Redis at ${connection.label}, shared by every instance`,
    health: () => (connection.degraded ? 'degraded' : 'redis'),
    cache: new RedisCacheStore(connection, REDIS_PREFIX),
    limits: new RedisLimitStore(connection, REDIS_PREFIX),
    flights: new RedisFlightLocks(connection, REDIS_PREFIX),
    // With GATEWAY_AUTH=off no key is read, and so none is loaded.
    keys: config.auth === 'off' ? undefined : new RedisKeySource(connection, REDIS_PREFIX, logger, signal),
    keyRecords: redisKeyRecords(connection, REDIS_PREFIX),
    // A trial whose instance died frees the fleet's trial after one attempt's bound.
    circuits: new RedisCircuitSync(connection, REDIS_PREFIX, config.timeoutMs),
    spend: new RedisSpendStore(connection, REDIS_PREFIX),
    responses: new RedisResponseStore(connection, REDIS_PREFIX, config.responses.ttlSeconds * 1000),
  };
}
