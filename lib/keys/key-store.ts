/**
 * The running gateway's view of the key store: loaded once at start-up, then reloaded
 * whenever the file changes (polled with `fs.watchFile` every 500 ms, so a created or
 * revoked key counts within a second, and no request ever touches the disk). A store
 * that becomes unreadable, invalid or absent keeps the last good keys and logs a
 * warning: a broken edit must not open the gateway.
 */
import { timingSafeEqual } from 'node:crypto';
import { unwatchFile, watchFile } from 'node:fs';
import { ConfigError, type GatewayConfig } from '../config.js';
import type { Logger } from '../log/logger.js';
import { readKeyFile, readKeyFileSync } from './key-file.js';
import type { KeyFile } from './key-record.js';
import { hashKey } from './key-secret.js';
import { compileGrant, type Grant } from './grant.js';

/** How often the file is polled for changes, in ms. */
const POLL_INTERVAL_MS = 500;

interface Entry {
  digest: Buffer;
  grant: Grant;
  revoked: boolean;
}

/** What a presented key turned out to be. */
export interface KeyLookup {
  grant: Grant;
  revoked: boolean;
}

/** The loaded keys, swapped whole on each reload. */
export class KeyStore {
  #byHash = new Map<string, Entry>();
  #hasRecords = false;
  #reloading: Promise<void> = Promise.resolve();

  /**
   * Loads `path` now and watches it until `signal` aborts.
   * @param forced true for `GATEWAY_AUTH=keys`: keys are required even while the store is empty
   * @throws Error when the file exists but is not a valid store
   */
  constructor(
    readonly path: string,
    private readonly forced: boolean,
    private readonly logger: Logger,
    signal?: AbortSignal,
  ) {
    this.#use(readKeyFileSync(path));
    const onChange = () => {
      this.#reloading = this.#reloading.then(() => this.reload());
    };
    watchFile(path, { interval: POLL_INTERVAL_MS, persistent: false }, onChange);
    signal?.addEventListener('abort', () => unwatchFile(path, onChange), { once: true });
  }

  /** Whether requests need a gateway key: forced on, or the store holds any record, revoked or not. */
  get enabled(): boolean {
    return this.forced || this.#hasRecords;
  }

  /**
   * Looks a presented key up by its SHA-256. The map lookup compares digests, which say
   * nothing usable about the key; the final comparison is constant-time all the same.
   */
  authenticate(presented: string): KeyLookup | undefined {
    const digest = hashKey(presented);
    const entry = this.#byHash.get(digest.toString('hex'));
    if (entry === undefined || !timingSafeEqual(entry.digest, digest)) return undefined;
    return { grant: entry.grant, revoked: entry.revoked };
  }

  /** Reads the file again; keeps the current keys (and warns) when it cannot be used. */
  async reload(): Promise<void> {
    let file: KeyFile;
    try {
      file = await readKeyFile(this.path);
    } catch (error) {
      this.logger.log('warn', { msg: 'key store not reloaded, keeping the last good keys', file: this.path, error: (error as Error).message });
      return;
    }
    if (file.keys.length === 0 && this.#hasRecords) {
      this.logger.log('warn', { msg: 'key store is gone or empty, keeping the last good keys', file: this.path });
      return;
    }
    this.#use(file);
  }

  #use(file: KeyFile): void {
    const byHash = new Map<string, Entry>();
    for (const record of file.keys) {
      byHash.set(record.hash, { digest: Buffer.from(record.hash, 'hex'), grant: compileGrant(record), revoked: record.revoked_at !== undefined });
    }
    this.#byHash = byHash;
    this.#hasRecords = file.keys.length > 0;
  }
}

/**
 * The store for a configuration: none with `GATEWAY_AUTH=off`.
 * @throws ConfigError when `GATEWAY_KEYS_FILE` exists but cannot be used
 */
export function openKeyStore(config: Pick<GatewayConfig, 'auth' | 'keysFile'>, logger: Logger, signal?: AbortSignal): KeyStore | undefined {
  if (config.auth === 'off') return undefined;
  try {
    return new KeyStore(config.keysFile, config.auth === 'keys', logger, signal);
  } catch (error) {
    throw new ConfigError(`GATEWAY_KEYS_FILE: ${config.keysFile} is not a usable key store: ${(error as Error).message}`);
  }
}
