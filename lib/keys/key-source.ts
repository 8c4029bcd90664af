/**
 * Key records from one place (the file store, `GATEWAY_KEYS`, a shared store), indexed by
 * the SHA-256 of their keys. The key store asks each source in turn.
 */
import type { KeyFile } from './key-record.js';
import { compileGrant, type Grant } from './grant.js';

/** One record, ready for a lookup. */
export interface KeyEntry {
  /** SHA-256 of the key, as bytes. */
  digest: Buffer;
  grant: Grant;
  revoked: boolean;
}

/** Where key records come from. */
export interface KeySource {
  /** Where the records live, for the start-up summary: a path, or a variable's name. */
  readonly label: string;
  /** Records held, revoked ones included. */
  readonly size: number;
  /** Records not revoked. */
  readonly active: number;
  /** The record whose key hashes to `hashHex` (lower-case hex SHA-256). */
  find(hashHex: string): KeyEntry | undefined;
  /** True while a shared source was never read (its store unreachable since start-up): which keys exist is unknown. */
  readonly pending?: boolean;
  /** Settles once a pending source was read, or failed to be, within its store's bounds. Never rejects. */
  ready?(): Promise<void>;
}

/** A source's records, compiled once: the index a lookup reads. */
export class KeyIndex {
  readonly size: number;
  readonly active: number;
  readonly #byHash: Map<string, KeyEntry>;

  constructor(file: KeyFile) {
    this.#byHash = new Map(
      file.keys.map((record) => [
        record.hash,
        { digest: Buffer.from(record.hash, 'hex'), grant: compileGrant(record), revoked: record.revoked_at !== undefined },
      ]),
    );
    this.size = file.keys.length;
    this.active = file.keys.filter((record) => record.revoked_at === undefined).length;
  }

  find(hashHex: string): KeyEntry | undefined {
    return this.#byHash.get(hashHex);
  }
}

/** Records that never change while the gateway runs, such as `GATEWAY_KEYS`'s. */
export function staticKeySource(label: string, file: KeyFile): KeySource {
  const index = new KeyIndex(file);
  return { label, size: index.size, active: index.active, find: (hashHex) => index.find(hashHex) };
}
