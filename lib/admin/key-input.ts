/**
 * Reads a key's fields as the console's form and `/admin/api/keys` send them, and says which
 * field is wrong and why: `name`, `scopes`, `providers`, `rpm`, `tpm`, `budgets.day`,
 * `budgets.month`, `expires`. A form sends text (scopes and providers comma-separated, an
 * empty field for "none"); the API sends JSON (lists, numbers, `null` to remove).
 */
import { KeyCommandError, type KeyUpdate, type NewKey } from '../keys/key-commands.js';
import { parseExpiry } from '../keys/expiry.js';
import { KEY_NAME, SCOPE } from '../keys/key-record.js';

/** A field and what is wrong with it. */
export interface FieldError {
  field: string;
  message: string;
}

/** The parsed input, or every field error. */
export type KeyInput<T> = { ok: T; errors?: undefined } | { ok?: undefined; errors: FieldError[] };

const isBlank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

function list(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.map((item) => String(item).trim()).filter((item) => item.length > 0);
  if (typeof value === 'string') return value.split(/[\s,]+/).filter((item) => item.length > 0);
  return ['\u0000'];
}

/** A number field: undefined when absent, null when cleared (`''`, `null`), else the number. */
function amount(value: unknown): number | null | undefined {
  if (value === undefined) return undefined;
  if (isBlank(value)) return null;
  const text = String(value).trim();
  return /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
}

/** The fields a key's input may have (a form sends `budgets.day`; JSON may nest `budgets: {day, month}`). */
const FIELDS = new Set(['name', 'scopes', 'providers', 'rpm', 'tpm', 'budgets', 'budgets.day', 'budgets.month', 'expires']);

/** The input's fields by name; `budgets.day` may also come as `budgets: {day}`. */
function field(input: Record<string, unknown>, name: string): unknown {
  if (name in input) return input[name];
  const [outer, inner] = name.split('.');
  const nested = input[outer];
  return inner !== undefined && typeof nested === 'object' && nested !== null ? (nested as Record<string, unknown>)[inner] : undefined;
}

/**
 * Parses the fields of a key to create (`create`) or the changes to one (`update`: absent
 * fields stay, cleared ones are removed).
 * @param known the configured provider names
 */
export function readKeyInput(input: Record<string, unknown>, mode: 'create', known: ReadonlySet<string>, now?: number): KeyInput<NewKey>;
export function readKeyInput(input: Record<string, unknown>, mode: 'update', known: ReadonlySet<string>, now?: number): KeyInput<KeyUpdate>;
export function readKeyInput(input: Record<string, unknown>, mode: 'create' | 'update', known: ReadonlySet<string>, now = Date.now()): KeyInput<NewKey | KeyUpdate> {
  const errors: FieldError[] = [];
  const fail = (name: string, message: string) => errors.push({ field: name, message });

  for (const key of Object.keys(input)) {
    if (!FIELDS.has(key) || (key === 'name' && mode === 'update')) {
      fail(key.slice(0, 64).replace(/[^\w.-]/g, '?'), mode === 'update' && key === 'name' ? 'a key cannot be renamed; create a new one' : `is not a field of a key (${[...FIELDS].join(', ')})`);
    }
  }
  const nested = input.budgets;
  if (nested !== undefined && nested !== null && (typeof nested !== 'object' || Array.isArray(nested) || Object.keys(nested).some((period) => period !== 'day' && period !== 'month'))) {
    fail('budgets', 'must be {"day": USD, "month": USD} (either may be left out, null removes it)');
  }
  const name = field(input, 'name');
  if (mode === 'create' && (typeof name !== 'string' || !KEY_NAME.test(name.trim()))) {
    fail('name', 'use 1 to 64 of A-Z, a-z, 0-9, ".", "_", "-", starting with a letter or digit');
  }
  const scopes = list(field(input, 'scopes'));
  for (const scope of scopes ?? []) {
    if (!SCOPE.test(scope)) fail('scopes', `"${scope.replace(/\u0000/g, '?')}" is not a scope: use all, admin or method:path such as post:/v1/chat/completions`);
  }
  const providers = list(field(input, 'providers'));
  for (const entry of providers ?? []) {
    const provider = entry.split('/')[0].toLowerCase();
    if (!known.has(provider)) fail('providers', `"${provider.replace(/\u0000/g, '?')}" is not a configured provider (${[...known].join(', ')})`);
    else if (entry.endsWith('/')) fail('providers', `"${entry}" names no model after "/"`);
  }
  const limits: Record<string, number | null | undefined> = {};
  for (const limit of ['rpm', 'tpm'] as const) {
    const value = amount(field(input, limit));
    if (value !== undefined && value !== null && !(Number.isSafeInteger(value) && value > 0)) fail(limit, 'must be a whole number above 0 (empty for no limit)');
    limits[limit] = value;
  }
  const budgets: { day?: number | null; month?: number | null } = {};
  for (const period of ['day', 'month'] as const) {
    const value = amount(field(input, `budgets.${period}`));
    if (value !== undefined && value !== null && !(Number.isFinite(value) && value > 0 && value <= 1_000_000_000)) {
      fail(`budgets.${period}`, `must be an amount of USD above 0 per ${period} (empty for none)`);
    }
    if (value !== undefined) budgets[period] = value;
  }
  let expiresAt: string | null | undefined;
  const expires = field(input, 'expires');
  if (!isBlank(expires)) {
    try {
      expiresAt = parseExpiry(String(expires).trim(), now);
    } catch (error) {
      if (!(error instanceof KeyCommandError)) throw error;
      fail('expires', error.message.replace(/^--expires /, ''));
    }
  } else if (expires !== undefined && mode === 'update') expiresAt = null;
  if (errors.length > 0) return { errors };

  const someBudget = budgets.day !== undefined || budgets.month !== undefined;
  if (mode === 'create') {
    const set = (value: number | null | undefined) => value ?? undefined;
    return {
      ok: {
        name: String(name).trim(),
        scopes: scopes ?? [],
        providers: providers ?? [],
        rpm: set(limits.rpm),
        tpm: set(limits.tpm),
        expiresAt: expiresAt ?? undefined,
        budgets: someBudget ? { day: set(budgets.day), month: set(budgets.month) } : undefined,
      },
    };
  }
  const update: KeyUpdate = {};
  if (scopes !== undefined) update.scopes = scopes;
  if (providers !== undefined) update.providers = providers;
  if (limits.rpm !== undefined) update.rpm = limits.rpm;
  if (limits.tpm !== undefined) update.tpm = limits.tpm;
  if (expiresAt !== undefined) update.expiresAt = expiresAt;
  if (someBudget) update.budgets = budgets;
  return { ok: update };
}

/** The field a store's refusal is about (a name in use, an unknown key…). */
export function fieldOfCommandError(message: string): string | null {
  if (/named "|is not a key name/.test(message)) return 'name';
  if (/--budget/.test(message)) return message.includes('month') ? 'budgets.month' : 'budgets.day';
  if (/--rpm/.test(message)) return 'rpm';
  if (/--tpm/.test(message)) return 'tpm';
  if (/scope/.test(message)) return 'scopes';
  if (/provider/.test(message)) return 'providers';
  return null;
}
