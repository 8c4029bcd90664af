/**
 * `GATEWAY_ADMIN_PORT` under `npm start` (lib/server.ts in a child process): the console on
 * its own port, `/admin` on the main port a 404, and the start-up summary says where it is.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startServer } from '../helpers/npm-start.js';
import { MASTER, signIn } from './admin-helpers.js';

/** A port free a moment ago. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('npm start with GATEWAY_ADMIN_PORT', () => {
  it('serves the console there and not on the main port', async () => {
    const adminPort = await freePort();
    const server = await startServer({ GATEWAY_MASTER_KEY: MASTER, GATEWAY_ADMIN_PORT: String(adminPort), GATEWAY_KEYS_FILE: '/nonexistent-admin-test/keys.json' });
    try {
      expect(server.stderr()).toContain(`admin console: http://127.0.0.1:${adminPort}/admin (GATEWAY_ADMIN_PORT; not on the main port)`);
      const main = `http://127.0.0.1:${server.port}`;
      const admin = `http://127.0.0.1:${adminPort}`;
      expect((await fetch(`${main}/admin/sign-in`)).status).toBe(404);
      expect((await fetch(`${main}/health`)).status).toBe(200);
      const signInPage = await fetch(`${admin}/admin/sign-in`);
      expect(signInPage.status).toBe(200);
      expect(signInPage.headers.get('content-security-policy')).toContain("default-src 'none'");
      const cookie = await signIn(admin);
      expect((await fetch(`${admin}/admin/api/overview`, { headers: { cookie } })).status).toBe(200);
      expect((await fetch(`${admin}/`, { redirect: 'manual' })).headers.get('location')).toBe('/admin');
      expect((await fetch(`${admin}/v1/models`)).status).toBe(404);
    } finally {
      await server.stop();
    }
  });

  it('without it: /admin on the main port, as the summary says', async () => {
    const server = await startServer({ GATEWAY_MASTER_KEY: MASTER, GATEWAY_KEYS_FILE: '/nonexistent-admin-test/keys.json' });
    try {
      expect(server.stderr()).toContain('admin console: /admin, sign in with GATEWAY_MASTER_KEY or a key with the admin scope');
      expect((await fetch(`http://127.0.0.1:${server.port}/admin/sign-in`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
