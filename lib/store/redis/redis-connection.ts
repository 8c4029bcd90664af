/**
 * The gateway's one connection to Redis (`REDIS_URL`), made lazily on first use and kept for
 * the life of the instance: across requests on `npm start`, across invocations of a warm
 * Vercel or Netlify function (the app, and with it this connection, lives in module scope).
 * RESP3, so that pub/sub and commands share the one connection.
 *
 * Nothing a request does waits on Redis longer than `GATEWAY_REDIS_TIMEOUT_MS`: each command
 * is bounded by the client (`timeout` with `rejectInFlight`, so a command already sent is
 * bounded too), a request that finds the connection still being made waits at most that
 * long for it, and once a fault is seen (a timeout, a closed socket, a refused connection,
 * a handshake that never ends) the connection is dropped and every operation fails at once
 * with {@link StoreUnavailableError} while a fresh connection is tried in the background,
 * with exponential backoff and jitter. One log line when the store becomes unavailable,
 * one when it is back; none per request.
 *
 * @see https://github.com/redis/node-redis/blob/master/docs/client-configuration.md
 */
import { createHash } from 'node:crypto';
import { createClient, ErrorReply } from '@redis/client';
import type { RedisSettings } from '../../config.js';
import type { Logger } from '../../log/logger.js';
import { StoreUnavailableError } from '../store-unavailable.js';

/** The first wait before a new connection is tried after a fault, and the longest, in ms. */
const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 2000;

function newClient(settings: RedisSettings) {
  return createClient({
    url: settings.url,
    RESP: 3,
    // A command while disconnected fails at once instead of queueing until a reconnect.
    disableOfflineQueue: true,
    commandOptions: { timeout: settings.timeoutMs, rejectInFlight: true },
    // Reconnection is ours (below): a fresh client per attempt, bounded handshake included.
    socket: { connectTimeout: settings.connectTimeoutMs, reconnectStrategy: false },
    // A handshake of HELLO alone: managed services may refuse CLIENT SETINFO and maintenance notices.
    disableClientInfo: true,
    maintNotifications: 'disabled',
  });
}

/** A connected node-redis client (RESP3). */
export type RedisClient = ReturnType<typeof newClient>;

/** A Lua script and its SHA-1, for EVALSHA. */
export interface LuaScript {
  source: string;
  sha1: string;
}

/** Every script made with {@link luaScript}: each connection loads them all as it is made. */
const SCRIPTS = new Set<LuaScript>();

/** Prepares a script once, at start-up; every connection made from then on loads it. */
export function luaScript(source: string): LuaScript {
  const script = { source, sha1: createHash('sha1').update(source).digest('hex') };
  SCRIPTS.add(script);
  return script;
}

/**
 * Runs a script by its SHA-1: one round trip. The scripts are loaded when the connection is
 * made, so that two scripts sent in order run in order; only a server that lost them since
 * (`SCRIPT FLUSH`) gets the script's text again (EVAL).
 */
export async function runScript(client: RedisClient, script: LuaScript, keys: string[], args: string[]): Promise<unknown> {
  try {
    return await client.evalSha(script.sha1, { keys, arguments: args });
  } catch (error) {
    if (!(error instanceof ErrorReply && error.message.startsWith('NOSCRIPT'))) throw error;
    return client.eval(script.source, { keys, arguments: args });
  }
}

/** Resolves with `promise`, or rejects after `ms` (leaving the promise to settle on its own). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** The instance's connection to the shared store. */
export class RedisConnection {
  #client?: RedisClient;
  #connecting?: Promise<RedisClient>;
  /** True from a fault until a new connection is made: operations fail at once meanwhile. */
  #down = false;
  #downSince = 0;
  #retries = 0;
  #retryTimer?: NodeJS.Timeout;
  #closed = false;
  /** Server error replies already logged (by their first word), so each is logged once. */
  readonly #replyErrors = new Set<string>();
  readonly #channels = new Map<string, (message: string) => void>();
  readonly #connectListeners = new Set<() => void>();

  /** @param signal closes the connection when it aborts (the gateway's lifetime) */
  constructor(
    readonly settings: RedisSettings,
    private readonly logger: Logger,
    signal?: AbortSignal,
  ) {
    signal?.addEventListener('abort', () => this.close(), { once: true });
  }

  /** `redis://host:port/db`, never the credentials. */
  get label(): string {
    return this.settings.label;
  }

  /** Whether requests go on without the store right now (`GET /health`'s `degraded`). */
  get degraded(): boolean {
    return this.#down;
  }

  /**
   * Runs `operation` with the connected client, making the connection first when there is
   * none yet.
   * @param waitMs how long to wait for a connection still being made (default: the command timeout)
   * @throws StoreUnavailableError when the store cannot answer in time; never anything else
   *   from the store (an error reply included), so that every caller's fallback applies
   */
  async run<T>(operation: (client: RedisClient) => Promise<T>, waitMs = this.settings.timeoutMs): Promise<T> {
    const client = this.#client ?? (await this.#ready(waitMs));
    try {
      return await operation(client);
    } catch (error) {
      throw this.#fault(client, error);
    }
  }

