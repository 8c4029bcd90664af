/**
 * Gateway key records in Redis: a hash `<prefix>keys` of id → record (JSON, the key's SHA-256
 * only, as in the key file), a version `<prefix>keys:version` that every change increments,
 * and a message on `<prefix>keys` after each change, so that every instance reloads at once.
 * `npm run keys` changes the records with a compare-and-set on the version (a script), so two
 * commands run at once cannot both create the same name.
 */
import type { KeyRecord } from '../../keys/key-record.js';
import { parseKeyRecord } from '../../keys/key-record.js';
import type { KeyChange, KeyRecords } from '../../keys/key-records.js';
import { luaScript, runScript, type RedisConnection } from './redis-connection.js';

/** KEYS: records, version. Returns {version, {id, json, id, json, …}} read at one instant. */
const SNAPSHOT = luaScript(`return {redis.call('GET', KEYS[2]) or '0', redis.call('HGETALL', KEYS[1])}`);

/** KEYS: records, version. ARGV: expected version, channel, then id and JSON pairs. Returns 0 when the version moved. */
const WRITE = luaScript(`
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[1] then return 0 end
for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
local version = redis.call('INCR', KEYS[2])
redis.call('PUBLISH', ARGV[2], tostring(version))
return 1
`);

/** How many times a change is tried again when another command changed the records meanwhile. */
const CHANGE_TRIES = 10;

/** The records at one version; `invalid` holds the ids of records this version cannot read. */
export interface KeySnapshot {
  version: string;
  records: KeyRecord[];
  invalid: string[];
}

/** The names of the keys in Redis of a given prefix. */
export function keyRecordNames(prefix: string): { records: string; version: string; channel: string } {
  return { records: `${prefix}keys`, version: `${prefix}keys:version`, channel: `${prefix}keys` };
}

/**
 * Reads every record and the version in one round trip.
 * @param waitMs how long to wait for the connection, when it is still being made
 * @throws StoreUnavailableError
 */
export async function readKeySnapshot(connection: RedisConnection, prefix: string, waitMs?: number): Promise<KeySnapshot> {
  const names = keyRecordNames(prefix);
  const [version, flat] = (await connection.run((client) => runScript(client, SNAPSHOT, [names.records, names.version], []), waitMs)) as [string, string[]];
  const records: KeyRecord[] = [];
  const invalid: string[] = [];
  for (let index = 0; index + 1 < flat.length; index += 2) {
    try {
      records.push(parseKeyRecord(JSON.parse(flat[index + 1])));
    } catch {
      invalid.push(flat[index]);
    }
  }
  records.sort((a, b) => a.created_at.localeCompare(b.created_at));
  return { version: String(version), records, invalid };
}

/** The records in Redis, for `npm run keys`. */
export function redisKeyRecords(connection: RedisConnection, prefix: string): KeyRecords {
  const names = keyRecordNames(prefix);
  return {
    label: connection.label,
    list: async () => (await readKeySnapshot(connection, prefix, connection.settings.connectTimeoutMs)).records,
    async change<T>(change: KeyChange<T>): Promise<T> {
      for (let tries = 0; tries < CHANGE_TRIES; tries += 1) {
        const { version, records } = await readKeySnapshot(connection, prefix, connection.settings.connectTimeoutMs);
        const { changed, result } = change(records);
        if (changed.length === 0) return result;
        const args = [version, names.channel, ...changed.flatMap((record) => [record.id, JSON.stringify(record)])];
        const written = await connection.run((client) => runScript(client, WRITE, [names.records, names.version], args));
        if (Number(written) === 1) return result;
      }
      throw new Error(`the key records in ${connection.label} kept changing while this command ran; run it again`);
    },
  };
}
