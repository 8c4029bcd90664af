/**
 * Picks the state store for a configuration: Redis when `REDIS_URL` is set, else in process.
 */
import type { GatewayConfig } from '../config.js';
import type { Logger } from '../log/logger.js';
import { memoryStateStore } from './memory-state-store.js';
import { redisStateStore } from './redis/redis-state-store.js';
import type { StateStore } from './state-store.js';

/**
 * @param now the in-process cache's clock, in ms
 * @param signal ends the store's background work (a connection, timers) when it aborts
 */
export function openStateStore(
  config: Pick<GatewayConfig, 'redis' | 'auth' | 'timeoutMs' | 'cache' | 'responses'>,
  logger: Logger,
  now: () => number,
  signal?: AbortSignal,
): StateStore {
  if (config.redis) return redisStateStore(config.redis, config, logger, signal);
  return memoryStateStore(config.cache.maxBytes, now);
}
