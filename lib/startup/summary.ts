/**
 * The start-up summary: where the gateway listens, which providers have keys (names only),
 * the auth mode and how many gateway keys, the cache mode, where state lives, metrics and
 * traces, where the admin console is and who can sign in, and warnings that must not go unseen
 * (a typo in a `GATEWAY_*` variable; provider keys that a gateway reachable beyond loopback will
 * refuse to lend). `npm start` prints it on stderr; the
 * serverless entries write it to the log at each cold start. Never a key.
 */
import { envPrefix } from '../config.js';
import type { Gateway } from '../gateway.js';
import type { UnknownSetting } from './unknown-settings.js';

/** What the summary says, as data (the serverless entries log it as fields). */
export interface StartupFacts {
  /** Providers with a `<NAME>_API_KEY`. */
  providersWithKeys: string[];
  /** Providers that need no key (Ollama, custom ones without a key). */
  keyless: string[];
  auth: string;
  cache: string;
  state: string;
  /** Where stored responses live. */
  responses: string;
  /** `GET /metrics` and traces: on or off, and who may read the metrics (never the collector's headers). */
  observability: string;
  /** Where the admin console is and who can sign in. */
  admin: string;
  /** Lines to print loudly. */
  warnings: string[];
}

const MiB = 1024 * 1024;

function describeAuth(gateway: Gateway): string {
  const mode = gateway.authMode();
  const store = gateway.keys;
  if (mode === 'keys' && store) {
    const parts = store.sources.filter((source) => source.size > 0).map((source) => `${source.active} active in ${source.label}`);
    if (store.hasMasterKey) parts.push('GATEWAY_MASTER_KEY set');
    if (parts.length === 0) parts.push('GATEWAY_AUTH=keys, no key yet');
    return `keys (${parts.join(', ')}): every request needs a gateway key`;
  }
  if (mode === 'open-loopback') return 'open-loopback (no gateway keys; only this machine can connect)';
  if (mode === 'own-keys-only') return "own-keys-only (no gateway keys; clients must bring their own provider keys, the gateway's are never lent)";
  return "off (GATEWAY_AUTH=off): anyone who can connect uses the gateway's provider keys";
}

const mib = (bytes: number) => `${Math.round((bytes / MiB) * 10) / 10} MiB`;

function describeCache(gateway: Gateway): string {
  const { mode, maxBytes, ttlSeconds, maxEntryBytes } = gateway.config.cache;
  if (mode === 'off' || gateway.cache === undefined) return 'off';
  const what = mode === 'auto' ? 'auto (embeddings; chat, completions and messages when a request sends Cache-Control: max-age=N)' : 'on (every non-stream answer)';
  const where = gateway.config.redis ? `in Redis, entries up to ${mib(maxEntryBytes)}` : `in memory, up to ${mib(maxBytes)}`;
  return `${what}, ${where}, ${ttlSeconds} s`;
}

/** Where state lives: the store (a Redis URL's host and database only, never its credentials) and the key file. */
function describeState(gateway: Gateway): string {
  const file = `gateway keys file ${gateway.config.keysFile}`;
  if (!gateway.config.redis) return `${gateway.state.description}; ${file}`;
  return `${gateway.state.description} (cache, rate limits, gateway keys, circuit breakers); ${file} too`;
}

/** `GET /metrics` and traces, in a line: who may scrape, where spans go (the collector's host only). */
function describeObservability(gateway: Gateway): string {
  const mode = gateway.authMode();
  const who =
    mode === 'keys' ? 'master key or a key with scope get:/metrics' : mode === 'open-loopback' || mode === 'off' ? "this machine's own clients" : 'nobody (no gateway key configured)';
  const metrics = gateway.metrics ? `GET /metrics (${who})` : 'metrics off';
  const tracing = gateway.config.tracing;
  if (!tracing) return `${metrics}; traces off`;
  const content = tracing.content ? 'with prompts and answers (GATEWAY_TRACE_CONTENT=on)' : 'no content';
  return `${metrics}; traces to ${new URL(tracing.url).host} as ${tracing.serviceName}, ${content}`;
}

