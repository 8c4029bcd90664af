/**
 * UTC days: `utcDay` remembers the last day it computed, so the times around a day's edges
 * (and going back in time) must still land on the right day.
 */
import { describe, expect, it } from 'vitest';
import { utcDay } from '../../lib/spend/utc-day.js';

describe('utcDay', () => {
  it('names the UTC day of a time, at the edges of days, forwards and back', () => {
    const midnight = Date.UTC(2026, 11, 7);
    const times = [midnight + 5_000, midnight - 1, midnight, midnight + 86_400_000 - 1, midnight + 86_400_000, midnight - 1, Date.UTC(1969, 11, 31, 23, 59), Date.UTC(1970, 0, 1)];
    expect(times.map(utcDay)).toEqual(['2026-12-07', '2026-12-06', '2026-12-07', '2026-12-07', '2026-12-08', '2026-12-06', '1969-12-31', '1970-01-01']);
    for (let ms = midnight - 3 * 3_600_000; ms < midnight + 3 * 3_600_000; ms += 1_234_567) expect(utcDay(ms)).toBe(new Date(ms).toISOString().slice(0, 10));
  });

  it('throws for a time that is no time, as Date does', () => {
    expect(() => utcDay(Number.NaN)).toThrow(RangeError);
  });
});
