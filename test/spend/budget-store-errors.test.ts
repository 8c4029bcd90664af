/**
 * A budgeted key while the spend store cannot answer follows GATEWAY_LIMITS_ON_STORE_ERROR,
 * as rate limits do: `open` admits, `closed` refuses with a 503 `budget_store_unavailable`.
 * A key without budgets never reads the store.
 */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { errorResponse } from '../../lib/errors.js';
import type { GatewayEnv } from '../../lib/gateway.js';
import { compileGrant } from '../../lib/keys/grant.js';
import { budget } from '../../lib/middleware/budget.js';
import type { SpendStore } from '../../lib/spend/spend-store.js';
import { StoreUnavailableError } from '../../lib/store/store-unavailable.js';

function appWith(onStoreError: 'open' | 'closed', budgets?: { day?: number }) {
  let reads = 0;
  const down: SpendStore = {
    add: async () => undefined,
    rows: async () => [],
    spent: async () => {
      reads += 1;
      throw new StoreUnavailableError('down');
    },
  };
  const app = new Hono<GatewayEnv>();
  const grant = compileGrant({ id: 'k1', name: 'team', hash: '', scopes: ['all'], providers: [], created_at: '', ...(budgets ? { budgets } : {}) });
  app.use(async (c, next) => {
    c.set('grant', grant);
    await next();
  });
  app.post('/v1/chat/completions', budget(down, onStoreError), (c) => c.json({ ok: true }));
  app.onError((error) => errorResponse(error));
  return { app, reads: () => reads };
}

describe('budgets while the store is down', () => {
  it('open: admitted', async () => {
    const { app, reads } = appWith('open', { day: 5 });
    expect((await app.request('/v1/chat/completions', { method: 'POST' })).status).toBe(200);
    expect(reads()).toBe(1);
  });

  it('closed: a 503 budget_store_unavailable with Retry-After', async () => {
    const { app } = appWith('closed', { day: 5 });
    const response = await app.request('/v1/chat/completions', { method: 'POST' });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('budget_store_unavailable');
  });

  it('a key without budgets never reads the store', async () => {
    const { app, reads } = appWith('closed');
    expect((await app.request('/v1/chat/completions', { method: 'POST' })).status).toBe(200);
    expect(reads()).toBe(0);
  });
});
