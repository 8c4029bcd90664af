/**
 * The console and `npm run keys` change the same records: the key file by default, Redis with
 * `REDIS_URL` (where every instance sees a change at once, accepts another instance's session,
 * and counts sign-in attempts together).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../helpers/gateway.js';
import { eventually, runKeys } from '../helpers/keys-cli.js';
import { redisServer, type RedisServer } from '../helpers/redis.js';
import { api, MASTER, postSignIn, signIn, startAdminGateway } from './admin-helpers.js';

const gateways: TestGateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
});

const names = async (origin: string) => ((await (await api(origin, '/keys')).json()) as { data: { name: string; status: string }[] }).data;

describe('with the key file', () => {
  it('a key the CLI made shows on the console; one the console made, the CLI lists and revokes', async () => {
    const gateway = await startAdminGateway();
    gateways.push(gateway);
    const made = await runKeys(gateway.keysFile, ['create', 'from-cli', '--scopes', 'admin']);
    expect(made.code, made.stderr).toBe(0);
    await eventually(async () => (await names(gateway.origin)).some((key) => key.name === 'from-cli'));
    expect((await api(gateway.origin, '/keys', { method: 'POST', body: { name: 'from-console' } })).status).toBe(201);
    const listed = await runKeys(gateway.keysFile, ['list']);
    expect(listed.stdout).toContain('from-console');
    expect((await runKeys(gateway.keysFile, ['revoke', 'from-console'])).code).toBe(0);
    await eventually(async () => (await names(gateway.origin)).find((key) => key.name === 'from-console')?.status === 'revoked');
    // The CLI's admin key signs in to the console.
    expect((await postSignIn(gateway.origin, made.stdout.trim())).status).toBe(303);
  });
});

describe('with REDIS_URL', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await redisServer();
  }, 20_000);
  afterAll(async () => {
    await redis?.stop();
  });

  it('two instances and the CLI share the keys, the sessions and the sign-in limit', async () => {
    const keysFile = join(mkdtempSync(join(tmpdir(), 'admin-redis-')), 'keys.json');
    const env = { REDIS_URL: redis.url, GATEWAY_ADMIN_SIGNIN_RPM: '2', GATEWAY_REDIS_TIMEOUT_MS: '2000' };
    const a = await startAdminGateway(env);
    const b = await startAdminGateway(env);
    gateways.push(a, b);
    const created = (await (await api(a.origin, '/keys', { method: 'POST', body: { name: 'shared', budgets: { day: 3 } } })).json()) as { key: string };
    // B accepts the key at once (Redis tells every instance), and the CLI sees it in Redis, not in the file.
    await eventually(async () => (await fetch(`${b.origin}/v1/models`, { headers: { authorization: `Bearer ${created.key}` } })).status !== 401);
    const listed = await runKeys(keysFile, ['list'], { REDIS_URL: redis.url });
    expect(listed.stdout).toContain('shared');
    expect((await runKeys(keysFile, ['list', '--store', 'file'])).stdout).not.toContain('shared');
    expect((await names(b.origin)).find((key) => key.name === 'shared')).toBeDefined();
    // A session made on A works on B (the secret is derived from the shared master key).
    const cookie = await signIn(a.origin, MASTER);
    expect((await fetch(`${b.origin}/admin/api/keys`, { headers: { cookie } })).status).toBe(200);
    // The second attempt was on B: the third, on A, is over the shared limit of 2 a minute.
    expect((await postSignIn(b.origin, MASTER)).status).toBe(303);
    expect((await postSignIn(a.origin, MASTER)).status).toBe(429);
    // Revoked on B: refused on A at once.
    expect((await api(b.origin, '/keys/shared', { method: 'DELETE' })).status).toBe(200);
    await eventually(async () => (await fetch(`${a.origin}/v1/models`, { headers: { authorization: `Bearer ${created.key}` } })).status === 401);
  });

  it('while Redis is down, the pages and the API that read spend answer 503, not 500', async () => {
    const own = await redisServer();
    const gateway = await startAdminGateway({ REDIS_URL: own.url, GATEWAY_REDIS_TIMEOUT_MS: '200', GATEWAY_REDIS_CONNECT_TIMEOUT_MS: '200' });
    gateways.push(gateway);
    const cookie = await signIn(gateway.origin, MASTER);
    expect((await api(gateway.origin, '/usage')).status).toBe(200);
    await own.stop();
    for (const path of ['/usage', '/overview']) {
      const refused = await api(gateway.origin, path);
      expect(refused.status, path).toBe(503);
      expect(refused.headers.get('retry-after'), path).toBe('5');
      expect(((await refused.json()) as { error: { code: string } }).error.code, path).toBe('store_unavailable');
    }
    const page = await fetch(`${gateway.origin}/admin/usage`, { headers: { cookie } });
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('Redis');
  }, 20_000);
});
