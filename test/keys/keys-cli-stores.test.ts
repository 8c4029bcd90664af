/**
 * `npm run keys` and where it keeps the keys: the key file without `REDIS_URL`, Redis with it
 * (the file untouched), `--store` to pick one; `update` on both; a Redis it cannot reach is a
 * one-line error naming the host, never the password.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listKeys } from '../../lib/keys/key-commands.js';
import { redisKeyRecords } from '../../lib/store/redis/redis-key-records.js';
import { REDIS_PREFIX } from '../../lib/store/redis/redis-state-store.js';
import type { RedisConnection } from '../../lib/store/redis/redis-connection.js';
import { runKeys } from '../helpers/keys-cli.js';
import { connectRedis, redisServer, type RedisServer } from '../helpers/redis.js';

const folder = mkdtempSync(join(tmpdir(), 'gateway-cli-stores-'));
let server: RedisServer;
let connection: RedisConnection;

beforeAll(async () => {
  server = await redisServer({ user: { name: 'gateway', password: 's3cret-pass' } });
  connection = connectRedis(server.url);
});

afterAll(async () => {
  connection?.close();
  await server?.stop();
});

describe('keys update', () => {
  it('changes scopes, providers and limits of a key in the file; off removes a limit', async () => {
    const store = join(folder, 'update.json');
    expect((await runKeys(store, ['create', 'u', '--rpm', '5'])).code).toBe(0);
    const updated = await runKeys(store, ['update', 'u', '--providers', 'groq', '--rpm', 'off', '--tpm', '1000']);
    expect(updated.code).toBe(0);
    expect(updated.stderr).toMatch(/Updated gateway key "u".*providers groq; rpm -; tpm 1000/);
    const [record] = await listKeys(store);
    expect(record).toMatchObject({ name: 'u', providers: ['groq'], tpm: 1000 });
    expect(record.rpm).toBeUndefined();
    const unknown = await runKeys(store, ['update', 'nobody', '--rpm', '1']);
    expect([unknown.code, unknown.stderr.trim()]).toEqual([1, 'keys: No active key is named or has the id "nobody"']);
  });
});

describe('with REDIS_URL', () => {
  it('create, update, list and revoke work on Redis; the key file is not touched; the password never shows', async () => {
    const file = join(folder, 'untouched.json');
    const env = { REDIS_URL: server.url };
    const created = await runKeys(file, ['create', 'shared', '--rpm', '5'], env);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^gw-[A-Za-z0-9_-]{43}\n$/);
    expect(created.stderr).toContain(`in redis://127.0.0.1:${server.port}/0`);
    expect((await runKeys(file, ['update', 'shared', '--tpm', '50'], env)).code).toBe(0);
    const listed = await runKeys(file, ['list'], env);
    expect(listed.stdout).toMatch(/shared\s+active\s+all\s+all\s+5\s+50/);
    expect((await runKeys(file, ['revoke', 'shared'], env)).code).toBe(0);
    expect(existsSync(file)).toBe(false);
    const records = await listKeys(redisKeyRecords(connection, REDIS_PREFIX));
    expect(records.map((record) => [record.name, record.rpm, record.tpm, record.revoked_at !== undefined])).toEqual([['shared', 5, 50, true]]);
    for (const run of [created, listed]) expect(run.stdout + run.stderr).not.toContain('s3cret-pass');
  });

  it('--store file manages the key file even with REDIS_URL set', async () => {
    const file = join(folder, 'chosen.json');
    expect((await runKeys(file, ['create', 'local', '--store', 'file'], { REDIS_URL: server.url })).code).toBe(0);
    expect((await listKeys(file)).map((record) => record.name)).toEqual(['local']);
    expect((await listKeys(redisKeyRecords(connection, REDIS_PREFIX))).some((record) => record.name === 'local')).toBe(false);
  });

  it('a Redis that cannot be reached is a one-line error naming its host, not its password', async () => {
    const closed: Server = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const run = await runKeys(join(folder, 'none.json'), ['list'], { REDIS_URL: `redis://gateway:s3cret-pass@127.0.0.1:${port}/2` });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^keys: redis://127\\.0\\.0\\.1:${port}/2 is unavailable`));
    expect(run.stderr).not.toContain('s3cret-pass');
  });
});
