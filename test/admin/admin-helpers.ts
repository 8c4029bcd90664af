/**
 * Shared steps of the admin console's tests: a gateway with a master key and a key file of the
 * test's own, signing in over HTTP, and reading the session cookie.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway, type TestGateway, type TestGatewayOptions } from '../helpers/gateway.js';

export const MASTER = 'admin-test-master-key-0123456789abcdef';

/** A gateway with `GATEWAY_MASTER_KEY` and an empty key file in a fresh folder. */
export async function startAdminGateway(env: Record<string, string> = {}, options: TestGatewayOptions = {}): Promise<TestGateway & { keysFile: string }> {
  const keysFile = join(mkdtempSync(join(tmpdir(), 'admin-keys-')), 'keys.json');
  const gateway = await startGateway({ GATEWAY_MASTER_KEY: MASTER, GATEWAY_KEYS_FILE: keysFile, ...env }, options);
  return { ...gateway, keysFile };
}

/** Posts the sign-in form as the console's own page would. */
export function postSignIn(origin: string, key: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${origin}/admin/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ key }).toString(),
  });
}

/** Signs in and returns the `Cookie` header value for the session. */
export async function signIn(origin: string, key = MASTER): Promise<string> {
  const response = await postSignIn(origin, key);
  if (response.status !== 303) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return (response.headers.get('set-cookie') ?? '').split(';')[0];
}

/** A same-origin form post with the session. */
export function postForm(origin: string, path: string, cookie: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${origin}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin, cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/** A call of the admin API with the master key as a bearer token. */
export function api(origin: string, path: string, init: { method?: string; body?: unknown; key?: string } = {}): Promise<Response> {
  return fetch(`${origin}/admin/api${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${init.key ?? MASTER}`, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}
