/**
 * The gateway's configuration, read from the environment and checked once at start-up.
 * A bad value throws a {@link ConfigError} naming the variable, so the start stops with
 * a clear message instead of failing on the first request.
 */
import { z } from 'zod';
import { adminOrigin, type AdminSettings } from './admin/admin-settings.js';
import { checkBaseURL, ConfigError } from './config-checks.js';
import { tracingSettings, type TracingSettings } from './tracing/tracing-settings.js';
import { parseKeyFile, type KeyFile } from './keys/key-record.js';
import { parseCustomPrices, type CustomPrices } from './pricing/custom-prices.js';
import { BUILTIN_PROVIDERS, DIALECT_SETTINGS, DIALECTS, type ProviderRow } from './providers/registry.js';
import type { ProviderConfig } from './providers/types.js';

export { ConfigError };
export type { AdminSettings, TracingSettings };

const int = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const MiB = 1024 * 1024;

/** The shortest `GATEWAY_MASTER_KEY` accepted, in characters. */
export const MASTER_KEY_MIN = 32;

const EnvSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535, 3000),
  DEFAULT_PROVIDER: z.string().min(1).default('openai'),
  GATEWAY_PROVIDERS: z.string().default(''),
  GATEWAY_RETRIES: int(0, 5, 2),
  GATEWAY_TIMEOUT_MS: int(1, 600_000, 120_000),
  GATEWAY_STREAM_IDLE_TIMEOUT_MS: int(1, 600_000, 60_000),
  GATEWAY_MAX_RETRY_AFTER_MS: int(0, 600_000, 10_000),
  GATEWAY_RETRY_BASE_MS: int(0, 60_000, 250),
  GATEWAY_CIRCUIT_FAILURES: int(1, 1_000_000, 5),
  GATEWAY_CIRCUIT_COOLDOWN_MS: int(0, 86_400_000, 30_000),
  GATEWAY_MODELS_TIMEOUT_MS: int(1, 600_000, 5_000),
  GATEWAY_CACHE: z.enum(['auto', 'on', 'off']).default('auto'),
  GATEWAY_CACHE_MAX_BYTES: int(0, Number.MAX_SAFE_INTEGER, 64 * MiB),
  GATEWAY_CACHE_TTL: int(0, 31_536_000, 300),
  GATEWAY_CACHE_MAX_ENTRY_BYTES: int(1, 512 * MiB, MiB),
  GATEWAY_MAX_BODY_BYTES: int(1, 1024 * MiB, 10 * MiB),
  GATEWAY_AUTH: z.enum(['keys', 'off', '']).default(''),
  GATEWAY_KEYS_FILE: z.string().min(1).default('.gateway/keys.json'),
  GATEWAY_KEYS: z.string().default(''),
  GATEWAY_MASTER_KEY: z.string().min(MASTER_KEY_MIN, `must be at least ${MASTER_KEY_MIN} characters (for example: openssl rand -base64 32)`).optional(),
  GATEWAY_RESPONSES_DIR: z.string().min(1).default('.gateway/responses'),
  GATEWAY_RESPONSES_MAX_BYTES: int(1, Number.MAX_SAFE_INTEGER, 256 * MiB),
  GATEWAY_RESPONSES_TTL: int(1, 31_536_000 * 10, 2_592_000),
  GATEWAY_CORS_ORIGINS: z.string().default('*'),
  REDIS_URL: z.string().optional(),
  GATEWAY_REDIS_TIMEOUT_MS: int(1, 60_000, 50),
  GATEWAY_REDIS_CONNECT_TIMEOUT_MS: int(1, 60_000, 1000),
  GATEWAY_LIMITS_ON_STORE_ERROR: z.enum(['open', 'closed']).default('open'),
  GATEWAY_PRICES: z.string().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  GATEWAY_METRICS: z.enum(['on', 'off']).default('on'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().optional(),
  OTEL_EXPORTER_OTLP_HEADERS: z.string().default(''),
  OTEL_SERVICE_NAME: z.string().min(1).default('ai-gateway'),
  GATEWAY_TRACE_CONTENT: z.enum(['on', 'off']).default('off'),
  GATEWAY_ADMIN: z.enum(['on', 'off']).default('on'),
  GATEWAY_ADMIN_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  GATEWAY_ADMIN_SECRET: z.string().min(MASTER_KEY_MIN, `must be at least ${MASTER_KEY_MIN} characters (for example: openssl rand -base64 32)`).optional(),
  GATEWAY_ADMIN_SESSION_TTL: int(60, 604_800, 28_800),
  GATEWAY_ADMIN_SIGNIN_RPM: int(1, 10_000, 10),
  GATEWAY_ADMIN_ORIGIN: z.string().optional(),
});

