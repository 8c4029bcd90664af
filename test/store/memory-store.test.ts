/**
 * The conformance cases against the in-process store (and the key file, the records'
 * store without Redis).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore } from '../../lib/cache/memory-store.js';
import { FileKeySource } from '../../lib/keys/file-key-source.js';
import { fileKeyRecords } from '../../lib/keys/key-records.js';
import { MemoryLimitStore } from '../../lib/limits/limit-store.js';
import { createLogger } from '../../lib/log/logger.js';
import { cacheConformance } from './conformance/cache.js';
import { circuitConformance } from './conformance/circuits.js';
import { keyConformance } from './conformance/keys.js';
import { limitConformance } from './conformance/limits.js';
import { spendConformance } from './conformance/spend.js';
import { MemorySpendStore } from '../../lib/spend/spend-store.js';

const folder = mkdtempSync(join(tmpdir(), 'gateway-memory-store-'));
let files = 0;

limitConformance(() => new MemoryLimitStore());
spendConformance(() => new MemorySpendStore());
cacheConformance(() => ({ store: createMemoryStore(64 * 1024 * 1024, Date.now) }));
circuitConformance(() => undefined);
keyConformance(() => {
  const path = join(folder, `keys-${++files}.json`);
  const lifetime = new AbortController();
  return {
    records: fileKeyRecords(path),
    view: () => new FileKeySource(path, createLogger('silent'), lifetime.signal),
    close: () => lifetime.abort(),
  };
});
