/**
 * The console costs the proxy's path one O(1) listener and nothing else: with it on, the
 * gateway has exactly one more request listener than with it off, and a proxy answer carries
 * none of the console's headers (its middleware never runs for `/v1`).
 */
import { describe, expect, it } from 'vitest';
import { createGatewayApp } from '../../lib/app.js';
import { loadConfig } from '../../lib/config.js';
import { RecentRequests } from '../../lib/admin/recent-requests.js';
import type { RequestRecord } from '../../lib/usage/request-record.js';
import { ENVIRONMENT_KEYS } from '../helpers/gateway.js';

const config = (admin: 'on' | 'off') => loadConfig({ LOG_LEVEL: 'silent', GATEWAY_AUTH: 'off', GATEWAY_ADMIN: admin, ...ENVIRONMENT_KEYS });

describe('the console on the proxy’s path', () => {
  it('adds exactly one request listener, and none when off', () => {
    const off = createGatewayApp(config('off'), { exposed: false });
    const on = createGatewayApp(config('on'), { exposed: false });
    expect(off.admin).toBeUndefined();
    expect(on.gateway.listeners.length - off.gateway.listeners.length).toBe(1);
    expect(on.gateway.listeners.at(-1)).toBe(on.admin?.recent.listener);
  });

  it('a proxy answer carries none of the console’s headers', async () => {
    const { app } = createGatewayApp(config('on'), { exposed: false });
    for (const path of ['/health', '/v1/nothing-here']) {
      const response = await app.request(path);
      expect(response.headers.get('content-security-policy'), path).toBeNull();
      expect(response.headers.get('x-frame-options'), path).toBeNull();
    }
  });

  it('the ring stays bounded', () => {
    const recent = new RecentRequests(1000);
    const record = { id: 'r', at: 0, method: 'POST', path: '/v1/chat/completions', status: 200, attempts: 1, ttfb_ms: 1, duration_ms: 1 } satisfies RequestRecord;
    for (let index = 0; index < 5000; index += 1) recent.listener(record);
    expect(recent.size).toBe(1000);
    expect(recent.list()).toHaveLength(1000);
  });
});
