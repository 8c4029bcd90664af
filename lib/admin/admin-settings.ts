/** The admin console's settings (`GATEWAY_ADMIN_*`), checked (the schema is in `config.ts`). */
import { ConfigError } from '../config-checks.js';

/** The admin console's settings. */
export interface AdminSettings {
  /** `GATEWAY_ADMIN=on` (the default). */
  enabled: boolean;
  /** `GATEWAY_ADMIN_PORT`: on Node, the console listens there (on `HOST`) and not on the main port. */
  port?: number;
  /** `GATEWAY_ADMIN_SECRET`: signs session cookies; derived from the master key when unset. */
  secret?: string;
  /** How long a session lasts, in seconds. */
  sessionTtlSeconds: number;
  /** Sign-in attempts per minute per client address. */
  signInRpm: number;
  /** `GATEWAY_ADMIN_ORIGIN`: the console's public origin (`https://gw.example.com`) behind a proxy; undefined: the request's own. */
  origin?: string;
}

/**
 * Checks `GATEWAY_ADMIN_ORIGIN`: an http(s) origin, nothing after the host.
 * @throws ConfigError
 */
export function adminOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`GATEWAY_ADMIN_ORIGIN must be an origin such as https://gateway.example.com, got "${value}"`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== value.replace(/\/+$/, '')) {
    throw new ConfigError(`GATEWAY_ADMIN_ORIGIN must be an origin such as https://gateway.example.com (no path), got "${value}"`);
  }
  return url.origin;
}
