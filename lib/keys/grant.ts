/**
 * What one gateway key may do, compiled from its record once when the store loads, so
 * that a request's check is a few comparisons.
 *
 * Scopes (docs/api.md "Gateway keys, scopes and rate limits"): `all`, or `method:path`.
 * `post:/v1/chat/completions` covers that route in every form: `/v1/chat/completions`
 * whatever the chain, and `/groq/v1/chat/completions`. `post:/openai/v1/chat/completions`
 * covers it for `openai` only. A path ending in `*` covers every path it starts
 * (`get:/v1/files/*`). Providers: empty for all; `openai` for any of its models;
 * `openai/gpt-4o` for that model only. `admin` opens the admin console and covers no proxy route.
 */
import type { KeyRecord } from './key-record.js';

/** A compiled scope. */
interface Scope {
  /** Upper-case method, or `*`. */
  method: string;
  /** The provider a `/{provider}/v1/…` scope is limited to; undefined for `/v1/…`. */
  provider?: string;
  /** The path after `/v1` (or its prefix when `prefix`). */
  path: string;
  prefix: boolean;
}

/** A key's permissions and limits. */
export interface Grant {
  id: string;
  /** The key's name, for logs and messages (never the key). */
  name: string;
  /** Requests per minute, when limited. */
  rpm?: number;
  /** Tokens per minute, when limited. */
  tpm?: number;
  /** When the key stops working, in ms since the epoch; undefined when it does not expire. */
  expiresAt?: number;
  /** Spending caps in USD per UTC day and month; undefined when unbudgeted (the master key never is). */
  budgets?: { day?: number; month?: number };
  /** Whether the key may use the admin console and `/admin/api/` (scope `admin`; the master key). */
  admin: boolean;
  /** Whether `method` on `path` (after `/v1`, without its query) may go to `provider`. */
  allowsRoute(method: string, path: string, provider: string): boolean;
  /**
   * Whether the key may use one of the gateway's own paths outside `/v1` (`GET /metrics`): the
   * master key, or a key with exactly that scope (`get:/metrics`). `all` does not include them:
   * they show every key's names and spend.
   */
  allowsGatewayRoute(method: string, path: string): boolean;
  /** Whether the key may reach `provider` at all (for listing its models). */
  reaches(provider: string): boolean;
  /** Whether the key may use `model` (undefined: the request names none) at `provider`. */
  allowsModel(provider: string, model: string | undefined): boolean;
}

/** The master key's record id; a stored key's id is `key_` and 12 hex digits, so none can have it. */
export const MASTER_ID = 'master';

const PROVIDER_SCOPE = /^\/([^/]+)\/v1(\/.*)?$/;

function compileScope(scope: string): Scope | 'all' | undefined {
  if (scope === 'all') return 'all';
  // The console's scope covers no proxy route.
  if (scope === 'admin') return undefined;
  const colon = scope.indexOf(':');
  const method = scope.slice(0, colon).toUpperCase();
  let path = scope.slice(colon + 1);
  let provider: string | undefined;
  if (path === '/v1' || path.startsWith('/v1/')) path = path.slice(3);
  else {
    const match = PROVIDER_SCOPE.exec(path);
    // A scope outside `/v1` and `/{provider}/v1` covers nothing the gateway serves.
    if (!match) return undefined;
    provider = match[1].toLowerCase();
    path = match[2] ?? '';
  }
  const prefix = path.endsWith('*');
  return { method, provider, path: prefix ? path.slice(0, -1) : path, prefix };
}

const matches = (scope: Scope, method: string, path: string, provider: string) =>
  (scope.method === '*' || scope.method === method) &&
  (scope.provider === undefined || scope.provider === provider) &&
  (scope.prefix ? path.startsWith(scope.path) : path === scope.path);

/** Compiles a record's scopes and providers. */
export function compileGrant(record: KeyRecord): Grant {
  const compiled = record.scopes.map(compileScope);
  const all = compiled.includes('all');
  const scopes = compiled.filter((scope): scope is Scope => scope !== undefined && scope !== 'all');
  const anyModel = new Set<string>();
  const models = new Map<string, Set<string>>();
  for (const entry of record.providers) {
    const slash = entry.indexOf('/');
    if (slash === -1) anyModel.add(entry.toLowerCase());
    else {
      const provider = entry.slice(0, slash).toLowerCase();
      models.set(provider, (models.get(provider) ?? new Set()).add(entry.slice(slash + 1)));
    }
  }
  const everyProvider = record.providers.length === 0;
  return {
    id: record.id,
    name: record.name,
    rpm: record.rpm,
    tpm: record.tpm,
    ...(record.expires_at === undefined ? {} : { expiresAt: Date.parse(record.expires_at) }),
    ...(record.budgets === undefined ? {} : { budgets: record.budgets }),
    admin: record.id === MASTER_ID || record.scopes.includes('admin'),
    allowsRoute: (method, path, provider) => all || scopes.some((scope) => matches(scope, method.toUpperCase(), path, provider)),
    allowsGatewayRoute: (method, path) => record.id === MASTER_ID || record.scopes.includes(`${method.toLowerCase()}:${path}`),
    reaches: (provider) => everyProvider || anyModel.has(provider) || models.has(provider),
    allowsModel: (provider, model) =>
      everyProvider || anyModel.has(provider) || (model !== undefined && models.get(provider)?.has(model) === true),
  };
}

/** The master key's grant (`GATEWAY_MASTER_KEY`): every scope, every provider, no limits. */
export const masterGrant: Grant = compileGrant({ id: MASTER_ID, name: 'master', hash: '', scopes: ['all'], providers: [], created_at: '' });
