/**
 * Gateway keys themselves: `gw-` and 32 random bytes in base64url (256 bits), and their
 * SHA-256, the only form the store keeps.
 */
import { createHash, randomBytes } from 'node:crypto';

/** A new gateway key, to show once. */
export function generateKey(): string {
  return `gw-${randomBytes(32).toString('base64url')}`;
}

/** A new record id, `key_` and 12 hex digits. */
export function generateKeyId(): string {
  return `key_${randomBytes(6).toString('hex')}`;
}

/** The SHA-256 of a key, as bytes. */
export function hashKey(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

const GATEWAY_KEY_SHAPE = /^gw-[A-Za-z0-9_-]{43}$/;

/** Whether `value` has the shape of a gateway key (`gw-` and 43 base64url characters). */
export function isGatewayKeyShaped(value: string): boolean {
  return value.length === 46 && GATEWAY_KEY_SHAPE.test(value);
}
