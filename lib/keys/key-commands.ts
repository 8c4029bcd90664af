/**
 * What `npm run keys` does to a store of key records (the key file, or Redis): create a key
 * (shown once, stored as its SHA-256), list the records, revoke one, update one's scopes,
 * providers, limits or budgets. Each command is one atomic change of the store (`key-records.ts`).
 */
import { KEY_NAME, SCOPE, type KeyRecord } from './key-record.js';
import { fileKeyRecords, type KeyRecords } from './key-records.js';
import { generateKey, generateKeyId, hashKey } from './key-secret.js';

/** A command the store refuses; its message is for the operator. */
export class KeyCommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyCommandError';
  }
}

/** What a new key may do. */
export interface NewKey {
  name: string;
  /** Scopes; `['all']` when left empty. */
  scopes: string[];
  /** `provider` or `provider/model` entries; empty for every provider. */
  providers: string[];
  rpm?: number;
  tpm?: number;
  /** When the key stops working (ISO time); it never does when left out. */
  expiresAt?: string;
  /** Spending caps in USD per UTC day and per UTC month; none when left out. */
  budgets?: Budgets;
}

/** Spending caps in USD per calendar period (UTC). */
export type Budgets = NonNullable<KeyRecord['budgets']>;

/** What `keys update` changes; a field left out stays, a limit set to `null` is removed. */
export interface KeyUpdate {
  scopes?: string[];
  providers?: string[];
  rpm?: number | null;
  tpm?: number | null;
  /** A new expiry (ISO time), or `null` for none. */
  expiresAt?: string | null;
  /** New caps in USD per period; a period left out stays, one set to `null` is removed. */
  budgets?: { day?: number | null; month?: number | null };
}

/** A path is the key file; anything else is a store already opened. */
const recordsOf = (store: string | KeyRecords): KeyRecords => (typeof store === 'string' ? fileKeyRecords(store) : store);

/** Scopes as stored: `all` when none given, methods lower-cased. */
const normalScopes = (scopes: readonly string[]) =>
  scopes.length === 0 ? ['all'] : scopes.map((scope) => scope.replace(/^[A-Za-z*]+:/, (method) => method.toLowerCase()));

function checkGrant(
  spec: { scopes?: string[]; providers?: string[]; rpm?: number | null; tpm?: number | null; budgets?: { day?: number | null; month?: number | null } },
  known: ReadonlySet<string>,
): void {
  for (const scope of spec.scopes ?? []) {
    if (!SCOPE.test(scope)) throw new KeyCommandError(`"${scope}" is not a scope: use "all", "admin" or method:path, e.g. post:/v1/chat/completions`);
  }
  for (const entry of spec.providers ?? []) {
    const provider = entry.split('/')[0].toLowerCase();
    if (!known.has(provider)) throw new KeyCommandError(`Unknown provider "${provider}" in --providers. Known providers: ${[...known].join(', ')}`);
    if (entry.endsWith('/')) throw new KeyCommandError(`"${entry}" names no model after "/"`);
  }
  for (const [flag, value] of [['--rpm', spec.rpm], ['--tpm', spec.tpm]] as const) {
    if (value !== undefined && value !== null && !(Number.isSafeInteger(value) && value > 0)) throw new KeyCommandError(`${flag} must be a positive integer`);
  }
  for (const [period, usd] of Object.entries(spec.budgets ?? {})) {
    if (period !== 'day' && period !== 'month') throw new KeyCommandError(`--budget takes a period of day or month, not "${period}"`);
    if (usd !== undefined && usd !== null && !(Number.isFinite(usd) && usd > 0)) throw new KeyCommandError(`--budget for a ${period} must be a positive amount of USD`);
  }
}

/** `budgets` after an update: each period kept, replaced or (with `null`) removed; undefined when none is left. */
function nextBudgets(current: Budgets | undefined, update: KeyUpdate['budgets']): Budgets | undefined {
  if (update === undefined) return current;
  const next: Budgets = { ...current };
  for (const period of ['day', 'month'] as const) {
    const value = update[period];
    if (value === null) delete next[period];
    else if (value !== undefined) next[period] = value;
  }
  return next.day === undefined && next.month === undefined ? undefined : next;
}