/** The checked configuration. Durations are in ms unless the name says seconds; sizes in bytes. */
export interface GatewayConfig {
  host: string;
  port: number;
  /** Provider used when neither `x-provider`, the path nor the model names one. */
  defaultProvider: string;
  /** Every configured provider, built-in rows first, then custom ones. */
  providers: ProviderConfig[];
  retries: number;
  timeoutMs: number;
  streamIdleTimeoutMs: number;
  maxRetryAfterMs: number;
  /** Base of the exponential backoff between retries (full jitter). */
  retryBaseMs: number;
  circuitFailures: number;
  circuitCooldownMs: number;
  modelsTimeoutMs: number;
  /**
   * `auto`: embeddings are cached, chat, completions and messages only when the request asks
   * with `Cache-Control: max-age=N`; `on`: every cacheable operation; `off`: nothing.
   */
  cache: {
    mode: CacheMode;
    /** The in-memory cache's bound (the shared store is bounded by Redis's own `maxmemory`). */
    maxBytes: number;
    ttlSeconds: number;
    /** The largest answer stored, in either store. */
    maxEntryBytes: number;
  };
  maxBodyBytes: number;
  /** `keys` forces gateway keys on, `off` forces them off, undefined decides by the credentials configured. */
  auth: 'keys' | 'off' | undefined;
  keysFile: string;
  /** Key records from `GATEWAY_KEYS` (what `npm run keys -- export` prints); empty when unset. */
  envKeys: KeyFile;
  /** `GATEWAY_MASTER_KEY`: a credential with every scope; never logged or forwarded. */
  masterKey?: string;
  corsOrigins: string[];
  /**
   * Stored responses (`store: true`): the folder the Node server keeps them in, their bound
   * in bytes (oldest out first), how long each lives in seconds.
   */
  responses: { dir: string; maxBytes: number; ttlSeconds: number };
  /** `REDIS_URL`: state shared by every instance; undefined keeps it in process. */
  redis?: RedisSettings;
  /** What a rate-limited request gets while the shared store cannot answer: admitted uncounted, or a 503. */
  limitsOnStoreError: 'open' | 'closed';
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** `GATEWAY_PRICES`: prices per `provider/model` before the price table's (see `pricing/custom-prices.ts`). */
  prices: CustomPrices;
  /** `GATEWAY_METRICS`: whether `GET /metrics` exists and requests are counted. */
  metrics: boolean;
  /** OpenTelemetry traces; undefined unless `OTEL_EXPORTER_OTLP_ENDPOINT` is set. */
  tracing?: TracingSettings;
  /** The admin console (`/admin`, see `admin/admin-app.ts`). */
  admin: AdminSettings;
}

/** Where the shared state lives and how long the gateway waits for it. */
export interface RedisSettings {
  /** `REDIS_URL` as given, credentials included: only ever handed to the client. */
  url: string;
  /** `redis://host:port/db`: what logs and the start-up summary show (never the user or password). */
  label: string;
  /** Bound on each command, in ms (`GATEWAY_REDIS_TIMEOUT_MS`). */
  timeoutMs: number;
  /** Bound on making the connection, TLS and handshake included, in ms. */
  connectTimeoutMs: number;
}

/** `GATEWAY_CACHE` values. */
export type CacheMode = 'auto' | 'on' | 'off';

type Env = Record<string, string | undefined>;

/** Every variable the schema reads (providers' `<NAME>_*` variables aside), for docs and typo warnings. */
export const SETTINGS: readonly string[] = Object.keys(EnvSchema.shape);

/** A setting's default as the environment would spell it; undefined when it has none. */
export function settingDefault(name: string): string | undefined {
  const field = (EnvSchema.shape as Record<string, z.ZodType>)[name];
  const parsed = field?.safeParse(undefined);
  return parsed?.success && parsed.data !== undefined ? String(parsed.data) : undefined;
}

function customPrices(value: string | undefined): CustomPrices {
  try {
    return parseCustomPrices(value);
  } catch (error) {
    throw new ConfigError(`GATEWAY_PRICES ${(error as Error).message}`);
  }
}

