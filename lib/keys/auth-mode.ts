/**
 * Which credential rule is in force (docs/api.md "Credentials"), as `GET /health` reports it:
 *
 * - `keys`: a gateway credential is configured (the key file, `GATEWAY_KEYS`,
 *   `GATEWAY_MASTER_KEY`) or `GATEWAY_AUTH=keys`: every request carries a gateway key;
 * - `off`: `GATEWAY_AUTH=off`: no gateway keys, the gateway's own provider keys serve anyone;
 * - `open-loopback`: none configured, and only this machine can connect (the Node server
 *   listens on loopback only): the gateway's own provider keys serve its local clients;
 * - `own-keys-only`: none configured and reachable beyond loopback (any other address, and
 *   always on Vercel and Netlify): clients that bring their own provider keys are served, a
 *   request that would spend the gateway's own `<NAME>_API_KEY` is refused.
 */
import type { KeyStore } from './key-store.js';

/** `GET /health`'s `auth`. */
export type AuthMode = 'keys' | 'open-loopback' | 'own-keys-only' | 'off';

/**
 * The mode in force now (a key created in the file store switches to `keys` while running).
 * @param store the key store; undefined with `GATEWAY_AUTH=off`
 * @param exposed whether clients beyond this machine can connect
 */
export function authMode(store: KeyStore | undefined, exposed: boolean): AuthMode {
  if (store === undefined) return 'off';
  if (store.enabled) return 'keys';
  return exposed ? 'own-keys-only' : 'open-loopback';
}

const LOOPBACK = new Set(['localhost', '::1', '[::1]', '0:0:0:0:0:0:0:1']);

/** Whether a listen address (`HOST`) is reachable from this machine only: `127.0.0.0/8`, `::1`, `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const name = host.trim().toLowerCase();
  return LOOPBACK.has(name) || /^127(\.\d{1,3}){3}$/.test(name) || /^::ffff:127(\.\d{1,3}){3}$/.test(name);
}
