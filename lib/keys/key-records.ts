/**
 * Where `npm run keys` keeps the key records: the key file (`GATEWAY_KEYS_FILE`), or the
 * shared store when `REDIS_URL` is set (`store/redis/redis-key-records.ts`). A command reads
 * every record and changes some in one atomic step, so two operators creating the same name
 * at once cannot both succeed.
 */
import { readKeyFile, writeKeyFile } from './key-file.js';
import type { KeyRecord } from './key-record.js';

/** A change to the records: the records it changed or added, and what the command returns. */
export type KeyChange<T> = (records: readonly KeyRecord[]) => { changed: KeyRecord[]; result: T };

/** The records of one store. */
export interface KeyRecords {
  /** Where they live, for the operator: a path, or the Redis URL's host and database. */
  readonly label: string;
  /** Every record, revoked ones included. */
  list(): Promise<KeyRecord[]>;
  /**
   * Applies `change` atomically: it sees every record, and what it returns replaces the
   * records of the same id (or is added).
   * @throws what `change` throws; Error when the store cannot be read or written
   */
  change<T>(change: KeyChange<T>): Promise<T>;
}

/** Merges changed records into `records` by id, keeping their order. */
export function mergeRecords(records: readonly KeyRecord[], changed: readonly KeyRecord[]): KeyRecord[] {
  const byId = new Map(changed.map((record) => [record.id, record]));
  const merged = records.map((record) => byId.get(record.id) ?? record);
  const known = new Set(records.map((record) => record.id));
  return [...merged, ...changed.filter((record) => !known.has(record.id))];
}

/** The key file as a record store; a write replaces the file atomically (`key-file.ts`). */
export function fileKeyRecords(path: string): KeyRecords {
  return {
    label: path,
    list: async () => (await readKeyFile(path)).keys,
    async change(change) {
      const file = await readKeyFile(path);
      const { changed, result } = change(file.keys);
      if (changed.length > 0) await writeKeyFile(path, { ...file, keys: mergeRecords(file.keys, changed) });
      return result;
    },
  };
}