  /**
   * Keeps `listener` subscribed to `channel` on every connection made from now on.
   * Messages sent while no connection was up are lost: use {@link onConnect} to catch up.
   */
  subscribe(channel: string, listener: (message: string) => void): void {
    this.#channels.set(channel, listener);
    const client = this.#client;
    if (client) client.subscribe(channel, listener).catch((error: unknown) => this.#fault(client, error));
  }

  /** Calls `listener` after each connection is made (the first one too). */
  onConnect(listener: () => void): void {
    this.#connectListeners.add(listener);
  }

  /** Starts making the connection now, without waiting for it. */
  warmUp(): void {
    if (!this.#client && !this.#connecting && !this.#down && !this.#closed) this.#connect().catch(() => undefined);
  }

  /** Drops the connection and stops trying; later operations fail. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    this.#client?.destroy();
    this.#client = undefined;
  }

  async #ready(waitMs: number): Promise<RedisClient> {
    if (this.#closed) throw new StoreUnavailableError(`${this.label} is closed`);
    if (this.#down) throw new StoreUnavailableError(`${this.label} is unavailable`);
    const connecting = this.#connecting ?? this.#connect();
    try {
      return await within(connecting, waitMs, 'connecting');
    } catch (error) {
      // A connection slower than a request may wait counts as a fault: the next requests go
      // on without waiting, until the attempt (still running) succeeds.
      if (connecting === this.#connecting) this.#markDown(error);
      throw new StoreUnavailableError(`${this.label} is unavailable: ${this.#describe(error)}`, { cause: error });
    }
  }

  #connect(): Promise<RedisClient> {
    const client = newClient(this.settings);
    client.on('error', (error: unknown) => this.#lost(client, error));
    const attempt = (async () => {
      try {
        await within(
          (async () => {
            await client.connect();
            await Promise.all([...SCRIPTS].map((script) => client.scriptLoad(script.source)));
            for (const [channel, listener] of this.#channels) await client.subscribe(channel, listener);
          })(),
          this.settings.connectTimeoutMs,
          'connecting',
        );
        return client;
      } catch (error) {
        client.destroy();
        throw error;
      }
    })();
    this.#connecting = attempt;
    attempt.then(
      () => {
        this.#connecting = undefined;
        if (this.#closed) {
          client.destroy();
          return;
        }
        this.#client = client;
        if (this.#down) {
          this.logger.log('info', { msg: 'shared store available again', store: this.label, down_ms: Math.round(performance.now() - this.#downSince) });
        }
        this.#down = false;
        this.#retries = 0;
        for (const listener of this.#connectListeners) listener();
      },
      (error: unknown) => {
        this.#connecting = undefined;
        this.#markDown(error);
      },
    );
    return attempt;
  }

  /** Turns a failed operation into the caller's error, dropping the connection when it is at fault. */
  #fault(client: RedisClient, error: unknown): StoreUnavailableError {
    if (error instanceof ErrorReply) {
      // The server answered (out of memory, read-only replica, no permission): the connection
      // is fine, the operation is not done. Logged once per kind.
      const kind = error.message.split(' ')[0];
      if (!this.#replyErrors.has(kind)) {
        this.#replyErrors.add(kind);
        this.logger.log('warn', { msg: 'shared store refused an operation; the request goes on without it', store: this.label, error: this.#describe(error) });
      }
    } else {
      this.#lost(client, error);
    }
    return new StoreUnavailableError(`${this.label}: ${this.#describe(error)}`, { cause: error });
  }

  #lost(client: RedisClient, error: unknown): void {
    if (client !== this.#client) return;
    this.#client = undefined;
    client.destroy();
    this.#markDown(error);
  }

  #markDown(error: unknown): void {
    if (this.#closed) return;
    if (!this.#down) {
      this.#down = true;
      this.#downSince = performance.now();
      this.logger.log('warn', {
        msg: 'shared store unavailable: cache bypassed, rate limits per GATEWAY_LIMITS_ON_STORE_ERROR, keys from the last good copy, circuit breaker in process; reconnecting',
        store: this.label,
        error: this.#describe(error),
      });
    }
    // An attempt still running schedules the next one if it fails.
    if (this.#retryTimer !== undefined || this.#connecting !== undefined) return;
    const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** this.#retries) * (0.5 + Math.random() / 2);
    this.#retries += 1;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (!this.#closed && this.#connecting === undefined) this.#connect().catch(() => undefined);
    }, delay);
    this.#retryTimer.unref();
  }

  /** An error's message with the URL (and so any password in it) replaced by the label. */
  #describe(error: unknown): string {
    const message = error instanceof Error ? error.message || error.name : String(error);
    return message.split(this.settings.url).join(this.label);
  }
}
