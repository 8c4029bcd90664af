/**
 * Stored responses in a folder (by default `.gateway/responses`), so that they survive a
 * restart on one machine with no setup: one JSON file per response, written atomically
 * (a temporary file, then a rename), under a folder per tenant (a hash of the tenant, never
 * the credential), named `<stored_at>-<id>.json` so that the index is rebuilt from names
 * and sizes alone. The index lives in memory; the files are read only when a response is.
 * Bounded by bytes: past `maxBytes`, the oldest responses go first. Records past their age
 * are treated as gone.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pageOf } from './memory-response-store.js';
import type { ResponseRecord, ResponseStore } from './response-store.js';

interface Entry {
  id: string;
  tenantDir: string;
  storedAt: number;
  bytes: number;
  file: string;
}

const NAME = /^(\d+)-(resp_[A-Za-z0-9_-]+)\.json$/;

/** The folder a tenant's files go in: a hash, so that no credential-derived value is a path. */
const tenantDir = (tenant: string) => createHash('sha256').update(tenant).digest('hex').slice(0, 32);

/**
 * @param dir the folder (created with mode 0700 when needed)
 * @param maxBytes the bound on the files' total size, in bytes
 * @param ttlMs how long a response lives, in ms
 * @param now the clock, in ms since the epoch
 */
export function createFileResponseStore(dir: string, maxBytes: number, ttlMs: number, now: () => number = Date.now): ResponseStore {
  /** Every stored response by id, and the same oldest first for eviction. */
  const byId = new Map<string, Entry>();
  let oldestFirst: Entry[] = [];
  let total = 0;
  let loading: Promise<void> | undefined;

  const load = async () => {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    for (const tenant of await readdir(dir)) {
      let names: string[];
      try {
        names = await readdir(join(dir, tenant));
      } catch {
        continue;
      }
      for (const name of names) {
        const match = NAME.exec(name);
        if (!match) continue;
        const file = join(dir, tenant, name);
        const { size } = await stat(file);
        const entry = { id: match[2], tenantDir: tenant, storedAt: Number(match[1]), bytes: size, file };
        byId.set(entry.id, entry);
        total += size;
      }
    }
    oldestFirst = [...byId.values()].sort((a, b) => a.storedAt - b.storedAt);
  };
  const ready = () => (loading ??= load());

  const remove = async (entry: Entry) => {
    if (byId.get(entry.id) !== entry) return;
    byId.delete(entry.id);
    total -= entry.bytes;
    await rm(entry.file, { force: true });
  };
  const expired = (entry: Entry) => now() - entry.storedAt > ttlMs;
  const evict = async () => {
    while (total > maxBytes && oldestFirst.length > 0) await remove(oldestFirst.shift() as Entry);
    if (oldestFirst.length > 2 * byId.size + 64) oldestFirst = oldestFirst.filter((entry) => byId.get(entry.id) === entry);
  };
  const read = async (tenant: string, id: string): Promise<{ entry: Entry; record: ResponseRecord } | undefined> => {
    await ready();
    const entry = byId.get(id);
    if (entry === undefined || entry.tenantDir !== tenantDir(tenant)) return undefined;
    if (expired(entry)) {
      await remove(entry);
      return undefined;
    }
    try {
      const record = JSON.parse(await readFile(entry.file, 'utf8')) as ResponseRecord;
      return record.tenant === tenant ? { entry, record } : undefined;
    } catch {
      return undefined;
    }
  };

  return {
    kind: 'folder',
    description: `a folder on this machine (${dir})`,
    async put(record) {
      await ready();
      const folder = join(dir, tenantDir(record.tenant));
      await mkdir(folder, { recursive: true, mode: 0o700 });
      const text = JSON.stringify(record);
      const file = join(folder, `${record.stored_at}-${record.id}.json`);
      const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
      const handle = await open(temporary, 'wx', 0o600);
      try {
        await handle.writeFile(text);
      } finally {
        await handle.close();
      }
      await rename(temporary, file);
      const previous = byId.get(record.id);
      if (previous) await remove(previous);
      const entry = { id: record.id, tenantDir: tenantDir(record.tenant), storedAt: record.stored_at, bytes: Buffer.byteLength(text), file };
      byId.set(entry.id, entry);
      oldestFirst.push(entry);
      total += entry.bytes;
      await evict();
    },
    async get(tenant, id) {
      return (await read(tenant, id))?.record;
    },
    async delete(tenant, id) {
      const found = await read(tenant, id);
      if (found) await remove(found.entry);
      return found !== undefined;
    },
    async list(tenant, { limit, after }) {
      await ready();
      const own = [...byId.values()].filter((entry) => entry.tenantDir === tenantDir(tenant) && !expired(entry));
      const page = pageOf(
        own.map((entry) => ({ id: entry.id, stored_at: entry.storedAt }) as ResponseRecord),
        limit,
        after,
      );
      const data: ResponseRecord[] = [];
      for (const { id } of page.data) {
        const found = await read(tenant, id);
        if (found) data.push(found.record);
      }
      return { data, has_more: page.has_more };
    },
  };
}
