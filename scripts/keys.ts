/**
 * `npm run keys -- <command>`: manages the gateway keys. With `REDIS_URL` set they live in
 * Redis, shared by every instance, which sees a change within a second; otherwise in
 * `GATEWAY_KEYS_FILE` (default `.gateway/keys.json`), which a running gateway also sees within
 * a second. `--store file` or `--store redis` picks one explicitly.
 *
 *   create <name> [--scopes s1,s2] [--providers p1,p2/model] [--rpm N] [--tpm N] [--expires 30d|2027-01-31] [--budget 5/day] [--budget 100/month]
 *   update <name|id> [--scopes s1,s2] [--providers p1,p2/model] [--rpm N|off] [--tpm N|off] [--expires 30d|2027-01-31|never] [--budget 5/day|off/day]
 *   list
 *   revoke <name|id>
 *   export
 *
 * `create` prints the new key alone on stdout (so `KEY=$(npm run -s keys -- create x)`
 * works) and everything else on stderr. The key is shown this once: only its SHA-256 is
 * stored. `export` prints the whole store (hashes only, revoked records included) as one
 * line of JSON: the value of `GATEWAY_KEYS` for a deployment without a writable disk.
 * `.env` in the working folder is read first, as `npm start` reads it.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type GatewayConfig } from '../lib/config.js';
import { createKey, KeyCommandError, listKeys, revokeKey, updateKey } from '../lib/keys/key-commands.js';
import { parseExpiry } from '../lib/keys/expiry.js';
import { KeyFileError } from '../lib/keys/key-file.js';
import type { KeyRecord } from '../lib/keys/key-record.js';
import { fileKeyRecords, type KeyRecords } from '../lib/keys/key-records.js';
import { createLogger } from '../lib/log/logger.js';
import { loadDotenv } from '../lib/startup/load-dotenv.js';
import { RedisConnection } from '../lib/store/redis/redis-connection.js';
import { redisKeyRecords } from '../lib/store/redis/redis-key-records.js';
import { REDIS_PREFIX } from '../lib/store/redis/redis-state-store.js';
import { StoreUnavailableError } from '../lib/store/store-unavailable.js';

const USAGE = `Usage:
  npm run keys -- create <name> [--scopes post:/v1/chat/completions,...] [--providers openai,groq/llama-3.1-8b-instant] [--rpm N] [--tpm N] [--expires 30d|2027-01-31] [--budget 5/day] [--budget 100/month]
  npm run keys -- update <name|id> [--scopes ...] [--providers ...] [--rpm N|off] [--tpm N|off] [--expires 30d|2027-01-31|never] [--budget 5/day|off/day]
  npm run keys -- list
  npm run keys -- revoke <name|id>
  npm run -s keys -- export          (one line: the value of GATEWAY_KEYS)
Keys live in Redis when REDIS_URL is set, else in GATEWAY_KEYS_FILE; --store file|redis picks one.`;

/** An operator's command is not a request: Redis gets seconds, not the gateway's milliseconds. */
const CLI_REDIS_TIMEOUT_MS = 5000;

/** Values of a repeatable, comma-separated option. */
const listOption = (values: string[] | undefined) =>
  (values ?? []).flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value.length > 0);

function integerOption(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new KeyCommandError(`${flag} must be a positive integer, got "${value}"`);
  return Number(value);
}

/** For `update`: a limit, or `off` to remove it. */
function limitOption(flag: string, value: string | undefined): number | null | undefined {
  return value === 'off' ? null : integerOption(flag, value);
}

/**
 * `--budget USD/day` or `USD/month`, repeatable (USD per UTC period, `$` allowed); on update,
 * `off/day` removes that period's budget.
 * @returns undefined when no `--budget` was given
 */
function budgetOptions(values: string[] | undefined, update: boolean): { day?: number | null; month?: number | null } | undefined {
  if (values === undefined || values.length === 0) return undefined;
  const budgets: { day?: number | null; month?: number | null } = {};
  for (const value of values) {
    const match = /^\$?([^/]+)\/(day|month)$/.exec(value.trim());
    if (!match) throw new KeyCommandError(`--budget must be USD/day or USD/month (e.g. 5/day, 100/month${update ? ', off/day' : ''}), got "${value}"`);
    const [, amount, period] = match as unknown as [string, string, 'day' | 'month'];
    if (amount === 'off' && update) budgets[period] = null;
    else if (/^\d+(\.\d+)?$/.test(amount) && Number(amount) > 0) budgets[period] = Number(amount);
    else throw new KeyCommandError(`--budget ${value}: the amount must be a positive number of USD${update ? ' or off' : ''}`);
  }
  return budgets;
}

/** A key's budgets for the list: `5/day,100/month`, or `-`. */
const budgetCell = (record: KeyRecord) =>
  [record.budgets?.day === undefined ? '' : `${record.budgets.day}/day`, record.budgets?.month === undefined ? '' : `${record.budgets.month}/month`].filter(Boolean).join(',') || '-';

/** A record's state: active (until when), expired, or revoked. */
function status(record: KeyRecord): string {
  if (record.revoked_at !== undefined) return `revoked ${record.revoked_at.slice(0, 10)}`;
  if (record.expires_at === undefined) return 'active';
  return Date.parse(record.expires_at) <= Date.now() ? `expired ${record.expires_at.slice(0, 10)}` : `active until ${record.expires_at.slice(0, 16).replace('T', ' ')}`;
}

