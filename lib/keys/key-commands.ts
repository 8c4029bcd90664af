/**
 * What `npm run keys` does to the store: create a key (shown once, stored as its
 * SHA-256), list the records, revoke one. Each command reads the store, changes it and
 * writes it back atomically.
 */
import { readKeyFile, writeKeyFile } from './key-file.js';
import { KEY_NAME, SCOPE, type KeyRecord } from './key-record.js';
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
}

function checkNewKey(spec: NewKey, known: ReadonlySet<string>, existing: readonly KeyRecord[]): void {
  if (!KEY_NAME.test(spec.name)) throw new KeyCommandError(`"${spec.name}" is not a key name: use 1 to 64 of A-Z, a-z, 0-9, ".", "_", "-", starting with a letter or digit`);
  if (existing.some((record) => record.name === spec.name && record.revoked_at === undefined)) {
    throw new KeyCommandError(`An active key is already named "${spec.name}"`);
  }
  for (const scope of spec.scopes) {
    if (!SCOPE.test(scope)) throw new KeyCommandError(`"${scope}" is not a scope: use "all" or method:path, e.g. post:/v1/chat/completions`);
  }
  for (const entry of spec.providers) {
    const provider = entry.split('/')[0].toLowerCase();
    if (!known.has(provider)) throw new KeyCommandError(`Unknown provider "${provider}" in --providers. Known providers: ${[...known].join(', ')}`);
    if (entry.endsWith('/')) throw new KeyCommandError(`"${entry}" names no model after "/"`);
  }
  for (const [flag, value] of [['--rpm', spec.rpm], ['--tpm', spec.tpm]] as const) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value > 0)) throw new KeyCommandError(`${flag} must be a positive integer`);
  }
}

/**
 * Creates a key and stores its record.
 * @param known the configured provider names, to check `providers` against
 * @returns the key (to show once, never stored) and its record
 * @throws KeyCommandError for a bad name, scope, provider or limit, or a name in use
 */
export async function createKey(path: string, spec: NewKey, known: ReadonlySet<string>): Promise<{ key: string; record: KeyRecord }> {
  const file = await readKeyFile(path);
  const scopes = spec.scopes.length === 0 ? ['all'] : spec.scopes.map((scope) => scope.replace(/^[A-Za-z*]+:/, (method) => method.toLowerCase()));
  checkNewKey({ ...spec, scopes }, known, file.keys);
  const key = generateKey();
  const record: KeyRecord = {
    id: generateKeyId(),
    name: spec.name,
    hash: hashKey(key).toString('hex'),
    scopes,
    providers: spec.providers,
    ...(spec.rpm === undefined ? {} : { rpm: spec.rpm }),
    ...(spec.tpm === undefined ? {} : { tpm: spec.tpm }),
    created_at: new Date().toISOString(),
  };
  file.keys.push(record);
  await writeKeyFile(path, file);
  return { key, record };
}

/** Every record, revoked ones included. */
export async function listKeys(path: string): Promise<KeyRecord[]> {
  return (await readKeyFile(path)).keys;
}

/**
 * Revokes the key with this id, or the active key with this name. The record stays.
 * @throws KeyCommandError when no such key is active
 */
export async function revokeKey(path: string, nameOrId: string): Promise<KeyRecord> {
  const file = await readKeyFile(path);
  const record = file.keys.find((candidate) => candidate.revoked_at === undefined && (candidate.id === nameOrId || candidate.name === nameOrId));
  if (record === undefined) throw new KeyCommandError(`No active key is named or has the id "${nameOrId}"`);
  record.revoked_at = new Date().toISOString();
  await writeKeyFile(path, file);
  return record;
}
