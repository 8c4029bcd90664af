/** What every configuration check shares: the error it throws, and the base URL check. */

/** A configuration value that cannot be used; `message` names the variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Checks an http(s) base URL setting and returns it without trailing slashes.
 * @throws ConfigError naming `variable`
 */
export function checkBaseURL(variable: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${variable} must be an absolute http(s) URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${variable} must be an http(s) URL, got "${value}"`);
  }
  if (url.search || url.hash) throw new ConfigError(`${variable} must not hold a query or fragment`);
  return value.replace(/\/+$/, '');
}
