/**
 * The admin console's security rules, over HTTP against a real gateway: sign-in (a wrong key
 * waits and gets no session; the rate limit), the session cookie (its attributes; a forged or
 * expired one signs out; a revoked admin key's session ends), cross-site changes refused,
 * the API's 401s, security headers and the CSP, secrets never shown twice, and
 * `GATEWAY_ADMIN=off`.
 */
import { readFileSync } from 'node:fs';
import { generateSignedCookie } from 'hono/cookie';
import { afterEach, describe, expect, it } from 'vitest';
import { SIGN_IN_FAILURE_DELAY_MS } from '../../lib/admin/admin-app.js';
import { SESSION_COOKIE, sessionSecret } from '../../lib/admin/admin-session.js';
import type { TestGateway } from '../helpers/gateway.js';
import { api, MASTER, postForm, postSignIn, signIn, startAdminGateway } from './admin-helpers.js';

let gateway: (TestGateway & { keysFile: string }) | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

const PAGES = ['/admin', '/admin/keys', '/admin/usage', '/admin/requests', '/admin/playground'];

describe('signing in', () => {
  it('a wrong key: the sign-in page again with a message, after the delay, and no cookie', async () => {
    gateway = await startAdminGateway();
    const started = performance.now();
    const response = await postSignIn(gateway.origin, 'not-the-master-key-at-all-0000000000');
    expect(performance.now() - started).toBeGreaterThanOrEqual(SIGN_IN_FAILURE_DELAY_MS - 50);
    expect(response.status).toBe(401);
    expect(response.headers.get('set-cookie')).toBeNull();
    const page = await response.text();
    expect(page).toContain('That is not the master key or a key with the admin scope.');
    expect(page).toContain('name="key"');
    expect((await fetch(`${gateway.origin}/admin`, { redirect: 'manual' })).headers.get('location')).toBe('/admin/sign-in');
  });

  it('the master key: a signed HttpOnly SameSite=Strict cookie for /admin that opens every page; Secure behind https', async () => {
    gateway = await startAdminGateway();
    const response = await postSignIn(gateway.origin, MASTER);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin');
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=`));
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/admin');
    expect(cookie).toContain('Max-Age=28800');
    expect(cookie).not.toContain('Secure');
    expect(cookie).not.toContain(MASTER);
    for (const path of PAGES) {
      const page = await fetch(`${gateway.origin}${path}`, { headers: { cookie: cookie.split(';')[0] } });
      expect(page.status, path).toBe(200);
    }
    const behindTls = await postSignIn(gateway.origin, MASTER, { 'x-forwarded-proto': 'https' });
    expect(behindTls.headers.get('set-cookie')).toContain('Secure');
  });

  it('is rate-limited per client: past GATEWAY_ADMIN_SIGNIN_RPM a 429 page, even with the right key', async () => {
    gateway = await startAdminGateway({ GATEWAY_ADMIN_SIGNIN_RPM: '2' });
    expect((await postSignIn(gateway.origin, MASTER)).status).toBe(303);
    expect((await postSignIn(gateway.origin, MASTER)).status).toBe(303);
    const third = await postSignIn(gateway.origin, MASTER);
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(third.headers.get('set-cookie')).toBeNull();
    expect(await third.text()).toContain('Too many sign-in attempts');
  });

  it('a key with the admin scope signs in; a key with scope all does not; revoking the admin key ends its session', async () => {
    gateway = await startAdminGateway();
    const admin = (await (await api(gateway.origin, '/keys', { method: 'POST', body: { name: 'ops', scopes: ['admin'] } })).json()) as { key: string; record: { id: string } };
    const all = (await (await api(gateway.origin, '/keys', { method: 'POST', body: { name: 'app' } })).json()) as { key: string };
    expect((await postSignIn(gateway.origin, all.key)).status).toBe(401);
    expect((await api(gateway.origin, '/keys', { key: all.key })).status).toBe(401);
    expect((await api(gateway.origin, '/keys', { key: admin.key })).status).toBe(200);
    const cookie = await signIn(gateway.origin, admin.key);
    expect((await fetch(`${gateway.origin}/admin/api/overview`, { headers: { cookie } })).status).toBe(200);
    expect((await api(gateway.origin, `/keys/${admin.record.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(`${gateway.origin}/admin/api/overview`, { headers: { cookie } })).status).toBe(401);
    expect((await api(gateway.origin, '/keys', { key: admin.key })).status).toBe(401);
  });
});