/** Where the console is served (`GATEWAY_ADMIN_PORT` counts on Node only) and who can sign in. */
function describeAdmin(gateway: Gateway, runtime: 'node' | 'serverless'): string {
  const { admin, masterKey, host } = gateway.config;
  if (!admin.enabled) return 'off (GATEWAY_ADMIN=off)';
  const where = admin.port !== undefined && runtime === 'node' ? `http://${host.includes(':') ? `[${host}]` : host}:${admin.port}/admin (GATEWAY_ADMIN_PORT; not on the main port)` : '/admin';
  if (masterKey !== undefined) return `${where}, sign in with GATEWAY_MASTER_KEY or a key with the admin scope`;
  if (gateway.keys !== undefined) return `${where}, sign in with a key with the admin scope (npm run keys -- create NAME --scopes admin)`;
  return `${where}, but nobody can sign in (GATEWAY_AUTH=off and no GATEWAY_MASTER_KEY)`;
}

/**
 * Gathers the summary's facts.
 * @param unknown the `GATEWAY_*` variables the gateway does not read
 * @param runtime `serverless` for Vercel and Netlify, where `GATEWAY_ADMIN_PORT` does not apply
 */
export function startupFacts(gateway: Gateway, unknown: readonly UnknownSetting[] = [], runtime: 'node' | 'serverless' = 'node'): StartupFacts {
  const providers = gateway.config.providers;
  const withKeys = providers.filter((provider) => provider.apiKeys.length > 0);
  const warnings = unknown.map(({ name, closest }) => `${name} is not a setting of this gateway and is ignored; did you mean ${closest}?`);
  const mode = gateway.authMode();
  const variables = withKeys.map((provider) => `${envPrefix(provider.name)}_API_KEY`).join(', ');
  if (mode === 'own-keys-only' && withKeys.length > 0) {
    warnings.push(
      `Reachable beyond loopback with provider keys in the environment (${variables}) and no gateway key: ` +
        'requests that would use them are refused (401). Add a gateway key: `npm run keys -- create NAME` ' +
        '(for a deployment without a disk, set GATEWAY_KEYS to what `npm run -s keys -- export` prints), or set GATEWAY_MASTER_KEY (32+ characters).',
    );
  }
  if (mode === 'off' && gateway.exposed && withKeys.length > 0) {
    warnings.push(`GATEWAY_AUTH=off while reachable beyond loopback: anyone who can connect spends ${variables}.`);
  }
  return {
    providersWithKeys: withKeys.map((provider) => provider.name),
    keyless: providers.filter((provider) => provider.keyOptional && provider.apiKeys.length === 0).map((provider) => provider.name),
    auth: describeAuth(gateway),
    cache: describeCache(gateway),
    state: describeState(gateway),
    responses: gateway.responses.description,
    observability: describeObservability(gateway),
    admin: describeAdmin(gateway, runtime),
    warnings,
  };
}

/**
 * The summary as `npm start` prints it: a few lines, warnings last and marked.
 * @param address where it listens, `http://127.0.0.1:3000`
 */
export function summaryLines(facts: StartupFacts, address: string): string[] {
  const keyed = facts.providersWithKeys.length > 0 ? facts.providersWithKeys.join(', ') : 'none (clients send their own)';
  return [
    `AI gateway listening on ${address}`,
    `  providers with keys: ${keyed}${facts.keyless.length > 0 ? `; no key needed: ${facts.keyless.join(', ')}` : ''}`,
    `  auth: ${facts.auth}`,
    `  cache: ${facts.cache}`,
    `  state: ${facts.state}`,
    `  stored responses: ${facts.responses}`,
    `  metrics and traces: ${facts.observability}`,
    `  admin console: ${facts.admin}`,
    ...facts.warnings.map((warning) => `  WARNING: ${warning}`),
  ];
}
