/**
 * Reads the per-request overrides `x-gateway-retries` (0 to 5) and `x-gateway-timeout`
 * (1 to 600000 ms), falling back to the configured defaults.
 */
import { badRequest } from '../errors.js';

function integerHeader(name: string, value: string | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const text = value.trim();
  const number = /^\d{1,7}$/.test(text) ? Number(text) : Number.NaN;
  if (!(number >= min && number <= max)) {
    throw badRequest(`${name} must be an integer from ${min} to ${max}, got "${value}"`, null, 'invalid_header');
  }
  return number;
}

/**
 * The retry count and attempt timeout (ms) for one request.
 * @throws GatewayError 400 naming the header when a value is out of range or not an integer
 */
export function gatewayOverrides(
  read: (name: string) => string | undefined,
  defaults: { retries: number; timeoutMs: number },
): { retries: number; timeoutMs: number; shortTimeout: boolean } {
  const timeoutMs = integerHeader('x-gateway-timeout', read('x-gateway-timeout'), 1, 600_000, defaults.timeoutMs);
  return {
    retries: integerHeader('x-gateway-retries', read('x-gateway-retries'), 0, 5, defaults.retries),
    timeoutMs,
    // A timeout the client chose below the gateway's own says nothing about the provider.
    shortTimeout: timeoutMs < defaults.timeoutMs,
  };
}