function table(records: readonly KeyRecord[]): string {
  const rows = [
    ['ID', 'NAME', 'STATUS', 'SCOPES', 'PROVIDERS', 'RPM', 'TPM', 'BUDGET', 'CREATED'],
    ...records.map((record) => [
      record.id,
      record.name,
      status(record),
      record.scopes.join(','),
      record.providers.length === 0 ? 'all' : record.providers.join(','),
      String(record.rpm ?? '-'),
      String(record.tpm ?? '-'),
      budgetCell(record),
      record.created_at.slice(0, 19).replace('T', ' '),
    ]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()).join('\n');
}

/** The store the command works on, and how to let go of it. */
function openRecords(config: GatewayConfig, store: string | undefined): { records: KeyRecords; close(): void } {
  const kind = store ?? (config.redis ? 'redis' : 'file');
  if (kind === 'file') return { records: fileKeyRecords(config.keysFile), close: () => undefined };
  if (kind !== 'redis') throw new KeyCommandError(`--store must be file or redis, not "${kind}"`);
  if (!config.redis) throw new KeyCommandError('--store redis needs REDIS_URL');
  const connection = new RedisConnection({ ...config.redis, timeoutMs: CLI_REDIS_TIMEOUT_MS, connectTimeoutMs: CLI_REDIS_TIMEOUT_MS }, createLogger('silent'));
  return { records: redisKeyRecords(connection, REDIS_PREFIX), close: () => connection.close() };
}

const OPTIONS = {
  scopes: { type: 'string', multiple: true },
  providers: { type: 'string', multiple: true },
  rpm: { type: 'string' },
  tpm: { type: 'string' },
  expires: { type: 'string' },
  budget: { type: 'string', multiple: true },
  store: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const parse = (argv: string[]) => parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
type Values = ReturnType<typeof parse>['values'];

async function run(positionals: string[], values: Values, records: KeyRecords, config: GatewayConfig): Promise<number> {
  const [command, target, ...extra] = positionals;
  const where = records.label;
  const known = new Set(config.providers.map((provider) => provider.name));
  const { scopes, providers } = values;
  if (command === 'create' && target !== undefined && extra.length === 0) {
    const expiresAt = values.expires === undefined ? undefined : (parseExpiry(values.expires) ?? undefined);
    const budgets = budgetOptions(values.budget, false) as { day?: number; month?: number } | undefined;
    const spec = { name: target, scopes: listOption(scopes), providers: listOption(providers), rpm: integerOption('--rpm', values.rpm), tpm: integerOption('--tpm', values.tpm), expiresAt, budgets };
    const { key, record } = await createKey(records, spec, known);
    console.error(`Created gateway key "${record.name}" (${record.id}) in ${where}. It is shown only this once; store it now:`);
    process.stdout.write(`${key}\n`);
    return 0;
  }
  if (command === 'update' && target !== undefined && extra.length === 0) {
    const update = {
      ...(scopes === undefined ? {} : { scopes: listOption(scopes) }),
      ...(providers === undefined ? {} : { providers: listOption(providers) }),
      rpm: limitOption('--rpm', values.rpm),
      tpm: limitOption('--tpm', values.tpm),
      ...(values.expires === undefined ? {} : { expiresAt: parseExpiry(values.expires) }),
      ...(values.budget === undefined ? {} : { budgets: budgetOptions(values.budget, true) }),
    };
    const record = await updateKey(records, target, update, known);
    console.error(`Updated gateway key "${record.name}" (${record.id}) in ${where}: scopes ${record.scopes.join(',')}; providers ${record.providers.join(',') || 'all'}; rpm ${record.rpm ?? '-'}; tpm ${record.tpm ?? '-'}; budget ${budgetCell(record)}.`);
    return 0;
  }
  if (command === 'list' && target === undefined) {
    const list = await listKeys(records);
    console.log(list.length === 0 ? `No keys in ${where}` : table(list));
    return 0;
  }
  if (command === 'revoke' && target !== undefined && extra.length === 0) {
    const record = await revokeKey(records, target);
    console.error(`Revoked gateway key "${record.name}" (${record.id}). Its record stays in ${where}, so gateway keys stay on.`);
    return 0;
  }
  if (command === 'export' && target === undefined) {
    const list = await listKeys(records);
    process.stdout.write(`${JSON.stringify({ version: 1, keys: list })}\n`);
    console.error(`Exported ${list.length} key record${list.length === 1 ? '' : 's'} from ${where} (hashes only). Set this line as GATEWAY_KEYS.`);
    return 0;
  }
  console.error(USAGE);
  return 2;
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parse(argv);
  if (values.help || positionals.length === 0) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  loadDotenv();
  const config = loadConfig();
  const { records, close } = openRecords(config, values.store);
  try {
    return await run(positionals, values, records, config);
  } finally {
    close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (
      error instanceof KeyCommandError ||
      error instanceof ConfigError ||
      error instanceof StoreUnavailableError ||
      error instanceof KeyFileError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    ) {
      console.error(`keys: ${(error as Error).message}`);
      process.exitCode = 1;
      return;
    }
    throw error;
  },
);
