/**
 * `npm run keys -- <command>`: manages the gateway keys in `GATEWAY_KEYS_FILE` (default
 * `.gateway/keys.json`). A running gateway sees the change within a second.
 *
 *   create <name> [--scopes s1,s2] [--providers p1,p2/model] [--rpm N] [--tpm N]
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
import { ConfigError, loadConfig } from '../lib/config.js';
import { createKey, KeyCommandError, listKeys, revokeKey } from '../lib/keys/key-commands.js';
import type { KeyRecord } from '../lib/keys/key-record.js';
import { loadDotenv } from '../lib/startup/load-dotenv.js';

const USAGE = `Usage:
  npm run keys -- create <name> [--scopes post:/v1/chat/completions,...] [--providers openai,groq/llama-3.1-8b-instant] [--rpm N] [--tpm N]
  npm run keys -- list
  npm run keys -- revoke <name|id>
  npm run -s keys -- export          (one line: the value of GATEWAY_KEYS)`;

/** Values of a repeatable, comma-separated option. */
const listOption = (values: string[] | undefined) =>
  (values ?? []).flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value.length > 0);

function integerOption(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new KeyCommandError(`${flag} must be a positive integer, got "${value}"`);
  return Number(value);
}

function table(records: readonly KeyRecord[]): string {
  const rows = [
    ['ID', 'NAME', 'STATUS', 'SCOPES', 'PROVIDERS', 'RPM', 'TPM', 'CREATED'],
    ...records.map((record) => [
      record.id,
      record.name,
      record.revoked_at === undefined ? 'active' : `revoked ${record.revoked_at.slice(0, 10)}`,
      record.scopes.join(','),
      record.providers.length === 0 ? 'all' : record.providers.join(','),
      String(record.rpm ?? '-'),
      String(record.tpm ?? '-'),
      record.created_at.slice(0, 19).replace('T', ' '),
    ]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd()).join('\n');
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      scopes: { type: 'string', multiple: true },
      providers: { type: 'string', multiple: true },
      rpm: { type: 'string' },
      tpm: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, target, ...extra] = positionals;
  if (values.help || command === undefined) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  loadDotenv();
  const config = loadConfig();
  const path = config.keysFile;
  if (command === 'create' && target !== undefined && extra.length === 0) {
    const known = new Set(config.providers.map((provider) => provider.name));
    const spec = { name: target, scopes: listOption(values.scopes), providers: listOption(values.providers), rpm: integerOption('--rpm', values.rpm), tpm: integerOption('--tpm', values.tpm) };
    const { key, record } = await createKey(path, spec, known);
    console.error(`Created gateway key "${record.name}" (${record.id}) in ${path}. It is shown only this once; store it now:`);
    process.stdout.write(`${key}\n`);
    return 0;
  }
  if (command === 'list' && target === undefined) {
    const records = await listKeys(path);
    console.log(records.length === 0 ? `No keys in ${path}` : table(records));
    return 0;
  }
  if (command === 'revoke' && target !== undefined && extra.length === 0) {
    const record = await revokeKey(path, target);
    console.error(`Revoked gateway key "${record.name}" (${record.id}). Its record stays in ${path}, so gateway keys stay on.`);
    return 0;
  }
  if (command === 'export' && target === undefined) {
    const records = await listKeys(path);
    process.stdout.write(`${JSON.stringify({ version: 1, keys: records })}\n`);
    console.error(`Exported ${records.length} key record${records.length === 1 ? '' : 's'} from ${path} (hashes only). Set this line as GATEWAY_KEYS.`);
    return 0;
  }
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof KeyCommandError || error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`keys: ${(error as Error).message}`);
      process.exitCode = 1;
      return;
    }
    throw error;
  },
);
