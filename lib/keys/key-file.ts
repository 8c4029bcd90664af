/**
 * Reads and writes the key store file. Writes are atomic: a temporary file in the same
 * directory, created with mode 0600, synced, then renamed over the store, so that a
 * reader (the running gateway) sees the old store or the new one, never half of one.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { emptyKeyFile, parseKeyFile, type KeyFile } from './key-record.js';

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Reads the store; an absent file is an empty store.
 * @throws Error when the file cannot be read or is not a valid store
 */
export async function readKeyFile(path: string): Promise<KeyFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isMissing(error)) return emptyKeyFile();
    throw new KeyFileError(path, (error as Error).message);
  }
  try {
    return parseKeyFile(text);
  } catch (error) {
    throw new KeyFileError(path, (error as Error).message);
  }
}

/** A key file that cannot be read or is not a valid store; the message names the file. */
export class KeyFileError extends Error {
  constructor(path: string, problem: string) {
    super(`${path} is not a usable key store: ${problem}`);
    this.name = 'KeyFileError';
  }
}

/**
 * Reads the store once at start-up, before any request is served.
 * @throws Error as {@link readKeyFile}
 */
export function readKeyFileSync(path: string): KeyFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (isMissing(error)) return emptyKeyFile();
    throw error;
  }
  return parseKeyFile(text);
}

/** Writes the store atomically with mode 0600, creating its directory (0700) when needed. */
export async function writeKeyFile(path: string, file: KeyFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(file, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
