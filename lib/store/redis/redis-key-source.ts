/**
 * The gateway key records in Redis as a key source of a running gateway: read when the
 * connection is made, read again at once when `npm run keys` announces a change (pub/sub),
 * and, as a backstop for a missed message, whenever the version moved (checked every
 * `POLL_MS`). Requests look keys up in this instance's copy and never wait on Redis; when
 * Redis cannot answer, the last good copy stays in force. Like the key file, a store that
 * suddenly holds no record at all (a Redis restarted without persistence) keeps the last good
 * keys and says so once: records are never deleted by `npm run keys`, only revoked.
 */
import type { Logger } from '../../log/logger.js';
import { KeyIndex, type KeyEntry, type KeySource } from '../../keys/key-source.js';
import { StoreUnavailableError } from '../store-unavailable.js';
import type { RedisConnection } from './redis-connection.js';
import { keyRecordNames, readKeySnapshot } from './redis-key-records.js';

/** How often the version is checked, in ms: the backstop behind the change messages. */
const POLL_MS = 2000;

/** The shared records, as this instance last read them. */
export class RedisKeySource implements KeySource {
  #index?: KeyIndex;
  #version?: string;
  #loading?: Promise<void>;
  #again = false;
  /** Ids of records already reported as unreadable, and whether an empty store was reported. */
  readonly #reported = new Set<string>();
  readonly #first: Promise<void>;

  /** @param signal stops the polling when it aborts */
  constructor(
    private readonly connection: RedisConnection,
    private readonly prefix: string,
    private readonly logger: Logger,
    signal?: AbortSignal,
  ) {
    connection.subscribe(keyRecordNames(prefix).channel, () => this.refresh());
    connection.onConnect(() => this.refresh());
    const poll = setInterval(() => this.#poll(), POLL_MS);
    poll.unref();
    signal?.addEventListener('abort', () => clearInterval(poll), { once: true });
    // The first read may wait for the connection to be made (a cold start), up to its bound.
    this.#first = this.#load(connection.settings.connectTimeoutMs);
  }

  get label(): string {
    return this.connection.label;
  }

  /** True until the records were read once: which keys exist is not known yet. */
  get pending(): boolean {
    return this.#index === undefined;
  }

  get size(): number {
    return this.#index?.size ?? 0;
  }

  get active(): number {
    return this.#index?.active ?? 0;
  }

  find(hashHex: string): KeyEntry | undefined {
    return this.#index?.find(hashHex);
  }

  /** Settles once the records were read, or a read failed: the first read, else a new one. Never rejects. */
  ready(): Promise<void> {
    if (this.#index !== undefined) return Promise.resolve();
    return this.#loading ?? this.#first.then(() => (this.#index === undefined ? this.#load() : undefined));
  }

  /** Reads the records again (after a change message, a reconnection or a moved version). */
  refresh(): void {
    if (this.#loading) this.#again = true;
    else void this.#load();
  }

  #load(waitMs?: number): Promise<void> {
    const loading = this.#read(waitMs).finally(() => {
      this.#loading = undefined;
      if (this.#again) {
        this.#again = false;
        this.refresh();
      }
    });
    this.#loading = loading;
    return loading;
  }

  async #read(waitMs?: number): Promise<void> {
    let snapshot;
    try {
      snapshot = await readKeySnapshot(this.connection, this.prefix, waitMs);
    } catch (error) {
      // The connection logs the store's state changes; the last good copy stays.
      if (!(error instanceof StoreUnavailableError)) this.logger.log('error', { msg: 'gateway keys not read from the shared store', store: this.label, error: String(error) });
      return;
    }
    for (const id of snapshot.invalid) {
      if (this.#reported.has(id)) continue;
      this.#reported.add(id);
      this.logger.log('warn', { msg: 'a gateway key record in the shared store cannot be read and is ignored', store: this.label, id });
    }
    this.#version = snapshot.version;
    if (snapshot.records.length === 0 && (this.#index?.size ?? 0) > 0) {
      if (!this.#reported.has('')) this.logger.log('warn', { msg: 'the shared store holds no gateway key record any more, keeping the last good keys', store: this.label });
      this.#reported.add('');
      return;
    }
    this.#reported.delete('');
    this.#index = new KeyIndex({ version: 1, keys: snapshot.records });
  }

  #poll(): void {
    if (this.#loading) return;
    this.connection
      .run((client) => client.get(keyRecordNames(this.prefix).version))
      .then((version) => {
        if ((version ?? '0') !== this.#version) this.refresh();
      })
      .catch(() => undefined);
  }
}
