/**
 * `.env` for `npm start` and `npm run keys`: read from the working folder when present, with
 * Node's own `process.loadEnvFile`; a variable already in the environment wins.
 *
 * Node's parser is lenient: a line that is not `NAME=value` is skipped or, worse, swallows
 * the next line (`bad\nY=2` sets a variable named "bad\nY"). So the file is checked line by
 * line first, and a malformed line stops the start with its number (never its text, which
 * may hold a secret).
 *
 * @see https://nodejs.org/docs/latest-v20.x/api/process.html#processloadenvfilepath
 */
import { existsSync, readFileSync } from 'node:fs';
import { ConfigError } from '../config.js';

const ASSIGNMENT = /^\s*(?:export\s+)?[A-Za-z_][A-Za-z0-9_.-]*\s*=\s*(.*)$/;
const QUOTES = new Set(['"', "'", '`']);

/**
 * Checks a `.env` text.
 * @throws ConfigError naming the first malformed line, or a quote that never closes
 */
export function checkDotenv(text: string, file = '.env'): void {
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index];
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const match = ASSIGNMENT.exec(line);
    if (!match) throw new ConfigError(`${file} line ${index + 1} is not NAME=value (a line is NAME=value, a # comment or blank)`);
    const value = match[1];
    const quote = value[0];
    // A quoted value may go on over more lines until its closing quote.
    if (!QUOTES.has(quote) || value.indexOf(quote, 1) !== -1) continue;
    const opened = index;
    do index += 1;
    while (index < lines.length && !lines[index].includes(quote));
    if (index >= lines.length) throw new ConfigError(`${file} line ${opened + 1}: the value's opening ${quote} is never closed`);
  }
}

/**
 * Loads `path` into `process.env` when it exists, variables already set winning.
 * @returns the names it set (not their values), or undefined when there is no file
 * @throws ConfigError for a malformed file
 */
export function loadDotenv(path = '.env'): string[] | undefined {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  checkDotenv(text, path);
  const before = new Set(Object.keys(process.env));
  process.loadEnvFile(path);
  return Object.keys(process.env).filter((name) => !before.has(name));
}
