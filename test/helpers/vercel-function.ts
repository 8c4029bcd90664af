/**
 * Serves one function of `vercel build`'s output (`.vercel/output/functions/…func`) the
 * way Vercel's Node.js runtime runs it, offline.
 *
 * The bridge is @vercel/node's own (`dist/dev-server.mjs`, what `vercel dev` runs for a
 * function): it imports the handler, decides as Vercel does between a Web handler
 * (`fetch` or per-method exports, response streamed) and a Node `(req, res)` listener
 * (request helpers, which read the body), and serves it with `node:http` on 127.0.0.1.
 * It runs in a child process on a copy of the `.func` folder outside the repository, so
 * the handler can load only the files the build traced, with exactly the given env.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { within } from './within.js';

/** A function being served. */
export interface VercelFunction {
  /** `http://127.0.0.1:port` */
  origin: string;
  /** What the function wrote to stderr so far. */
  stderr(): string;
  close(): Promise<void>;
}

/** The part of `.vc-config.json` the bridge needs. */
interface VcConfig {
  handler: string;
  runtime: string;
  launcherType?: string;
  shouldAddHelpers?: boolean;
}

const START_TIMEOUT_MS = 15_000;

/** Reads a function's `.vc-config.json`. */
export function readVcConfig(funcDir: string): VcConfig {
  return JSON.parse(readFileSync(join(funcDir, '.vc-config.json'), 'utf8')) as VcConfig;
}

/**
 * Starts the function in `funcDir` with `env` (plus PATH) as its whole environment.
 * @throws when the function does not start within 15 s
 */
export async function startVercelFunction(funcDir: string, env: Record<string, string>): Promise<VercelFunction> {
  const vcConfig = readVcConfig(funcDir);
  const copy = mkdtempSync(join(tmpdir(), 'vercel-func-'));
  cpSync(funcDir, copy, { recursive: true, verbatimSymlinks: true });
  const vercelRequire = createRequire(createRequire(import.meta.url).resolve('vercel/package.json'));
  const bridge = vercelRequire.resolve('@vercel/node/dist/dev-server.mjs');
  const child = fork(bridge, [], {
    cwd: copy,
    env: {
      PATH: process.env.PATH ?? '',
      ...env,
      VERCEL_DEV_ENTRYPOINT: vcConfig.handler,
      VERCEL_DEV_CONFIG: JSON.stringify({ helpers: vcConfig.shouldAddHelpers !== false }),
      VERCEL_DEV_PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (data: Buffer) => (stderr += data.toString('utf8')));
  child.stdout?.resume();
  const close = () => stop(child).finally(() => rmSync(copy, { recursive: true, force: true }));
  try {
    const { port } = await within(listening(child, () => stderr), START_TIMEOUT_MS, () => `the function did not start; stderr: ${stderr}`);
    return { origin: `http://127.0.0.1:${port}`, stderr: () => stderr, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Resolves with the bridge's address, which it sends over IPC once it listens. */
function listening(child: ChildProcess, stderr: () => string): Promise<{ port: number }> {
  return new Promise((resolve, reject) => {
    child.once('message', (address) => resolve(address as { port: number }));
    child.once('exit', (code) => reject(new Error(`the function exited (${code}) before it listened; stderr: ${stderr()}`)));
  });
}

/** Ends the child and waits for it, at most 5 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await within(exited, 5_000, 'the function did not exit on SIGTERM').catch(() => {
    child.kill('SIGKILL');
  });
}
