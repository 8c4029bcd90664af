/**
 * `GET /v1/usage`: the gateway's own spend report (see `spend/usage-report.ts`), never
 * forwarded to a provider. Who sees what: the master key every key's spend; a gateway key
 * with the scope `get:/v1/usage` its own only; with gateway keys off, or on a loopback-only
 * gateway without keys, this machine's own clients everything. Anyone else: 401 (no
 * credential the gateway knows) or 403 (a key without the scope, or asking for another key).
 * Query: `from`, `to` (UTC days `YYYY-MM-DD`, both included; today by default), `group_by`
 * (`key`, `model`, `provider` or `day`, the default), `key` (one key's spend; the master key
 * or a local client only). A bad value is a 400 naming the parameter.
 */
import type { Context } from 'hono';
import { badRequest, GatewayError } from '../errors.js';
import type { Gateway, GatewayEnv } from '../gateway.js';
import { MASTER_ID } from '../keys/grant.js';
import { SPEND_RETENTION_DAYS } from '../spend/spend-store.js';
import { GROUP_BY, usageReport, type GroupBy } from '../spend/usage-report.js';
import { dayCount, isDay, utcDay } from '../spend/utc-day.js';
import { StoreUnavailableError } from '../store/store-unavailable.js';
import { ownRouteCaller } from './own-route-caller.js';
import { gatewayHeaders } from './respond.js';

/**
 * Any other request for the usage path (another method, or `/{provider}/v1/usage`): the
 * report is the gateway's own and never goes to a provider.
 * @throws GatewayError 405 or 404
 */
export function usageElsewhere(c: Context<GatewayEnv>): never {
  if (c.req.param('provider') !== undefined) {
    throw new GatewayError({ status: 404, message: 'Usage is the gateway\'s own: GET /v1/usage (it is never sent to a provider)', code: 'unknown_url' });
  }
  throw new GatewayError({ status: 405, message: `${c.req.method} /v1/usage is not served: usage is read with GET`, code: 'method_not_allowed', headers: { allow: 'GET' } });
}

/** The key whose spend the caller may see: every key (undefined), or its own name. */
function allowedKey(gateway: Gateway, c: Context<GatewayEnv>): { own?: string } {
  const grant = ownRouteCaller(gateway, c, 'GET /v1/usage', 'the master key (GATEWAY_MASTER_KEY) or a gateway key with the scope get:/v1/usage');
  if (grant === undefined || grant.id === MASTER_ID) return {};
  if (!grant.allowsRoute('GET', '/usage', '')) {
    throw new GatewayError({ status: 403, message: `Gateway key "${grant.name}" has no scope for GET /v1/usage (it needs get:/v1/usage)`, code: 'scope_not_granted' });
  }
  return { own: grant.name };
}

function day(value: string | undefined, name: string, fallback: string): string {
  if (value === undefined || value === '') return fallback;
  if (!isDay(value)) throw badRequest(`${name} must be a UTC day as YYYY-MM-DD, got "${value}"`, name, `invalid_${name}`);
  return value;
}

/**
 * Serves the report.
 * @param now the clock, in ms since the epoch (today's default range)
 * @throws GatewayError 400, 401, 403; 503 `usage_store_unavailable` while the shared store cannot answer
 */
export async function usage(gateway: Gateway, c: Context<GatewayEnv>, now: () => number = Date.now): Promise<Response> {
  c.get('meta').operation = 'usage';
  const { own } = allowedKey(gateway, c);
  const today = utcDay(now());
  const from = day(c.req.query('from'), 'from', today);
  const to = day(c.req.query('to'), 'to', today);
  if (to < from) throw badRequest(`to (${to}) is before from (${from})`, 'to', 'invalid_to');
  if (dayCount(from, to) > SPEND_RETENTION_DAYS) throw badRequest(`from..to spans more than ${SPEND_RETENTION_DAYS} days, the spend kept`, 'from', 'invalid_from');
  const groupBy = c.req.query('group_by') ?? 'day';
  if (!(GROUP_BY as readonly string[]).includes(groupBy)) throw badRequest(`group_by must be one of ${GROUP_BY.join(', ')}, got "${groupBy}"`, 'group_by', 'invalid_group_by');
  const key = c.req.query('key');
  if (key !== undefined && own !== undefined && key !== own) {
    throw new GatewayError({ status: 403, message: `Gateway key "${own}" may only see its own usage (key=${own})`, code: 'scope_not_granted', param: 'key' });
  }
  try {
    const report = await usageReport(gateway.state.spend, { from, to, group_by: groupBy as GroupBy, key: own ?? (key || undefined) });
    return c.json(report, 200, gatewayHeaders(c.get('meta'), c.get('requestId')));
  } catch (error) {
    if (!(error instanceof StoreUnavailableError)) throw error;
    throw new GatewayError({ status: 503, message: 'Usage cannot be read right now (the shared store is unavailable). Try again shortly.', code: 'usage_store_unavailable', headers: { 'retry-after': '1' } });
  }
}
