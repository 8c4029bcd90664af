/**
 * Starts the benchmark's two processes, the fake upstream and the gateway (as
 * `npm start` runs it), and reads their peak memory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** A started child process and the port it listens on. */
export interface Started {
  child: ChildProcess;
  port: number;
}

/**
 * Spawns `node <script>` (through tsx when it is TypeScript) and resolves once `pattern`
 * matches a line of its output (stdout or stderr), with the port the pattern's first
 * group captured.
 * @throws Error when the process exits or stays silent for 20 s
 */
export function startNode(script: string, env: Record<string, string>, pattern: RegExp): Promise<Started> {
  const args = script.endsWith('.ts') ? ['--import', 'tsx', script] : [script];
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 20 s`)), 20_000);
    let seen = '';
    const onData = (data: Buffer) => {
      seen += data.toString();
      const match = pattern.exec(seen);
      if (!match) return;
      clearTimeout(timer);
      // From here on its output is drained and dropped, as a log collector would.
      child.stdout?.removeListener('data', onData);
      child.stderr?.removeListener('data', onData);
      child.stdout?.resume();
      child.stderr?.resume();
      resolve({ child, port: Number(match[1]) });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}: ${seen}`));
    });
  });
}

/** The peak resident set size of a process, in MB (Linux `VmHWM`). */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : Number.NaN;
}
