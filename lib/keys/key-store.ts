/**
 * The running gateway's gateway keys: the master key (`GATEWAY_MASTER_KEY`) and the records
 * of every key source (the file store, `GATEWAY_KEYS`), asked together. A key revoked in any
 * source is revoked: revoking in the file works for a key that `GATEWAY_KEYS` still lists.
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

  /**
   * Looks a presented key up by its SHA-256. The map lookups compare digests, which say
   * nothing usable about the key; the final comparisons are constant-time all the same.
   */
  authenticate(presented: string): KeyLookup | undefined {
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
    return found && { grant: found.grant, revoked: false };
  }
}

/**
 * The store for a configuration: none with `GATEWAY_AUTH=off`.
 * @throws ConfigError when `GATEWAY_KEYS_FILE` exists but cannot be used
 */
export function openKeyStore(
  config: Pick<GatewayConfig, 'auth' | 'keysFile' | 'envKeys' | 'masterKey'>,
  logger: Logger,
  signal?: AbortSignal,
): KeyStore | undefined {
  if (config.auth === 'off') return undefined;
  let file: KeySource;
  try {
    file = new FileKeySource(config.keysFile, logger, signal);
  } catch (error) {
    throw new ConfigError(`GATEWAY_KEYS_FILE: ${config.keysFile} is not a usable key store: ${(error as Error).message}`);
  }
  const sources = config.envKeys.keys.length > 0 ? [file, staticKeySource('GATEWAY_KEYS', config.envKeys)] : [file];
  return new KeyStore(sources, config.auth === 'keys', config.masterKey);
}
