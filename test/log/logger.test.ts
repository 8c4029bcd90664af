/**
 * The logger's line shape: `time` and `level` first, then the fields, always valid JSON,
 * with the time of the line's own millisecond.
 */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../lib/log/logger.js';

function capture() {
  const chunks: string[] = [];
  const logger = createLogger('info', { write: (chunk) => chunks.push(chunk) > 0 });
  const lines = () => {
    logger.flush();
    return chunks.join('').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  };
  return { logger, lines, chunks };
}

describe('createLogger', () => {
  it('writes time and level first, then the fields, as valid JSON (fields that need escaping and none at all)', () => {
    const { logger, lines, chunks } = capture();
    logger.log('info', { msg: 'a "quoted"\nline', n: 1, list: ['x'], nothing: null });
    logger.log('warn', {});
    logger.log('debug', { dropped: true });
    const [first, second] = lines();
    expect(Object.keys(first)).toEqual(['time', 'level', 'msg', 'n', 'list', 'nothing']);
    expect(first).toMatchObject({ level: 'info', msg: 'a "quoted"\nline', n: 1, list: ['x'], nothing: null });
    expect(second).toEqual({ time: expect.any(String), level: 'warn' });
    expect(chunks.join('')).not.toContain('dropped');
  });

  it("stamps each line with its own millisecond's time", async () => {
    const { logger, lines } = capture();
    for (let index = 0; index < 3; index += 1) {
      const before = Date.now();
      logger.log('info', { index });
      const after = Date.now();
      const time = Date.parse(lines().at(-1)!.time as string);
      expect(time).toBeGreaterThanOrEqual(before);
      expect(time).toBeLessThanOrEqual(after);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  });
});