describe('the session cookie', () => {
  it('forged (changed subject, or a signature of another secret) or expired: signed out', async () => {
    gateway = await startAdminGateway();
    const cookie = await signIn(gateway.origin);
    const value = decodeURIComponent(cookie.slice(SESSION_COOKIE.length + 1));
    const [content, signature] = [value.slice(0, value.lastIndexOf('.')), value.slice(value.lastIndexOf('.') + 1)];
    const farFuture = `master.${Date.now() + 10 * 86_400_000}`;
    const forgedContent = `${SESSION_COOKIE}=${encodeURIComponent(`${farFuture}.${signature}`)}`;
    const otherSecret = (await generateSignedCookie(SESSION_COOKIE, farFuture, 'some-other-secret-entirely')).split(';')[0];
    const secret = sessionSecret({}, MASTER);
    const expired = (await generateSignedCookie(SESSION_COOKIE, `master.${Date.now() - 1000}`, secret)).split(';')[0];
    const valid = (await generateSignedCookie(SESSION_COOKIE, `master.${Date.now() + 60_000}`, secret)).split(';')[0];
    expect(content).toMatch(/^master\.\d+$/);
    for (const bad of [forgedContent, otherSecret, expired, `${SESSION_COOKIE}=master.99999999999999`]) {
      const apiAnswer = await fetch(`${gateway.origin}/admin/api/keys`, { headers: { cookie: bad } });
      expect(apiAnswer.status, bad).toBe(401);
      const page = await fetch(`${gateway.origin}/admin/keys`, { headers: { cookie: bad }, redirect: 'manual' });
      expect(page.status).toBe(303);
      expect(page.headers.get('location')).toMatch(/^\/admin\/sign-in/);
    }
    // The same construction with the right secret is accepted: the refusals above are about the signature and expiry.
    expect((await fetch(`${gateway.origin}/admin/api/keys`, { headers: { cookie: valid } })).status).toBe(200);
  });

  it('is accepted by another instance with the same master key and admin secret (derived), by none with another', async () => {
    gateway = await startAdminGateway();
    const cookie = await signIn(gateway.origin);
    const twin = await startAdminGateway();
    const stranger = await startAdminGateway({ GATEWAY_MASTER_KEY: 'another-master-key-0123456789abcdefgh' });
    const withSecret = await startAdminGateway({ GATEWAY_ADMIN_SECRET: 'an-admin-secret-of-the-deployment-0123' });
    try {
      expect((await fetch(`${twin.origin}/admin/api/keys`, { headers: { cookie } })).status).toBe(200);
      expect((await fetch(`${stranger.origin}/admin/api/keys`, { headers: { cookie } })).status).toBe(401);
      expect((await fetch(`${withSecret.origin}/admin/api/keys`, { headers: { cookie } })).status).toBe(401);
    } finally {
      await twin.close();
      await stranger.close();
      await withSecret.close();
    }
  });

  it('signing out clears it', async () => {
    gateway = await startAdminGateway();
    const cookie = await signIn(gateway.origin);
    const response = await postForm(gateway.origin, '/admin/sign-out', cookie, {});
    expect(response.status).toBe(303);
    expect(response.headers.get('set-cookie')).toMatch(new RegExp(`^${SESSION_COOKIE}=;.*Max-Age=0`));
  });
});

