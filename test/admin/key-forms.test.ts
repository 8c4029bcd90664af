/**
 * The Keys page's forms: a change posts every field as the page filled it, so an untouched
 * field keeps its value (the exact expiry included), a cleared one removes it; a revoke
 * redirects and says so.
 */
import { mkdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestGateway } from '../helpers/gateway.js';
import { api, postForm, signIn, startAdminGateway } from './admin-helpers.js';

let gateway: TestGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

interface Key {
  id: string;
  name: string;
  status: string;
  rpm: number | null;
  tpm: number | null;
  expires_at: string | null;
  budgets: { day: number | null; month: number | null };
  scopes: string[];
}

/** The value the page put in a field of a key's change form. */
function prefilled(page: string, id: string, name: string): string {
  const match = new RegExp(`id="${id}-${name.replace('.', '-')}" name="${name.replace('.', '\\.')}" value="([^"]*)"`).exec(page);
  if (!match) throw new Error(`no ${name} field for ${id}`);
  return match[1].replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

describe('the Keys page’s change form', () => {
  it('keeps what it did not change, removes what was cleared, and redirects with a notice', async () => {
    gateway = await startAdminGateway();
    const created = (await (await api(gateway.origin, '/keys', { method: 'POST', body: { name: 'team', scopes: ['post:/v1/chat/completions'], rpm: 60, tpm: 1000, expires: '30d', budgets: { day: 1 } } })).json()) as { record: Key };
    const cookie = await signIn(gateway.origin);
    const page = await (await fetch(`${gateway.origin}/admin/keys`, { headers: { cookie } })).text();
    const id = created.record.id;
    const fields = Object.fromEntries(['scopes', 'providers', 'rpm', 'tpm', 'budgets.day', 'budgets.month', 'expires'].map((name) => [name, prefilled(page, id, name)]));
    expect(fields.expires).toBe(created.record.expires_at);
    const saved = await postForm(gateway.origin, `/admin/keys/${id}`, cookie, { ...fields, tpm: '', 'budgets.month': '50' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/admin/keys?changed=team');
    const after = ((await (await api(gateway.origin, '/keys')).json()) as { data: Key[] }).data[0];
    expect(after).toMatchObject({ rpm: 60, tpm: null, expires_at: created.record.expires_at, budgets: { day: 1, month: 50 }, scopes: ['post:/v1/chat/completions'] });
    const revoked = await postForm(gateway.origin, `/admin/keys/${id}/revoke`, cookie, {});
    expect(revoked.headers.get('location')).toBe('/admin/keys?revoked=team');
    expect(await (await fetch(`${gateway.origin}${revoked.headers.get('location')}`, { headers: { cookie } })).text()).toContain('Revoked team');
    // A key no longer active: the form says so instead of failing.
    const again = await postForm(gateway.origin, `/admin/keys/${id}/revoke`, cookie, {});
    expect(again.status).toBe(404);
    expect(await again.text()).toContain('No active key');
  });
});

describe('a key store the console cannot write', () => {
  it('a 503 that says where and what to do instead, on the API and the page', async () => {
    gateway = await startAdminGateway();
    // The key file's path turns into a folder: the records can no longer be read or written.
    mkdirSync((gateway as TestGateway & { keysFile: string }).keysFile);
    const response = await api(gateway.origin, '/keys', { method: 'POST', body: { name: 'nowhere' } });
    expect(response.status).toBe(503);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('key_store_unavailable');
    expect(error.message).toContain((gateway as TestGateway & { keysFile: string }).keysFile);
    expect(error.message).toContain('REDIS_URL');
    const cookie = await signIn(gateway.origin);
    const form = await postForm(gateway.origin, '/admin/keys', cookie, { name: 'nowhere' });
    expect(form.status).toBe(503);
    expect(await form.text()).toContain('cannot be changed here');
  });
});
