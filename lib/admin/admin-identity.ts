/**
 * Who may use the console: the master key (`GATEWAY_MASTER_KEY`), or an active, unexpired
 * gateway key with the `admin` scope. A presented key is checked as the proxy checks one (by
 * its SHA-256, in constant time); a session made with an admin key is checked against the
 * key's record again, at most {@link RECHECK_MS} later, so revoking the key or taking its
 * `admin` scope ends the sessions it made.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Gateway } from '../gateway.js';
import type { KeyRecord } from '../keys/key-record.js';
import type { KeyRecords } from '../keys/key-records.js';
import { hashKey } from '../keys/key-secret.js';

/** How long a read of the key records answers session checks, in ms. */
const RECHECK_MS = 1000;

/** A signed-in operator. */
export interface AdminIdentity {
  /** `master`, or the key's id. */
  subject: string;
  /** What the pages show: `master`, or the key's name. */
  name: string;
}

const isActiveAdmin = (record: KeyRecord, now: number) =>
  record.revoked_at === undefined && record.scopes.includes('admin') && (record.expires_at === undefined || Date.parse(record.expires_at) > now);

/** Checks presented keys and sessions. */
export class AdminIdentities {
  readonly #masterDigest?: Buffer;
  #records?: { at: number; list: Promise<KeyRecord[]> };

  constructor(
    private readonly gateway: Pick<Gateway, 'keys' | 'config'>,
    private readonly records: KeyRecords,
  ) {
    const master = gateway.config.masterKey;
    this.#masterDigest = master === undefined ? undefined : hashKey(master);
  }

  /** Whether anyone can sign in at all: a master key, or gateway keys that may hold an admin key. */
  get canSignIn(): boolean {
    return this.#masterDigest !== undefined || this.gateway.keys !== undefined;
  }

  /** The operator a presented key stands for; undefined for any other key. */
  fromKey(presented: string, now = Date.now()): AdminIdentity | undefined {
    const digest = hashKey(presented);
    if (this.#masterDigest !== undefined && timingSafeEqual(this.#masterDigest, digest)) return { subject: 'master', name: 'master' };
    const lookup = this.gateway.keys?.authenticate(presented);
    if (lookup === undefined || typeof lookup === 'string' || lookup.revoked || !lookup.grant.admin) return undefined;
    if (lookup.grant.expiresAt !== undefined && lookup.grant.expiresAt <= now) return undefined;
    return { subject: lookup.grant.id, name: lookup.grant.name };
  }

  /** The operator a session's subject stands for, while the key behind it still may; undefined otherwise. */
  async fromSubject(subject: string, now = Date.now()): Promise<AdminIdentity | undefined> {
    if (subject === 'master') return this.#masterDigest === undefined ? undefined : { subject, name: 'master' };
    if (this.#records === undefined || now - this.#records.at > RECHECK_MS) {
      const list = this.records.list();
      // A failed read is not cached: the next request asks again.
      list.catch(() => (this.#records = undefined));
      this.#records = { at: now, list };
    }
    let records: KeyRecord[];
    try {
      records = await this.#records.list;
    } catch {
      return undefined;
    }
    const record = records.find((candidate) => candidate.id === subject);
    return record !== undefined && isActiveAdmin(record, now) ? { subject, name: record.name } : undefined;
  }

  /** Forgets the cached records (after the console changed them). */
  invalidate(): void {
    this.#records = undefined;
  }
}