describe('cross-site requests', () => {
  it('a cross-site form post is refused (403) and changes nothing; sign-in from another site too', async () => {
    gateway = await startAdminGateway();
    const cookie = await signIn(gateway.origin);
    const evil = { origin: 'http://evil.example' };
    const created = await postForm(gateway.origin, '/admin/keys', cookie, { name: 'planted' }, evil);
    expect(created.status).toBe(403);
    const noOrigin = await postForm(gateway.origin, '/admin/keys', cookie, { name: 'planted' }, { origin: '', 'sec-fetch-site': 'cross-site' });
    expect(noOrigin.status).toBe(403);
    expect((await postSignIn(gateway.origin, MASTER, evil)).status).toBe(403);
    const keys = (await (await api(gateway.origin, '/keys')).json()) as { data: unknown[] };
    expect(keys.data).toEqual([]);
    // The same post from the console's own origin works.
    expect((await postForm(gateway.origin, '/admin/keys', cookie, { name: 'planted' })).status).toBe(200);
  });

  it('a JSON change with the session cookie needs the console’s own origin; a bearer key needs none', async () => {
    gateway = await startAdminGateway();
    const cookie = await signIn(gateway.origin);
    const post = (headers: Record<string, string>) =>
      fetch(`${gateway?.origin}/admin/api/keys`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', ...headers }, body: JSON.stringify({ name: 'json-key' }) });
    expect((await post({ origin: 'http://evil.example' })).status).toBe(403);
    expect((await post({})).status).toBe(403);
    expect((await post({ origin: gateway.origin })).status).toBe(201);
    expect((await api(gateway.origin, '/keys', { method: 'POST', body: { name: 'script-key' } })).status).toBe(201);
  });
});

describe('the admin API', () => {
  it('without a session or key: 401 JSON on every route', async () => {
    gateway = await startAdminGateway();
    for (const [method, path] of [['GET', '/overview'], ['GET', '/keys'], ['POST', '/keys'], ['PATCH', '/keys/key_000000000000'], ['DELETE', '/keys/key_000000000000'], ['GET', '/usage'], ['GET', '/requests'], ['POST', '/playground']]) {
      const response = await fetch(`${gateway.origin}/admin/api${path}`, { method, headers: { 'content-type': 'application/json', origin: gateway.origin }, body: method === 'GET' ? undefined : '{}' });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/json');
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('admin_unauthorized');
    }
    expect((await api(gateway.origin, '/keys', { key: 'wrong-key-wrong-key-wrong-key-wrong' })).status).toBe(401);
  });

  it('a bad scope, limit or budget: 400 naming the field, in the API and on the form', async () => {
    gateway = await startAdminGateway();
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'a', scopes: ['write-everything'] }, 'scopes'],
      [{ name: 'a', rpm: 0 }, 'rpm'],
      [{ name: 'a', tpm: 'lots' }, 'tpm'],
      [{ name: 'a', budgets: { day: -5 } }, 'budgets.day'],
      [{ name: 'a', budgets: { month: 'ten' } }, 'budgets.month'],
      [{ name: 'a', providers: ['nosuchprovider'] }, 'providers'],
      [{ name: 'bad name!' }, 'name'],
      [{ name: 'a', expires: 'yesterday' }, 'expires'],
      // A budget in a shape the API does not take is refused, never dropped into an uncapped key.
      [{ name: 'a', budgets: 5 }, 'budgets'],
      [{ name: 'a', budgets: '5/day' }, 'budgets'],
      [{ name: 'a', budgets: { daily: 5 } }, 'budgets'],
      [{ name: 'a', budget: { day: 5 } }, 'budget'],
    ];
    for (const [body, field] of cases) {
      const response = await api(gateway.origin, '/keys', { method: 'POST', body });
      expect(response.status, field).toBe(400);
      const error = ((await response.json()) as { error: { param: string; message: string } }).error;
      expect(error.param).toBe(field);
      expect(error.message).toContain(`${field}:`);
    }
    const patchedKey = await api(gateway.origin, '/keys', { method: 'POST', body: { name: 'patched' } });
    expect(patchedKey.status).toBe(201);
    for (const [body, field] of [[{ budgets: 5 }, 'budgets'], [{ hash: 'x' }, 'hash'], [{ name: 'renamed' }, 'name']] as const) {
      const changed = await api(gateway.origin, '/keys/patched', { method: 'PATCH', body });
      expect(changed.status, field).toBe(400);
      expect(((await changed.json()) as { error: { param: string } }).error.param).toBe(field);
    }
    const cookie = await signIn(gateway.origin);
    const form = await postForm(gateway.origin, '/admin/keys', cookie, { name: 'ok-name', scopes: 'all, nonsense', rpm: '-3', 'budgets.day': 'abc' });
    expect(form.status).toBe(400);
    const page = await form.text();
    for (const field of ['scopes', 'rpm', 'budgets.day']) expect(page).toContain(`data-field="${field}"`);
    expect(page).toContain('&quot;nonsense&quot; is not a scope');
    expect(page).toContain('aria-invalid="true"');
    // An update's bad budget names it too, and the key stays as it was.
    const created = (await (await api(gateway.origin, '/keys', { method: 'POST', body: { name: 'budgeted', budgets: { day: 5 } } })).json()) as { record: { id: string } };
    const update = await api(gateway.origin, `/keys/${created.record.id}`, { method: 'PATCH', body: { budgets: { month: 0 } } });
    expect(((await update.json()) as { error: { param: string } }).error.param).toBe('budgets.month');
    const name = await api(gateway.origin, '/keys', { method: 'POST', body: { name: 'budgeted' } });
    expect(((await name.json()) as { error: { param: string } }).error.param).toBe('name');
  });

  it('a key’s secret is in the answer that created it and nowhere after: not in the list, the pages or as a hash', async () => {
    gateway = await startAdminGateway();
    const response = await api(gateway.origin, '/keys', { method: 'POST', body: { name: 'secretive', budgets: { day: 2.5, month: 40 } } });
    expect(response.status).toBe(201);
    const { key, record } = (await response.json()) as { key: string; record: Record<string, unknown> };
    expect(key).toMatch(/^gw-/);
    expect(record).not.toHaveProperty('hash');
    const hash = (JSON.parse(readFileSync(gateway.keysFile, 'utf8')) as { keys: { hash: string }[] }).keys[0].hash;
    const cookie = await signIn(gateway.origin);
    // The new key works at once (the key file is read again), and shows in the lists.
    expect((await fetch(`${gateway.origin}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).status).not.toBe(401);
    const texts = [await (await api(gateway.origin, '/keys')).text(), await (await api(gateway.origin, '/requests')).text()];
    for (const path of PAGES) texts.push(await (await fetch(`${gateway.origin}${path}`, { headers: { cookie } })).text());
    for (const text of texts) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(hash);
    }
    expect(texts[0]).toContain('"budgets":{"day":2.5,"month":40}');
    // The form's answer shows it once too, with a copy button, and is never cached.
    const form = await postForm(gateway.origin, '/admin/keys', cookie, { name: 'from-form' });
    const page = await form.text();
    expect(page).toMatch(/<code id="new-secret">gw-[^<]+<\/code> <button type="button" data-copy="#new-secret">Copy<\/button>/);
    expect(form.headers.get('cache-control')).toBe('no-store');
  });
});

describe('headers', () => {
  it('every page, the API and the sign-in page carry the CSP and strict security headers; assets are fingerprinted and immutable', async () => {
    gateway = await startAdminGateway();
    const cookie = await signIn(gateway.origin);
    const answers = [await fetch(`${gateway.origin}/admin/sign-in`), await api(gateway.origin, '/overview'), await fetch(`${gateway.origin}/admin/api/keys`)];
    for (const path of PAGES) answers.push(await fetch(`${gateway.origin}${path}`, { headers: { cookie } }));
    for (const answer of answers) {
      const csp = answer.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('referrer-policy')).toBe('same-origin');
      expect(answer.headers.get('cache-control')).toBe('no-store');
    }
    const page = await (await fetch(`${gateway.origin}/admin`, { headers: { cookie } })).text();
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page).not.toMatch(/\sstyle="/);
    expect(page).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    const [, script] = /<script src="(\/admin\/assets\/admin\.[0-9a-f]{16}\.js)"/.exec(page) ?? [];
    const [, style] = /<link rel="stylesheet" href="(\/admin\/assets\/admin\.[0-9a-f]{16}\.css)"/.exec(page) ?? [];
    for (const asset of [script, style]) {
      const answer = await fetch(`${gateway.origin}${asset}`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    expect((await fetch(`${gateway.origin}/admin/assets/admin.0000000000000000.js`)).status).toBe(404);
  });
});

describe('GATEWAY_ADMIN=off', () => {
  it('serves no /admin at all', async () => {
    gateway = await startAdminGateway({ GATEWAY_ADMIN: 'off' });
    expect((await fetch(`${gateway.origin}/admin/sign-in`)).status).toBe(404);
    expect((await api(gateway.origin, '/keys')).status).toBe(404);
  });
});

describe('GATEWAY_ADMIN_PORT', () => {
  it('may not be PORT itself', async () => {
    const { loadConfig, ConfigError } = await import('../../lib/config.js');
    expect(() => loadConfig({ PORT: '3000', GATEWAY_ADMIN_PORT: '3000' })).toThrow(ConfigError);
    expect(loadConfig({ PORT: '3000', GATEWAY_ADMIN_PORT: '3001' }).admin.port).toBe(3001);
  });
});