/** The active record with this id or name. */
function activeRecord(records: readonly KeyRecord[], nameOrId: string): KeyRecord {
  const record = records.find((candidate) => candidate.revoked_at === undefined && (candidate.id === nameOrId || candidate.name === nameOrId));
  if (record === undefined) throw new KeyCommandError(`No active key is named or has the id "${nameOrId}"`);
  return record;
}

/**
 * Creates a key and stores its record.
 * @param store the key file's path, or a store of records
 * @param known the configured provider names, to check `providers` against
 * @returns the key (to show once, never stored) and its record
 * @throws KeyCommandError for a bad name, scope, provider or limit, or a name in use
 */
export async function createKey(store: string | KeyRecords, spec: NewKey, known: ReadonlySet<string>): Promise<{ key: string; record: KeyRecord }> {
  const scopes = normalScopes(spec.scopes);
  if (!KEY_NAME.test(spec.name)) throw new KeyCommandError(`"${spec.name}" is not a key name: use 1 to 64 of A-Z, a-z, 0-9, ".", "_", "-", starting with a letter or digit`);
  checkGrant({ ...spec, scopes }, known);
  const key = generateKey();
  const record: KeyRecord = {
    id: generateKeyId(),
    name: spec.name,
    hash: hashKey(key).toString('hex'),
    scopes,
    providers: spec.providers,
    ...(spec.rpm === undefined ? {} : { rpm: spec.rpm }),
    ...(spec.tpm === undefined ? {} : { tpm: spec.tpm }),
    ...(spec.expiresAt === undefined ? {} : { expires_at: spec.expiresAt }),
    ...(spec.budgets === undefined || (spec.budgets.day === undefined && spec.budgets.month === undefined) ? {} : { budgets: spec.budgets }),
    created_at: new Date().toISOString(),
  };
  await recordsOf(store).change((records) => {
    if (records.some((existing) => existing.name === spec.name && existing.revoked_at === undefined)) {
      throw new KeyCommandError(`An active key is already named "${spec.name}"`);
    }
    return { changed: [record], result: undefined };
  });
  return { key, record };
}

/** Every record, revoked ones included. */
export async function listKeys(store: string | KeyRecords): Promise<KeyRecord[]> {
  return recordsOf(store).list();
}

/**
 * Revokes the key with this id, or the active key with this name. The record stays.
 * @throws KeyCommandError when no such key is active
 */
export async function revokeKey(store: string | KeyRecords, nameOrId: string): Promise<KeyRecord> {
  return recordsOf(store).change((records) => {
    const record = { ...activeRecord(records, nameOrId), revoked_at: new Date().toISOString() };
    return { changed: [record], result: record };
  });
}

/**
 * Changes an active key's scopes, providers or limits; the key itself stays the same.
 * @throws KeyCommandError when no such key is active, or for a bad scope, provider or limit
 */
export async function updateKey(store: string | KeyRecords, nameOrId: string, update: KeyUpdate, known: ReadonlySet<string>): Promise<KeyRecord> {
  const scopes = update.scopes === undefined ? undefined : normalScopes(update.scopes);
  checkGrant({ ...update, scopes }, known);
  return recordsOf(store).change((records) => {
    const { rpm, tpm, expires_at: expiresAt, budgets, ...record } = activeRecord(records, nameOrId);
    const budgetsNext = nextBudgets(budgets, update.budgets);
    const nextExpiry = update.expiresAt === undefined ? expiresAt : (update.expiresAt ?? undefined);
    const limit = (current: number | undefined, next: number | null | undefined) => (next === undefined ? current : (next ?? undefined));
    const nextRpm = limit(rpm, update.rpm);
    const nextTpm = limit(tpm, update.tpm);
    const updated: KeyRecord = {
      ...record,
      scopes: scopes ?? record.scopes,
      providers: update.providers ?? record.providers,
      ...(nextRpm === undefined ? {} : { rpm: nextRpm }),
      ...(nextTpm === undefined ? {} : { tpm: nextTpm }),
      ...(nextExpiry === undefined ? {} : { expires_at: nextExpiry }),
      ...(budgetsNext === undefined ? {} : { budgets: budgetsNext }),
      updated_at: new Date().toISOString(),
    };
    return { changed: [updated], result: updated };
  });
}