function envKeyRecords(value: string): KeyFile {
  if (value === '') return { version: 1, keys: [] };
  try {
    return parseKeyFile(value);
  } catch (error) {
    throw new ConfigError(`GATEWAY_KEYS must be what \`npm run -s keys -- export\` prints: ${(error as Error).message}`);
  }
}

/** `<NAME>_` prefix of a provider's variables: upper-cased, `-` as `_`. */
export function envPrefix(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}

const PROVIDER_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

function splitKeys(value: string | undefined): string[] {
  return (value ?? '').split(',').map((key) => key.trim()).filter((key) => key.length > 0);
}

function providerConfig(row: ProviderRow, env: Env): ProviderConfig {
  const prefix = envPrefix(row.name);
  const baseVariable = `${prefix}_BASE_URL`;
  // A row without a default (Azure's resource URL) stays empty until configured.
  const baseURL = env[baseVariable]?.trim() || row.baseURL;
  const settings: Record<string, string> = {};
  for (const [setting, fallback] of Object.entries({ ...DIALECT_SETTINGS[row.dialect], ...row.settings })) {
    settings[setting] = env[`${prefix}_${setting}`] || fallback;
  }
  return {
    name: row.name,
    dialect: row.dialect,
    baseURL: baseURL === '' ? '' : checkBaseURL(baseVariable, baseURL),
    apiKeys: splitKeys(env[`${prefix}_API_KEY`]),
    keyOptional: row.keyOptional ?? false,
    settings,
  };
}

function customRows(value: string): ProviderRow[] {
  const builtin = new Set(BUILTIN_PROVIDERS.map((row) => row.name));
  const seen = new Set<string>();
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) => {
      // `name=url`, then any `;setting=value` (e.g. `;responses=native`): the dialect's settings.
      const [definition, ...options] = entry.split(';');
      const at = definition.indexOf('=');
      const name = at > 0 ? definition.slice(0, at).trim().toLowerCase() : '';
      if (!PROVIDER_NAME.test(name)) {
        throw new ConfigError(`GATEWAY_PROVIDERS: "${entry}" is not name=url with a name of a-z, 0-9, - or _`);
      }
      if (builtin.has(name)) throw new ConfigError(`GATEWAY_PROVIDERS: "${name}" would shadow a built-in provider`);
      if (seen.has(name)) throw new ConfigError(`GATEWAY_PROVIDERS: "${name}" is defined twice`);
      seen.add(name);
      const baseURL = checkBaseURL(`GATEWAY_PROVIDERS (${name})`, definition.slice(at + 1).trim());
      const known = DIALECT_SETTINGS['openai-compatible'];
      const settings: Record<string, string> = {};
      for (const option of options.map((text) => text.trim()).filter(Boolean)) {
        const equals = option.indexOf('=');
        const setting = option.slice(0, equals).trim().toUpperCase();
        if (equals <= 0 || !(setting in known)) {
          throw new ConfigError(`GATEWAY_PROVIDERS (${name}): "${option}" is not one of ${Object.keys(known).map((key) => `${key.toLowerCase()}=…`).join(', ')}`);
        }
        settings[setting] = option.slice(equals + 1).trim();
      }
      return { name, dialect: 'openai-compatible', baseURL, keyOptional: true, settings };
    });
}

/**
 * Checks `REDIS_URL` and gives its label. The URL itself never goes into an error message:
 * it may hold a password.
 * @throws ConfigError
 */
