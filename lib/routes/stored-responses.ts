/**
 * Reading stored responses, from the gateway's own store whatever provider made them, each
 * within its tenant (one tenant's id is a 404 to another):
 *
 * - `GET /v1/responses/{id}`: the response; with `?stream=true`, replayed as its events
 *   (from `starting_after` on);
 * - `GET /v1/responses/{id}/input_items`: its input items (`limit`, `order`, `after`);
 * - `DELETE /v1/responses/{id}`;
 * - `GET /v1/responses`: the tenant's responses, newest first (`limit`, `after`).
 *
 * @see https://platform.openai.com/docs/api-reference/responses/get
 */
import type { Context } from 'hono';
import { badRequest, GatewayError } from '../errors.js';
import type { Gateway, GatewayEnv } from '../gateway.js';
import { responseNotFound } from '../responses/conversation.js';
import { replayEvents } from '../responses/replay-events.js';
import { tenantOf } from '../responses/tenant.js';
import { encodeEvents } from '../sse/encode-sse.js';

const ROUTE = /^\/responses(?:\/([^/]+)(\/input_items)?)?$/;

/**
 * Whether `method` on `path` (after `/v1`, without a trailing slash) is the gateway's own: every
 * path under `/responses` but the `POST /responses` that creates one. None of them is passed to
 * a provider, so that no provider's own copy is read, changed or cancelled around the tenant.
 */
export function isStoredResponsesRoute(method: string, path: string): boolean {
  if (path === '/responses') return method !== 'POST';
  return path.startsWith('/responses/');
}

/** The route's parts, or undefined for a method and path the gateway does not serve. */
function routeOf(method: string, path: string): { id?: string; inputItems: boolean } | undefined {
  const match = ROUTE.exec(path);
  if (match === null) return undefined;
  const [, id, inputItems] = match;
  if (method === 'GET') return { id, inputItems: inputItems !== undefined };
  if (method === 'DELETE' && id !== undefined && inputItems === undefined) return { id, inputItems: false };
  return undefined;
}

/** A non-negative integer query parameter, or `fallback` when absent. */
function countOf(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,9}$/.test(value)) throw badRequest(`\`${name}\` must be a non-negative integer`, name, `invalid_${name}`);
  return Number(value);
}

function limitOf(value: string | undefined): number {
  if (value === undefined) return 20;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw badRequest('`limit` must be an integer from 1 to 100', 'limit', 'invalid_limit');
  return limit;
}

/** A list answer in OpenAI's shape. */
function list(data: Record<string, unknown>[], hasMore: boolean) {
  return { object: 'list', data, first_id: (data[0]?.id as string | undefined) ?? null, last_id: (data.at(-1)?.id as string | undefined) ?? null, has_more: hasMore };
}

/**
 * Serves one read.
 * @param headers the gateway's own headers for the answer
 * @throws GatewayError 404 for an id the tenant does not have, 400 for a bad `limit` or `order`
 */
export async function storedResponses(gateway: Gateway, c: Context<GatewayEnv>, path: string, headers: Record<string, string>): Promise<Response> {
  const route = routeOf(c.req.method, path);
  if (route === undefined) {
    throw new GatewayError({ status: 404, message: `No route for ${c.req.method} /v1${path}: stored responses are read, listed and deleted, not otherwise changed`, code: 'unknown_url' });
  }
  const { id, inputItems } = route;
  const tenant = tenantOf(c.get('grant')?.id, c.req.header(), gateway.isLocalClient((name) => c.req.header(name)));
  if (tenant === undefined) {
    throw new GatewayError({
      status: 401,
      message: 'Stored responses belong to the credential that made them: send the same key (a gateway key, or your provider key).',
      code: 'missing_api_key',
      headers: { 'www-authenticate': 'Bearer' },
    });
  }
  const store = gateway.responses;
  if (id === undefined) {
    // Newest first is the one order the stores keep.
    const order = c.req.query('order');
    if (order !== undefined && order !== 'desc') throw badRequest('`order` must be desc: stored responses are listed newest first', 'order', 'invalid_order');
    const page = await store.list(tenant, { limit: limitOf(c.req.query('limit')), after: c.req.query('after') });
    return c.json(list(page.data.map((record) => record.response), page.has_more), 200, headers);
  }
  if (c.req.method === 'DELETE') {
    if (!(await store.delete(tenant, id))) throw responseNotFound(id);
    return c.json({ id, object: 'response', deleted: true }, 200, headers);
  }
  const record = await store.get(tenant, id);
  if (record === undefined) throw responseNotFound(id);
  if (inputItems) {
    const order = c.req.query('order') ?? 'desc';
    if (order !== 'asc' && order !== 'desc') throw badRequest('`order` must be asc or desc', 'order', 'invalid_order');
    const items = order === 'asc' ? record.input : [...record.input].reverse();
    const after = c.req.query('after');
    const start = after === undefined ? 0 : items.findIndex((item) => item.id === after) + 1;
    const limit = limitOf(c.req.query('limit'));
    // A cursor that is not one of the items ends the listing rather than restarting it.
    if (after !== undefined && start === 0) return c.json(list([], false), 200, headers);
    return c.json(list(items.slice(start, start + limit), start + limit < items.length), 200, headers);
  }
  if (c.req.query('stream') === 'true') {
    const startingAfter = c.req.query('starting_after');
    const events = replayEvents(record.response, startingAfter === undefined ? -1 : countOf('starting_after', startingAfter, -1));
    return new Response(encodeEvents(events), { status: 200, headers: { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' } });
  }
  return c.json(record.response, 200, headers);
}
