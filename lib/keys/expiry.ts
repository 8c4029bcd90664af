/**
 * When a gateway key stops working: `keys create|update --expires` takes a duration from now
 * (`30d`, `12h`, `90m`) or a date (`2027-01-31`, `2027-01-31T12:00:00Z`), or `never` on update.
 */
import { KeyCommandError } from './key-commands.js';

const DURATION = /^(\d+)([mhdw])$/;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * The expiry as an ISO time, `null` for `never`.
 * @param now the clock, in ms since the epoch
 * @throws KeyCommandError for a value that is neither, or a time already past
 */
export function parseExpiry(value: string, now = Date.now()): string | null {
  if (value === 'never') return null;
  const duration = DURATION.exec(value);
  const at = duration ? now + Number(duration[1]) * UNIT_MS[duration[2]] : Date.parse(value);
  if (!Number.isFinite(at) || (!duration && !/^\d{4}-\d{2}-\d{2}/.test(value))) {
    throw new KeyCommandError(`--expires takes a duration (30d, 12h, 90m, 2w), a date (2027-01-31, 2027-01-31T12:00:00Z) or never, not "${value}"`);
  }
  if (at <= now) throw new KeyCommandError(`--expires ${value} is already past`);
  return new Date(at).toISOString();
}
