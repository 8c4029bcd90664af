/**
 * The admin JSON API under `/admin/api/` (docs/api.md "Admin console and admin API"): what the
 * pages read, and what scripts call with the master key or an `admin` key as a bearer token.
 * Errors have OpenAI's shape; a field at fault is its `param`.
 */
import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { badRequest, GatewayError } from '../errors.js';
import type { Gateway } from '../gateway.js';
import { KeyCommandError } from '../keys/key-commands.js';
import { CancelSignal } from '../upstream/cancel-signal.js';
import type { AdminEnv } from './admin-guard.js';
import type { AdminIdentities } from './admin-identity.js';
import type { KeyAdmin } from './key-admin.js';
import { fieldOfCommandError, type FieldError } from './key-input.js';
import { readKeyInput } from './key-input.js';
import { overview } from './overview.js';
import { preparePlayground, runPlayground, type PlaygroundInput } from './playground.js';
import type { RecentRequests } from './recent-requests.js';
import { filterRequests, readFilter } from './request-filter.js';
import { usageCsv } from './usage-csv.js';
import { readUsageQuery } from './usage-query.js';
import { usageSeries } from './usage-series.js';
import type { UsageSource } from './usage-source.js';

/** What the API works with. */
export interface AdminParts {
  gateway: Gateway;
  recent: RecentRequests;
  usage: UsageSource;
  keys: KeyAdmin;
  identities: AdminIdentities;
}

/** A 400 naming the first bad field, with every one in `fields`. */
export const fieldErrors = (errors: FieldError[]) =>
  new GatewayError({
    status: 400,
    message: errors.map((error) => `${error.field}: ${error.message}`).join('; '),
    param: errors[0].field,
    code: 'invalid_field',
    extra: { fields: errors },
  });

/** A store's refusal as a 400 (naming its field) or 404; anything else rethrown. */
export function commandError(error: unknown): never {
  if (error instanceof KeyCommandError) {
    if (error.message.startsWith('No active key')) throw new GatewayError({ status: 404, message: error.message, code: 'key_not_found' });
    throw new GatewayError({ status: 400, message: error.message, param: fieldOfCommandError(error.message), code: 'invalid_field' });
  }
  throw error;
}

async function jsonBody(c: { req: { json(): Promise<unknown> } }): Promise<Record<string, unknown>> {
  const body = await c.req.json().catch(() => undefined);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('The body must be a JSON object');
  return body as Record<string, unknown>;
}

/** Adds the API's routes to the console's app (paths under its `/admin` base). */
export function addAdminApi(app: Hono<AdminEnv>, parts: AdminParts): void {
  const { gateway, recent, usage, keys } = parts;

  app.get('/api/overview', async (c) => c.json(await overview(gateway, recent, usage)));

  app.get('/api/keys', async (c) => c.json({ object: 'list', data: await keys.list() }));
  app.post('/api/keys', async (c) => {
    const input = readKeyInput(await jsonBody(c), 'create', keys.known);
    if (input.errors) throw fieldErrors(input.errors);
    const created = await keys.create(input.ok).catch(commandError);
    parts.identities.invalidate();
    // The one answer that carries the secret.
    return c.json({ key: created.key, record: created.record }, 201);
  });
  app.patch('/api/keys/:id', async (c) => {
    const input = readKeyInput(await jsonBody(c), 'update', keys.known);
    if (input.errors) throw fieldErrors(input.errors);
    const record = await keys.update(c.req.param('id'), input.ok).catch(commandError);
    parts.identities.invalidate();
    return c.json(record);
  });
  app.delete('/api/keys/:id', async (c) => {
    const record = await keys.revoke(c.req.param('id')).catch(commandError);
    parts.identities.invalidate();
    return c.json(record);
  });

  app.get('/api/usage', async (c) => {
    const query = readUsageQuery(c.req.query(), true);
    const report = await usage.usage(query);
    if (c.req.query('format') !== 'csv') return c.json(report);
    return c.body(usageCsv(report), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="usage-${report.group_by}-${report.from}-${report.to}.csv"`,
    });
  });
  app.get('/api/usage/series', async (c) => {
    const query = readUsageQuery(c.req.query(), false);
    if (query.group_by === 'day') throw badRequest('group_by must be key, model or provider for a series', 'group_by');
    return c.json(await usageSeries(usage, { ...query, group_by: query.group_by }));
  });

  app.get('/api/requests', (c) => c.json({ object: 'list', data: filterRequests(recent.list(), readFilter(c.req.query())) }));

  app.get('/api/providers', (c) =>
    c.json({
      object: 'list',
      default: gateway.config.defaultProvider,
      data: gateway.config.providers.map((provider) => ({
        name: provider.name,
        has_key: provider.apiKeys.length > 0 || provider.keyOptional,
        breaker: gateway.breaker.isOpen(provider.name) ? 'open' : 'closed',
      })),
    }),
  );

  app.post('/api/playground', async (c) => {
    const run = preparePlayground(gateway, (await jsonBody(c)) as PlaygroundInput);
    const signal = new CancelSignal();
    const left = () => signal.abort(new GatewayError({ status: 499, message: 'The page left', code: 'client_closed_request' }));
    return streamSSE(c, async (stream) => {
      stream.onAbort(left);
      await runPlayground(gateway, run, (event, data) => stream.writeSSE({ event, data: JSON.stringify(data) }), signal);
    });
  });
}
