/**
 * Durations as OpenAI's rate-limit headers write them: `20ms`, `1s`, `59s`, `6m0s`.
 */

/** Formats `ms`: below a second in ms, otherwise whole seconds (rounded up) as `XmYs` or `Ys`. */
export function formatDuration(ms: number): string {
  if (Math.ceil(ms) < 1000) return `${Math.max(0, Math.ceil(ms))}ms`;
  const seconds = Math.ceil(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}
