/**
 * The response stores on their own: the folder store (survives a restart, scoped to its
 * tenant, bounded by bytes with the oldest out first, expiring), the in-process one, Netlify
 * Blobs (against `@netlify/blobs`' own local server), the tenant of a request, and a
 * conversation rebuilt from its stored responses.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getStore, type Store } from '@netlify/blobs';
import { BlobsServer } from '@netlify/blobs/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../lib/errors.js';
import { conversationOf, historyItems } from '../../lib/responses/conversation.js';
import { createFileResponseStore } from '../../lib/responses/file-response-store.js';
import { createMemoryResponseStore } from '../../lib/responses/memory-response-store.js';
import { BLOBS_STORE_NAME, createNetlifyBlobsResponseStore } from '../../lib/responses/netlify-blobs-response-store.js';
import { replayEvents } from '../../lib/responses/replay-events.js';
import type { ResponseRecord, ResponseStore } from '../../lib/responses/response-store.js';
import { tenantOf } from '../../lib/responses/tenant.js';
import type { RedisConnection } from '../../lib/store/redis/redis-connection.js';
import { RedisResponseStore } from '../../lib/store/redis/redis-response-store.js';
import { connectRedis, redisServer, type RedisServer } from '../helpers/redis.js';

const DAY_MS = 86_400_000;
/** A time a few minutes ago, in seconds: records are made just now. */
const NOW_S = Math.floor(Date.now() / 1000) - 300;

function record(id: string, tenant: string, createdAt: number, previous: string | null = null, text = 'answer'): ResponseRecord {
  return {
    id,
    tenant,
    created_at: createdAt,
    stored_at: createdAt * 1000,
    provider: 'p',
    native: false,
    previous_response_id: previous,
    input: [{ type: 'message', id: `msg_in_${id}`, role: 'user', content: `question ${id}` }],
    response: {
      id,
      object: 'response',
      status: 'completed',
      output: [{ type: 'message', id: `msg_out_${id}`, role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] }],
    },
  };
}

const stores: [string, (dir: string, maxBytes: number, now?: () => number) => ResponseStore][] = [
  ['the folder store', (dir, maxBytes, now) => createFileResponseStore(dir, maxBytes, 30 * DAY_MS, now)],
  ['the in-process store', (_dir, maxBytes) => createMemoryResponseStore(maxBytes, 30 * DAY_MS)],
  ['Netlify Blobs (its local server)', (dir) => createNetlifyBlobsResponseStore(blobsStore(dir), 30 * DAY_MS)],
  ['Redis (a redis-server of its own)', (dir) => new RedisResponseStore(redisConnection(), `test-${dir.slice(-6)}:`, 30 * DAY_MS)],
];

/** A redis-server of the test's own, on a free loopback port. */
let redis: RedisServer | undefined;
const connections: RedisConnection[] = [];
function redisConnection(): RedisConnection {
  const connection = connectRedis((redis as RedisServer).url);
  connections.push(connection);
  return connection;
}

/** Netlify's own local Blobs server, as `netlify dev` runs it, on loopback. */
let blobs: BlobsServer | undefined;
let blobsOrigin = '';
const BLOBS_TOKEN = 'local-blobs-token';

beforeAll(async () => {
  redis = await redisServer();
  blobs = new BlobsServer({ directory: mkdtempSync(join(tmpdir(), 'netlify-blobs-')), token: BLOBS_TOKEN, logger: () => {} });
  const { port } = await blobs.start();
  blobsOrigin = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  for (const connection of connections) connection.close();
  await Promise.all([blobs?.stop(), redis?.stop()]);
});

/** A fresh store (a site of its own) on the local Blobs server. */
function blobsStore(dir: string): Store {
  const siteID = `site-${dir.slice(-6).replace(/[^a-z0-9]/gi, 'x')}`;
  return getStore({ name: BLOBS_STORE_NAME, siteID, token: BLOBS_TOKEN, edgeURL: blobsOrigin, uncachedEdgeURL: blobsOrigin, consistency: 'strong' });
}

describe.each(stores)('%s', (name, make) => {
  it('gets, lists newest first with limit and after, and deletes, each within its tenant', async () => {
    const store = make(mkdtempSync(join(tmpdir(), 'responses-')), 1_000_000);
    for (let at = 1; at <= 5; at += 1) await store.put(record(`resp_a${at}`, 'tenant-a', NOW_S + at));
    await store.put(record('resp_b1', 'tenant-b', NOW_S + 10));
    expect((await store.get('tenant-a', 'resp_a2'))?.input[0]).toMatchObject({ content: 'question resp_a2' });
    expect(await store.get('tenant-b', 'resp_a2')).toBeUndefined();
    const first = await store.list('tenant-a', { limit: 2 });
    expect(first.data.map((entry) => entry.id)).toEqual(['resp_a5', 'resp_a4']);
    expect(first.has_more).toBe(true);
    const next = await store.list('tenant-a', { limit: 10, after: 'resp_a4' });
    expect(next.data.map((entry) => entry.id)).toEqual(['resp_a3', 'resp_a2', 'resp_a1']);
    expect(next.has_more).toBe(false);
    expect(await store.delete('tenant-b', 'resp_a3')).toBe(false);
    expect(await store.delete('tenant-a', 'resp_a3')).toBe(true);
    expect(await store.get('tenant-a', 'resp_a3')).toBeUndefined();
    expect((await store.list('tenant-b', { limit: 10 })).data.map((entry) => entry.id)).toEqual(['resp_b1']);
  });

  it.skipIf(name.startsWith('Netlify') || name.startsWith('Redis'))('keeps within its byte bound, oldest out first', async () => {
    const size = JSON.stringify(record('resp_x1', 't', NOW_S + 1)).length;
    const store = make(mkdtempSync(join(tmpdir(), 'responses-')), size * 3 + 10);
    for (let at = 1; at <= 5; at += 1) await store.put(record(`resp_x${at}`, 't', NOW_S + at));
    const kept = (await store.list('t', { limit: 10 })).data.map((entry) => entry.id);
    expect(kept).toHaveLength(3);
    expect(kept).toContain('resp_x5');
    expect(kept).not.toContain('resp_x1');
  });
});

