/**
 * `.env` is checked line by line before Node loads it: Node's own parser skips a malformed
 * line or lets it swallow the next one, silently.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lib/config.js';
import { checkDotenv } from '../../lib/startup/load-dotenv.js';

describe('checkDotenv', () => {
  it('takes assignments, export, comments, blanks, quotes and quoted values over several lines', () => {
    expect(() =>
      checkDotenv(['# comment', '', 'A=1', 'export B="two words"', "C='multi", 'line', "value'", 'D = spaced # trailing comment', 'E=', 'F=`x`'].join('\n')),
    ).not.toThrow();
  });

  it.each([
    ['OPENAI_API_KEY sk-secret', 1],
    ['A=1\n=2', 2],
    ['A=1\n\n1NAME=x', 3],
    ['A="never closed\nB=2', 1],
  ])('refuses %j at line %i, without echoing it', (text, line) => {
    expect(() => checkDotenv(text)).toThrow(ConfigError);
    expect(() => checkDotenv(text)).toThrow(new RegExp(`^\\.env line ${line}\\b`));
    try {
      checkDotenv(text);
    } catch (error) {
      expect((error as Error).message).not.toContain('sk-secret');
    }
  });
});