function redisLabel(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('REDIS_URL must be redis://[user:password@]host[:port][/db] or rediss://… for TLS');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new ConfigError(`REDIS_URL must start with redis:// or rediss:// (TLS), not ${url.protocol}//`);
  if (url.hostname === '') throw new ConfigError('REDIS_URL names no host');
  const db = url.pathname.replace(/^\//, '') || '0';
  if (!/^\d{1,5}$/.test(db)) throw new ConfigError('REDIS_URL: the path must be a database number, such as /0');
  if (url.search || url.hash) throw new ConfigError('REDIS_URL must not hold a query or fragment');
  return `${url.protocol}//${url.host}/${db}`;
}

/**
 * Reads and checks the configuration.
 * @param env the environment, `process.env` by default
 * @throws ConfigError naming the first bad variable
 */
export function loadConfig(env: Env = process.env): GatewayConfig {
  const cleaned = Object.fromEntries(Object.keys(EnvSchema.shape).map((key) => [key, env[key]?.trim() || undefined]));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${issue.path.join('.')}: ${issue.message}`);
  }
  const values = parsed.data;
  const rows = [...BUILTIN_PROVIDERS, ...customRows(values.GATEWAY_PROVIDERS)];
  for (const row of rows) {
    if (!DIALECTS[row.dialect]) throw new ConfigError(`provider ${row.name}: unknown dialect ${row.dialect}`);
  }
  const providers = rows.map((row) => providerConfig(row, env));
  const defaultProvider = values.DEFAULT_PROVIDER.toLowerCase();
  if (!providers.some((provider) => provider.name === defaultProvider)) {
    throw new ConfigError(`DEFAULT_PROVIDER: "${defaultProvider}" is not a known provider (${providers.map((p) => p.name).join(', ')})`);
  }
  if (values.GATEWAY_ADMIN_PORT !== undefined && values.GATEWAY_ADMIN_PORT !== 0 && values.GATEWAY_ADMIN_PORT === values.PORT) {
    throw new ConfigError(`GATEWAY_ADMIN_PORT: ${values.GATEWAY_ADMIN_PORT} is PORT too; leave it unset to serve /admin on PORT`);
  }
  return {
    host: values.HOST,
    port: values.PORT,
    defaultProvider,
    providers,
    retries: values.GATEWAY_RETRIES,
    timeoutMs: values.GATEWAY_TIMEOUT_MS,
    streamIdleTimeoutMs: values.GATEWAY_STREAM_IDLE_TIMEOUT_MS,
    maxRetryAfterMs: values.GATEWAY_MAX_RETRY_AFTER_MS,
    retryBaseMs: values.GATEWAY_RETRY_BASE_MS,
    circuitFailures: values.GATEWAY_CIRCUIT_FAILURES,
    circuitCooldownMs: values.GATEWAY_CIRCUIT_COOLDOWN_MS,
    modelsTimeoutMs: values.GATEWAY_MODELS_TIMEOUT_MS,
    cache: {
      mode: values.GATEWAY_CACHE,
      maxBytes: values.GATEWAY_CACHE_MAX_BYTES,
      ttlSeconds: values.GATEWAY_CACHE_TTL,
      maxEntryBytes: values.GATEWAY_CACHE_MAX_ENTRY_BYTES,
    },
    maxBodyBytes: values.GATEWAY_MAX_BODY_BYTES,
    auth: values.GATEWAY_AUTH === '' ? undefined : values.GATEWAY_AUTH,
    keysFile: values.GATEWAY_KEYS_FILE,
    envKeys: envKeyRecords(values.GATEWAY_KEYS),
    masterKey: values.GATEWAY_MASTER_KEY,
    responses: { dir: values.GATEWAY_RESPONSES_DIR, maxBytes: values.GATEWAY_RESPONSES_MAX_BYTES, ttlSeconds: values.GATEWAY_RESPONSES_TTL },
    corsOrigins: values.GATEWAY_CORS_ORIGINS.split(',').map((origin) => origin.trim()).filter(Boolean),
    redis:
      values.REDIS_URL === undefined
        ? undefined
        : {
            url: values.REDIS_URL,
            label: redisLabel(values.REDIS_URL),
            timeoutMs: values.GATEWAY_REDIS_TIMEOUT_MS,
            connectTimeoutMs: values.GATEWAY_REDIS_CONNECT_TIMEOUT_MS,
          },
    limitsOnStoreError: values.GATEWAY_LIMITS_ON_STORE_ERROR,
    logLevel: values.LOG_LEVEL,
    metrics: values.GATEWAY_METRICS === 'on',
    tracing: tracingSettings(values.OTEL_EXPORTER_OTLP_ENDPOINT, values.OTEL_EXPORTER_OTLP_HEADERS, values.OTEL_SERVICE_NAME, values.GATEWAY_TRACE_CONTENT === 'on'),
    prices: customPrices(values.GATEWAY_PRICES),
    admin: {
      enabled: values.GATEWAY_ADMIN === 'on',
      port: values.GATEWAY_ADMIN_PORT,
      secret: values.GATEWAY_ADMIN_SECRET,
      sessionTtlSeconds: values.GATEWAY_ADMIN_SESSION_TTL,
      signInRpm: values.GATEWAY_ADMIN_SIGNIN_RPM,
      origin: values.GATEWAY_ADMIN_ORIGIN === undefined ? undefined : adminOrigin(values.GATEWAY_ADMIN_ORIGIN),
    },
  };
}
