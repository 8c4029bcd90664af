/**
 * Enforces a gateway key's budgets (`budgets: {day, month}`, USD per UTC day and month; see
 * `npm run keys -- create NAME --budget 5/day`): before a request of a budgeted key goes on,
 * its spend so far in the current UTC day and month is read from the spend store; at or past
 * a budget, the request gets a 429 `budget_exceeded` with the budget, the spend, when it
 * resets and `Retry-After`. A request already admitted finishes and is counted, so a key may
 * end a period a little past its budget. The master key and keys without budgets pass
 * untouched, and so do GET and HEAD requests (they spend nothing). While the shared store
 * cannot answer, `GATEWAY_LIMITS_ON_STORE_ERROR` decides, as for rate limits: `open` admits,
 * `closed` refuses with a 503 `budget_store_unavailable`.
 */
import type { MiddlewareHandler, Next } from 'hono';
import { GatewayError } from '../errors.js';
import type { GatewayEnv } from '../gateway.js';
import type { Grant } from '../keys/grant.js';
import { formatUsd, roundUsd } from '../pricing/pricer.js';
import type { PeriodSpend, SpendStore } from '../spend/spend-store.js';
import { nextDayStart, nextMonthStart, utcDay } from '../spend/utc-day.js';
import { StoreUnavailableError } from '../store/store-unavailable.js';

/** The periods a budget covers, the longer first: past a month's budget, the day's reset does not help. */
const PERIODS = ['month', 'day'] as const;
type Period = (typeof PERIODS)[number];

/**
 * The 429 for a key past its budget: OpenAI's shape with `budget`, `spent_usd` and
 * `resets_at` in `error` (Anthropic's shape on `/v1/messages`).
 */
export function budgetExceeded(name: string, period: Period, usd: number, spent: number, resetsAt: number, now: number): GatewayError {
  const resets = new Date(resetsAt).toISOString();
  return new GatewayError({
    status: 429,
    message: `Budget reached for gateway key "${name}": $${formatUsd(usd)} per UTC ${period}, $${formatUsd(spent)} spent. It resets at ${resets}.`,
    code: 'budget_exceeded',
    extra: { budget: { period, usd }, spent_usd: roundUsd(spent), resets_at: resets },
    headers: { 'retry-after': String(Math.max(1, Math.ceil((resetsAt - now) / 1000))) },
  });
}

/**
 * The middleware.
 * @param onStoreError `GATEWAY_LIMITS_ON_STORE_ERROR`
 * @param now the clock, in ms since the epoch
 */
export function budget(spend: SpendStore, onStoreError: 'open' | 'closed', now: () => number = Date.now): MiddlewareHandler<GatewayEnv> {
  // Not async for the common case (no budget): the request goes on without a promise of this
  // middleware's own in between (an async layer costs every request a few microtasks).
  return (c, next) => {
    const grant = c.get('grant');
    const budgets = grant?.budgets;
    if (grant === undefined || budgets === undefined || c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return check(next, grant.name, budgets);
  };

  async function check(next: Next, name: string, budgets: NonNullable<Grant['budgets']>): Promise<void> {
    const at = now();
    let spent: PeriodSpend;
    try {
      spent = await spend.spent(name, utcDay(at));
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      if (onStoreError === 'open') return next();
      throw new GatewayError({
        status: 503,
        message: `The budget of gateway key "${name}" cannot be checked right now (the shared store is unavailable). Try again shortly.`,
        code: 'budget_store_unavailable',
        headers: { 'retry-after': '1' },
      });
    }
    for (const period of PERIODS) {
      const usd = budgets[period];
      if (usd !== undefined && spent[period] >= usd) {
        throw budgetExceeded(name, period, usd, spent[period], period === 'day' ? nextDayStart(at) : nextMonthStart(at), at);
      }
    }
    return next();
  }
}
