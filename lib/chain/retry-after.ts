/**
 * Reads how long a provider asked us to wait: `retry-after-ms` (OpenAI's), then
 * `retry-after` as seconds or as an HTTP date.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
 */

/** The wait in ms (0 or more), or undefined when the headers hold no usable hint. */
export function retryAfterMs(headers: Record<string, string | string[] | undefined>, now = Date.now()): number | undefined {
  const first = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const ms = first('retry-after-ms');
  if (ms !== undefined && /^\s*\d+(\.\d+)?\s*$/.test(ms)) return Math.max(0, Math.ceil(Number(ms)));
  const value = first('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
