/**
 * Typos in `GATEWAY_*` variables: an unknown one would silently leave its setting at the
 * default, so each gets a warning at start-up naming the closest known variable.
 */
import { closest } from 'fastest-levenshtein';
import { SETTINGS } from '../config.js';

const KNOWN_GATEWAY = SETTINGS.filter((name) => name.startsWith('GATEWAY_'));

/** One unknown variable and the known one it is closest to. */
export interface UnknownSetting {
  name: string;
  closest: string;
}

/** The `GATEWAY_*` variables of `env` that the gateway does not read, each with the closest known one. */
export function unknownSettings(env: Record<string, string | undefined>): UnknownSetting[] {
  return Object.keys(env)
    .filter((name) => name.startsWith('GATEWAY_') && !KNOWN_GATEWAY.includes(name))
    .sort()
    .map((name) => ({ name, closest: closest(name, KNOWN_GATEWAY as string[]) }));
}
