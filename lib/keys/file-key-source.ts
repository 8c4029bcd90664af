/**
 * The key store file (`GATEWAY_KEYS_FILE`) as a key source: loaded once at start-up, then
 * reloaded whenever the file changes (polled with `fs.watchFile` every 500 ms, so a created
 * or revoked key counts within a second, and no request ever touches the disk). A file that
 * becomes unreadable, invalid or absent keeps the last good keys and logs a warning: a
 * broken edit must not open the gateway.
 */
import { unwatchFile, watchFile } from 'node:fs';
import type { Logger } from '../log/logger.js';
import { readKeyFile, readKeyFileSync } from './key-file.js';
import type { KeyFile } from './key-record.js';
import { KeyIndex, type KeyEntry, type KeySource } from './key-source.js';

/** How often the file is polled for changes, in ms. */
const POLL_INTERVAL_MS = 500;

/** The file's records, swapped whole on each reload. */
export class FileKeySource implements KeySource {
  #index: KeyIndex;
  #reloading: Promise<void> = Promise.resolve();

  /**
   * Loads `path` now and watches it until `signal` aborts.
   * @throws Error when the file exists but is not a valid store
   */
  constructor(
    readonly label: string,
    private readonly logger: Logger,
    signal?: AbortSignal,
  ) {
    this.#index = new KeyIndex(readKeyFileSync(label));
    const onChange = () => {
      this.#reloading = this.#reloading.then(() => this.reload());
    };
    watchFile(label, { interval: POLL_INTERVAL_MS, persistent: false }, onChange);
    signal?.addEventListener('abort', () => unwatchFile(label, onChange), { once: true });
  }

  get size(): number {
    return this.#index.size;
  }

  get active(): number {
    return this.#index.active;
  }

  find(hashHex: string): KeyEntry | undefined {
    return this.#index.find(hashHex);
  }

  /** Reads the file again; keeps the current keys (and warns) when it cannot be used. */
  async reload(): Promise<void> {
    let file: KeyFile;
    try {
      file = await readKeyFile(this.label);
    } catch (error) {
      this.logger.log('warn', { msg: 'key store not reloaded, keeping the last good keys', file: this.label, error: (error as Error).message });
      return;
    }
    if (file.keys.length === 0 && this.#index.size > 0) {
      this.logger.log('warn', { msg: 'key store is gone or empty, keeping the last good keys', file: this.label });
      return;
    }
    this.#index = new KeyIndex(file);
  }
}
