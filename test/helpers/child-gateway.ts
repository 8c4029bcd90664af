/**
 * Runs `lib/server.ts` (what `npm start` runs) in a child process, so that a test can
 * measure the gateway's own memory apart from the test's. Uses the benchmark's launcher.
 */
import type { ChildProcess } from 'node:child_process';
import { peakRssMb, startNode } from '../../bench/processes.js';

/** A gateway running in its own process. */
export interface ChildGateway {
  port: number;
  origin: string;
  process: ChildProcess;
  /** Peak resident memory of the gateway process so far, in MiB (Linux `VmHWM`). */
  peakMiB(): number;
  stop(): Promise<void>;
}

/** Starts `lib/server.ts` on a free port with exactly `env` (plus PATH) and waits until it listens. */
export async function startChildGateway(env: Record<string, string> = {}): Promise<ChildGateway> {
  const { child, port } = await startNode('lib/server.ts', { PORT: '0', LOG_LEVEL: 'silent', GATEWAY_AUTH: 'off', ...env }, /listening on http:\/\/[^:]+:(\d+)/);
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    process: child,
    peakMiB: () => peakRssMb(child.pid as number),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
