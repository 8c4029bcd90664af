/**
 * Whose a stored response is. With gateway keys, the key's id (a key sees only its own
 * responses). Without, a hash of every credential the request carries (`Authorization`,
 * `x-api-key`, each `x-<name>-api-key`), so that only a client holding the same keys can read
 * or continue it; a request with none is the machine's own tenant, `local`, when it comes from
 * this machine's own clients of a gateway that lends them its keys (`keys/local-request.ts`),
 * and has no tenant otherwise: nothing is stored for it, and it reads nothing. Never a
 * credential itself.
 */
import { createHash } from 'node:crypto';

const PROVIDER_KEY = /^x-[a-z0-9_-]+-api-key$/;

/**
 * @param grantId the gateway key's id, when the request carried one
 * @param headers the request's headers, lower-case names
 * @param localClient whether a request without credentials comes from this machine's own
 *   clients on a gateway that lends them its keys (`keys/local-request.ts`)
 * @returns the tenant, or undefined for a stranger without credentials, who has none
 */
export function tenantOf(grantId: string | undefined, headers: Record<string, string>, localClient: boolean): string | undefined {
  if (grantId !== undefined) return `key:${grantId}`;
  const credentials = Object.keys(headers)
    .filter((name) => (name === 'authorization' || name === 'x-api-key' || PROVIDER_KEY.test(name)) && headers[name].trim() !== '')
    .sort()
    .map((name) => `${name}\0${headers[name].trim()}`);
  if (credentials.length === 0) return localClient ? 'local' : undefined;
  return `cred:${createHash('sha256').update(credentials.join('\0')).digest('hex')}`;
}
