/**
 * Where stored responses live, by runtime: on Node, a folder on this machine (it survives a
 * restart); on Netlify, Netlify Blobs (shared by every instance of the site); on Vercel,
 * this instance's memory only, which the start-up log says plainly.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, type GatewayConfig } from '../config.js';
import { createFileResponseStore } from './file-response-store.js';
import { createMemoryResponseStore } from './memory-response-store.js';
import type { ResponseStore } from './response-store.js';

/** The runtime a gateway runs on. */
export type Runtime = 'node' | 'vercel' | 'netlify';

/** A store made on first use (its library is loaded only then). */
function lazy(kind: ResponseStore['kind'], description: string, make: () => Promise<ResponseStore>): ResponseStore {
  let store: Promise<ResponseStore> | undefined;
  const get = () => (store ??= make());
  return {
    kind,
    description,
    put: async (record) => (await get()).put(record),
    get: async (tenant, id) => (await get()).get(tenant, id),
    delete: async (tenant, id) => (await get()).delete(tenant, id),
    list: async (tenant, options) => (await get()).list(tenant, options),
  };
}

/** Opens the store for `runtime`. */
export function openResponseStore(config: Pick<GatewayConfig, 'responses'>, runtime: Runtime, now: () => number = Date.now): ResponseStore {
  const { dir, maxBytes, ttlSeconds } = config.responses;
  const ttlMs = ttlSeconds * 1000;
  if (runtime === 'netlify') {
    return lazy('netlify-blobs', 'Netlify Blobs, shared by every instance', async () => {
      const [{ getStore }, { BLOBS_STORE_NAME, createNetlifyBlobsResponseStore }] = await Promise.all([
        import('@netlify/blobs'),
        import('./netlify-blobs-response-store.js'),
      ]);
      return createNetlifyBlobsResponseStore(getStore({ name: BLOBS_STORE_NAME, consistency: 'strong' }), ttlMs, now);
    });
  }
  if (runtime === 'vercel') {
    const store = createMemoryResponseStore(maxBytes, ttlMs);
    return { ...store, description: 'this instance’s memory only: a stored response lives as long as the instance that made it (set REDIS_URL to share them)' };
  }
  checkFolder(dir);
  return createFileResponseStore(dir, maxBytes, ttlMs, now);
}

/**
 * Whether the folder can hold stored responses: a writable folder, or one that can be made
 * in its nearest existing parent. Checked at start-up, so that a bad setting stops the start
 * instead of failing every stored response.
 * @throws ConfigError naming `GATEWAY_RESPONSES_DIR`
 */
function checkFolder(dir: string): void {
  let at = resolve(dir);
  for (;;) {
    if (existsSync(at)) break;
    const parent = dirname(at);
    if (parent === at) break;
    at = parent;
  }
  try {
    if (!statSync(at).isDirectory()) throw new Error(`${at} is not a folder`);
    accessSync(at, constants.W_OK);
  } catch (error) {
    throw new ConfigError(`GATEWAY_RESPONSES_DIR: ${dir} cannot hold stored responses (${(error as Error).message})`);
  }
}