describe('the folder store', () => {
  it('survives a restart: a new store on the same folder finds every response', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'responses-'));
    const before = createFileResponseStore(dir, 1_000_000, 30 * DAY_MS);
    await before.put(record('resp_1', 'tenant-a', NOW_S + 1));
    await before.put(record('resp_2', 'tenant-a', NOW_S + 2, 'resp_1'));
    const after = createFileResponseStore(dir, 1_000_000, 30 * DAY_MS);
    expect((await after.get('tenant-a', 'resp_2'))?.previous_response_id).toBe('resp_1');
    expect((await after.list('tenant-a', { limit: 10 })).data.map((entry) => entry.id)).toEqual(['resp_2', 'resp_1']);
  });

  it('names folders by a hash of the tenant, never the tenant, and files by time and id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'responses-'));
    const store = createFileResponseStore(dir, 1_000_000, 30 * DAY_MS);
    await store.put(record('resp_1', 'cred:secret-ish', NOW_S + 1));
    const [folder] = readdirSync(dir);
    expect(folder).toMatch(/^[0-9a-f]{32}$/);
    expect(readdirSync(join(dir, folder))).toEqual([`${(NOW_S + 1) * 1000}-resp_1.json`]);
  });

  it('treats a response past its age as gone', async () => {
    let now = (NOW_S + 1) * 1000;
    const store = createFileResponseStore(mkdtempSync(join(tmpdir(), 'responses-')), 1_000_000, DAY_MS, () => now);
    await store.put(record('resp_1', 't', NOW_S + 1));
    expect(await store.get('t', 'resp_1')).toBeDefined();
    now += DAY_MS + 1000;
    expect(await store.get('t', 'resp_1')).toBeUndefined();
    expect((await store.list('t', { limit: 10 })).data).toEqual([]);
  });
});

describe('tenantOf', () => {
  it('is the gateway key when there is one, else a hash of every credential, else local for this machine’s own clients, else none', () => {
    expect(tenantOf('key_1', { authorization: 'Bearer gw-x' }, false)).toBe('key:key_1');
    const a = tenantOf(undefined, { authorization: 'Bearer sk-a', 'content-type': 'application/json' }, false);
    expect(a).toMatch(/^cred:[0-9a-f]{64}$/);
    expect(a).not.toContain('sk-a');
    expect(tenantOf(undefined, { authorization: 'Bearer sk-b' }, false)).not.toBe(a);
    expect(tenantOf(undefined, { 'x-groq-api-key': 'g', 'x-openai-api-key': 'o' }, false)).toBe(tenantOf(undefined, { 'x-openai-api-key': 'o', 'x-groq-api-key': 'g' }, false));
    expect(tenantOf(undefined, { 'content-type': 'application/json' }, true)).toBe('local');
    // A stranger without credentials has no tenant: nothing stored, nothing read.
    expect(tenantOf(undefined, { 'content-type': 'application/json', authorization: ' ' }, false)).toBeUndefined();
  });
});

describe('a conversation from stored responses', () => {
  it('follows previous_response_id back and lists every input and output item, oldest first', async () => {
    const store = createMemoryResponseStore(1_000_000, DAY_MS);
    await store.put(record('resp_1', 't', 1, null, 'first answer'));
    await store.put(record('resp_2', 't', 2, 'resp_1', 'second answer'));
    const chain = await conversationOf(store, 't', 'resp_2');
    expect(chain.map((entry) => entry.id)).toEqual(['resp_1', 'resp_2']);
    expect(historyItems(chain).map((item) => item.id)).toEqual(['msg_in_resp_1', 'msg_out_resp_1', 'msg_in_resp_2', 'msg_out_resp_2']);
  });

  it('an unknown or foreign id is OpenAI’s 404', async () => {
    const store = createMemoryResponseStore(1_000_000, DAY_MS);
    await store.put(record('resp_1', 'other', 1));
    const error = await conversationOf(store, 't', 'resp_1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).status).toBe(404);
    expect((error as GatewayError).toJSON()).toEqual({
      error: { message: "Response with id 'resp_1' not found.", type: 'invalid_request_error', param: 'previous_response_id', code: 'response_not_found' },
    });
  });
});

describe('replayEvents', () => {
  it('replays a stored response as its numbered event sequence, from starting_after on', () => {
    const events = replayEvents(record('resp_1', 't', 1).response);
    const types = events.map((event) => event.event);
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((event) => JSON.parse(event.data).sequence_number)).toEqual(types.map((_, index) => index));
    expect(replayEvents(record('resp_1', 't', 1).response, 6).map((event) => event.event)).toEqual(['response.output_item.done', 'response.completed']);
  });
});
