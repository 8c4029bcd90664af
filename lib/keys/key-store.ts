/**
 * The running gateway's gateway keys: the master key (`GATEWAY_MASTER_KEY`) and the records
 * of every key source (the key file, the shared store when `REDIS_URL` is set,
 * `GATEWAY_KEYS`), asked together. A key revoked in any source is revoked: revoking in the
 * file works for a key that `GATEWAY_KEYS` still lists.
 *
 * A shared store that could not be read since start-up does not switch gateway keys on by
 * itself (a Redis fault must not refuse every request): until it is read, a gateway key no
 * other source knows is answered with a 503 (it may exist there), never let through.
 */
import { timingSafeEqual } from 'node:crypto';
import { ConfigError, type GatewayConfig } from '../config.js';
import type { Logger } from '../log/logger.js';
import { FileKeySource } from './file-key-source.js';
import { masterGrant, type Grant } from './grant.js';
import { staticKeySource, type KeyEntry, type KeySource } from './key-source.js';
import { hashKey } from './key-secret.js';

/** What a presented key turned out to be. */
export interface KeyLookup {
  grant: Grant;
  revoked: boolean;
}

/** A key no source knows while a shared source was never read: it may exist there. */
export const KEY_UNKNOWN_YET = 'unknown-yet';

/** The gateway keys, from every source. */
export class KeyStore {
  readonly #masterDigest?: Buffer;

  /**
   * @param sources asked in order; the first active record found is the grant
   * @param forced true for `GATEWAY_AUTH=keys`: keys are required even with no credential configured
   * @param masterKey `GATEWAY_MASTER_KEY`, kept only as its SHA-256
   */
  constructor(
    readonly sources: readonly KeySource[],
    private readonly forced: boolean,
    masterKey?: string,
  ) {
    this.#masterDigest = masterKey === undefined ? undefined : hashKey(masterKey);
  }

  /** Whether a master key is configured. */
  /** Whether `value` is the master key (compared as SHA-256 digests, in constant time). */
  isMasterKey(value: string): boolean {
    return this.#masterDigest !== undefined && timingSafeEqual(this.#masterDigest, hashKey(value));
  }

  get hasMasterKey(): boolean {
    return this.#masterDigest !== undefined;
  }

  /**
   * Whether requests need a gateway key: forced on, a master key, or any source holding any
   * record, revoked or not (revoking never switches gateway keys off).
   */
  get enabled(): boolean {
    return this.forced || this.#masterDigest !== undefined || this.sources.some((source) => source.size > 0);
  }

  /** True while a shared source was never read (see `KeySource.pending`). */
  get pending(): boolean {
    return this.sources.some((source) => source.pending === true);
  }

  /** Settles once every pending source was read or failed to be, within its store's bounds. */
  async ready(): Promise<void> {
    await Promise.all(this.sources.map((source) => source.ready?.()));
  }

  /**
   * Looks a presented key up by its SHA-256. The map lookups compare digests, which say
   * nothing usable about the key; the final comparisons are constant-time all the same.
   */
  authenticate(presented: string): KeyLookup | typeof KEY_UNKNOWN_YET | undefined {
    const digest = hashKey(presented);
    if (this.#masterDigest !== undefined && timingSafeEqual(this.#masterDigest, digest)) return { grant: masterGrant, revoked: false };
    const hex = digest.toString('hex');
    let found: KeyEntry | undefined;
    for (const source of this.sources) {
      const entry = source.find(hex);
      if (entry === undefined || !timingSafeEqual(entry.digest, digest)) continue;
      if (entry.revoked) return { grant: entry.grant, revoked: true };
      found ??= entry;
    }
    if (found) return { grant: found.grant, revoked: false };
    return this.pending ? KEY_UNKNOWN_YET : undefined;
  }
}

/**
 * The store for a configuration: none with `GATEWAY_AUTH=off`.
 * @param shared the key records of the shared state store, when there is one
 * @throws ConfigError when `GATEWAY_KEYS_FILE` exists but cannot be used
 */
export function openKeyStore(
  config: Pick<GatewayConfig, 'auth' | 'keysFile' | 'envKeys' | 'masterKey'>,
  logger: Logger,
  signal?: AbortSignal,
  shared?: KeySource,
): KeyStore | undefined {
  if (config.auth === 'off') return undefined;
  let file: KeySource;
  try {
    file = new FileKeySource(config.keysFile, logger, signal);
  } catch (error) {
    throw new ConfigError(`GATEWAY_KEYS_FILE: ${config.keysFile} is not a usable key store: ${(error as Error).message}`);
  }
  const sources = [file];
  if (shared) sources.push(shared);
  if (config.envKeys.keys.length > 0) sources.push(staticKeySource('GATEWAY_KEYS', config.envKeys));
  return new KeyStore(sources, config.auth === 'keys', config.masterKey);
}
