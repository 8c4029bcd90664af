/**
 * Runs `lib/server.ts` (what `npm start` runs) in a child process, so that a test can
 * measure the gateway's own memory apart from the test's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** A gateway running in its own process. */
export interface ChildGateway {
  port: number;
  origin: string;
  process: ChildProcess;
  /** Peak and current resident memory of the gateway process, in MiB (Linux `/proc`). */
  memory(): { peakMiB: number; rssMiB: number };
  stop(): Promise<void>;
}

/** Starts `lib/server.ts` on a free port with exactly `env` (plus PATH) and waits until it listens. */
export async function startChildGateway(env: Record<string, string> = {}): Promise<ChildGateway> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'lib/server.ts'], {
    env: { PATH: process.env.PATH, PORT: '0', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on http:\/\/[^:]+:(\d+)/.exec(stderr);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`the gateway exited with ${code}: ${stderr}`)));
  });
  const kib = (status: string, field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]) / 1024;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    process: child,
    memory() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return { peakMiB: kib(status, 'VmHWM'), rssMiB: kib(status, 'VmRSS') };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
