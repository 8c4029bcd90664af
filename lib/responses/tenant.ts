/**
 * Whose a stored response is. With gateway keys, the key's id (a key sees only its own
 * responses). Without, a hash of every credential the request carries (`Authorization`,
 * `x-api-key`, each `x-<name>-api-key`), so that only a client holding the same keys can read
 * or continue it; a request with none (the gateway's own keys, on loopback) is the machine's
 * own tenant, `local`. Never a credential itself.
 */
import { createHash } from 'node:crypto';

const PROVIDER_KEY = /^x-[a-z0-9_-]+-api-key$/;

/**
 * @param grantId the gateway key's id, when the request carried one
 * @param headers the request's headers, lower-case names
 */
export function tenantOf(grantId: string | undefined, headers: Record<string, string>): string {
  if (grantId !== undefined) return `key:${grantId}`;
  const credentials = Object.keys(headers)
    .filter((name) => name === 'authorization' || name === 'x-api-key' || PROVIDER_KEY.test(name))
    .sort()
    .map((name) => `${name}\0${headers[name].trim()}`);
  if (credentials.length === 0) return 'local';
  return `cred:${createHash('sha256').update(credentials.join('\0')).digest('hex')}`;
}
