/**
 * Runs the keys CLI (`npm run keys`'s script) as a child process against a given store.
 */
import { execFile } from 'node:child_process';

/** What one CLI run printed. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `scripts/keys.ts` with `args`, `GATEWAY_KEYS_FILE=store` and `env`. */
export function runKeys(store: string, args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/keys.ts', ...args],
      { env: { PATH: process.env.PATH, GATEWAY_KEYS_FILE: store, ...env }, encoding: 'utf8', timeout: 15_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Creates a key with the CLI and returns it. */
export async function createKeyWithCli(store: string, name: string, ...options: string[]): Promise<string> {
  const run = await runKeys(store, ['create', name, ...options]);
  if (run.code !== 0) throw new Error(`keys create ${name} failed: ${run.stderr}`);
  return run.stdout.trim();
}

/** Polls `check` every 50 ms until it holds or `timeoutMs` passed; resolves with the time taken, in ms. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 2000): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`still not true after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
