/**
 * What the console does to gateway keys, over the same records `npm run keys` changes (the key
 * file, or Redis with `REDIS_URL`, see `keys/key-records.ts`) with the same commands
 * (`keys/key-commands.ts`). A key's secret leaves only in the answer that created it; every
 * other view is {@link PublicKey}, which has no secret and no hash.
 */
import { GatewayError } from '../errors.js';
import type { Gateway } from '../gateway.js';
import { createKey, KeyCommandError, listKeys, revokeKey, updateKey, type KeyUpdate, type NewKey } from '../keys/key-commands.js';
import { FileKeySource } from '../keys/file-key-source.js';
import type { KeyRecord } from '../keys/key-record.js';
import { fileKeyRecords, type KeyRecords } from '../keys/key-records.js';
import type { RecentRequests } from './recent-requests.js';
import { emptyTotals, type UsageTotals } from '../spend/usage-report.js';
import { utcDay } from '../spend/utc-day.js';
import type { UsageSource } from './usage-source.js';

/** A key as the console shows it: never its secret or hash. */
export interface PublicKey {
  id: string;
  name: string;
  status: 'active' | 'expired' | 'revoked';
  scopes: string[];
  providers: string[];
  rpm: number | null;
  tpm: number | null;
  budgets: { day: number | null; month: number | null };
  created_at: string;
  updated_at: string | null;
  revoked_at: string | null;
  expires_at: string | null;
  /** Spend in the current UTC day and month (see `usage-source.ts`). */
  spend_today: UsageTotals;
  spend_month: UsageTotals;
  /** This instance's latest request with the key (ISO time), null when none is in its recent requests. */
  last_used_at: string | null;
}


function status(record: KeyRecord, now: number): PublicKey['status'] {
  if (record.revoked_at !== undefined) return 'revoked';
  return record.expires_at !== undefined && Date.parse(record.expires_at) <= now ? 'expired' : 'active';
}

/** The record without its hash. */
function publicKey(record: KeyRecord, now: number): Omit<PublicKey, 'spend_today' | 'spend_month' | 'last_used_at'> {
  return {
    id: record.id,
    name: record.name,
    status: status(record, now),
    scopes: record.scopes,
    providers: record.providers,
    rpm: record.rpm ?? null,
    tpm: record.tpm ?? null,
    budgets: { day: record.budgets?.day ?? null, month: record.budgets?.month ?? null },
    created_at: record.created_at,
    updated_at: record.updated_at ?? null,
    revoked_at: record.revoked_at ?? null,
    expires_at: record.expires_at ?? null,
  };
}

/** The console's key commands. */
export class KeyAdmin {
  readonly records: KeyRecords;
  readonly #known: ReadonlySet<string>;

  constructor(
    private readonly gateway: Gateway,
    private readonly usage: UsageSource,
    private readonly recent: RecentRequests,
  ) {
    this.records = gateway.state.keyRecords ?? fileKeyRecords(gateway.config.keysFile);
    this.#known = gateway.known;
  }

  /** The configured provider names. */
  get known(): ReadonlySet<string> {
    return this.#known;
  }

  /** Every key, revoked ones last, with its spend and last use. */
  async list(now = Date.now()): Promise<PublicKey[]> {
    const records = await listKeys(this.records).catch((error: unknown) => this.#unavailable(error));
    const today = utcDay(now);
    const [day, month] = await Promise.all([
      this.usage.usage({ from: today, to: today, group_by: 'key' }),
      this.usage.usage({ from: `${today.slice(0, 8)}01`, to: today, group_by: 'key' }),
    ]);
    const lastUsed = new Map<string, number>();
    for (const record of this.recent.list()) if (record.key !== undefined && !lastUsed.has(record.key)) lastUsed.set(record.key, record.at);
    const spend = (report: typeof day, name: string) => {
      const row = report.data.find((candidate) => candidate.group === name);
      return row === undefined ? emptyTotals() : { requests: row.requests, tokens: row.tokens, cost_usd: row.cost_usd, unpriced: row.unpriced };
    };
    const rank = { active: 0, expired: 1, revoked: 2 };
    const activeNames = new Set(records.filter((record) => record.revoked_at === undefined).map((record) => record.name));
    return records
      .map((record) => {
        const view = publicKey(record, now);
        // Spend is by name: a revoked key whose name a newer key took shows none (it is the newer one's).
        const own = view.status !== 'revoked' || !activeNames.has(record.name);
        const used = own ? lastUsed.get(record.name) : undefined;
        return {
          ...view,
          spend_today: own ? spend(day, record.name) : emptyTotals(),
          spend_month: own ? spend(month, record.name) : emptyTotals(),
          last_used_at: used === undefined ? null : new Date(used).toISOString(),
        };
      })
      .sort((a, b) => rank[a.status] - rank[b.status] || b.created_at.localeCompare(a.created_at));
  }

  /**
   * Creates a key.
   * @returns the secret (to show once) and the key's view
   * @throws KeyCommandError (a name in use…); GatewayError 503 when the store cannot be written
   */
  async create(spec: NewKey): Promise<{ key: string; record: Omit<PublicKey, 'spend_today' | 'spend_month' | 'last_used_at'> }> {
    const { key, record } = await createKey(this.records, spec, this.#known).catch((error: unknown) => this.#unavailable(error));
    await this.#refresh();
    return { key, record: publicKey(record, Date.now()) };
  }

  /** @throws KeyCommandError when no such key is active; GatewayError 503 when the store cannot be written */
  async update(nameOrId: string, update: KeyUpdate): Promise<Omit<PublicKey, 'spend_today' | 'spend_month' | 'last_used_at'>> {
    const record = await updateKey(this.records, nameOrId, update, this.#known).catch((error: unknown) => this.#unavailable(error));
    await this.#refresh();
    return publicKey(record, Date.now());
  }

  /** @throws KeyCommandError when no such key is active; GatewayError 503 when the store cannot be written */
  async revoke(nameOrId: string): Promise<Omit<PublicKey, 'spend_today' | 'spend_month' | 'last_used_at'>> {
    const record = await revokeKey(this.records, nameOrId).catch((error: unknown) => this.#unavailable(error));
    await this.#refresh();
    return publicKey(record, Date.now());
  }

  /**
   * A store that cannot be read or written (a read-only disk on a serverless host, Redis
   * down): a 503 saying where, and what to do instead.
   */
  #unavailable(error: unknown): never {
    if (error instanceof KeyCommandError || error instanceof GatewayError) throw error;
    throw new GatewayError({
      status: 503,
      code: 'key_store_unavailable',
      message: `The key records in ${this.records.label} cannot be changed here (${(error as Error).message}). Set REDIS_URL to manage keys from the console on every instance, or use npm run keys and GATEWAY_KEYS.`,
    });
  }

  /**
   * This instance sees its own change at once: the key file is read again now rather than at
   * its next poll (Redis tells every instance itself).
   */
  async #refresh(): Promise<void> {
    for (const source of this.gateway.keys?.sources ?? []) if (source instanceof FileKeySource) await source.reload();
  }
}
