/**
 * Redis for the tests: a real `redis-server` started per test file on a free loopback port
 * (see `bench/redis-server.ts`), and connections to it as the gateway makes them. On a
 * machine without `redis-server`, every suite that needs it fails with a message saying
 * what to install; the other suites still run.
 */
import type { RedisSettings } from '../../lib/config.js';
import { createLogger, type Logger } from '../../lib/log/logger.js';
import { RedisConnection } from '../../lib/store/redis/redis-connection.js';
import { startRedisServer, type RedisServer, type RedisServerOptions } from '../../bench/redis-server.js';

export { startRedisServer, type RedisServer };

/**
 * Settings for a connection to `url`. The command timeout is generous: tests of what the
 * store does must not turn into tests of a busy machine's scheduling (the fault tests set
 * their own).
 */
export function redisSettings(url: string, overrides: Partial<RedisSettings> = {}): RedisSettings {
  const { host, pathname } = new URL(url);
  return { url, label: `redis://${host}/${pathname.slice(1) || '0'}`, timeoutMs: 2000, connectTimeoutMs: 2000, ...overrides };
}

/** A connection as the gateway makes one, logging nowhere unless given a logger. */
export function connectRedis(url: string, overrides: Partial<RedisSettings> = {}, logger: Logger = createLogger('silent')): RedisConnection {
  return new RedisConnection(redisSettings(url, overrides), logger);
}

/** Starts a server; a rejection names what to install when `redis-server` is missing. */
export function redisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  return startRedisServer(options);
}

/**
 * How many clients are connected to the server at `url`, not counting the one that asks:
 * the gateway's connections, once every other test connection is closed.
 */
export async function redisClients(url: string): Promise<number> {
  const probe = connectRedis(url);
  try {
    const list = await probe.run((client) => client.clientList());
    return list.length - 1;
  } finally {
    probe.close();
  }
}
