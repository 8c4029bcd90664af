/**
 * The key store's file format: a version and a list of key records. A record holds the
 * SHA-256 of its key, never the key, and what the key may do. Revoked records stay, so
 * that revoking never switches gateway keys off.
 */
import { z } from 'zod';

/**
 * A scope: `all`, or `method:path` such as `post:/v1/chat/completions` or `post:/openai/v1/*`,
 * or `admin` (signs in to the admin console and calls `/admin/api/`; `all` does not include it).
 */
export const SCOPE = /^(all|admin|(get|post|put|patch|delete|head|options|\*):\/[^\s?#]*)$/;
/** A key's name: it appears in logs and `keys list`. */
export const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const KeyRecordSchema = z.object({
  /** Short public id, `key_` and 12 hex digits, for `keys revoke`. */
  id: z.string().regex(/^key_[0-9a-f]{12}$/),
  name: z.string().regex(KEY_NAME),
  /** SHA-256 of the key, lower-case hex. */
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  scopes: z.array(z.string().regex(SCOPE)).min(1),
  /** Providers (`openai`) and models (`openai/gpt-4o`) the key may reach; empty for all. */
  providers: z.array(z.string().min(1)),
  /** Requests per minute, when limited. */
  rpm: z.number().int().positive().optional(),
  /** Tokens per minute (prompt and completion), when limited. */
  tpm: z.number().int().positive().optional(),
  /**
   * Spending caps in USD per calendar period (UTC day, UTC month), when budgeted: past one,
   * the key is refused with `budget_exceeded` until the period resets.
   */
  budgets: z.object({ day: z.number().positive().optional(), month: z.number().positive().optional() }).optional(),
  created_at: z.string(),
  /** When `keys update` last changed its scopes, providers or limits. */
  updated_at: z.string().optional(),
  revoked_at: z.string().optional(),
  /** When the key stops working (ISO time); none when it does not expire. */
  expires_at: z.string().optional(),
});

const KeyFileSchema = z.object({
  version: z.literal(1),
  keys: z.array(KeyRecordSchema),
});

/** One key's record. */
export type KeyRecord = z.infer<typeof KeyRecordSchema>;
/** The whole key store. */
export type KeyFile = z.infer<typeof KeyFileSchema>;

/** An empty store. */
export const emptyKeyFile = (): KeyFile => ({ version: 1, keys: [] });

/**
 * Checks one record read from a shared store.
 * @throws Error naming the first field that fails
 */
export function parseKeyRecord(value: unknown): KeyRecord {
  const parsed = KeyRecordSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue.path.join('.') || 'record'}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * Parses the store's text.
 * @throws Error naming what is wrong (not JSON, or the first field that fails)
 */
export function parseKeyFile(text: string): KeyFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not the parser's own message: V8's quotes the text, which may hold a secret pasted by mistake.
    throw new Error('not JSON');
  }
  const parsed = KeyFileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue.path.join('.') || 'file'}: ${issue.message}`);
  }
  return parsed.data;
}
