/**
 * Runs `lib/server.ts` (what `npm start` serves) in a child process, from a chosen working
 * folder (for `.env`) and with exactly the given environment, and reads its start-up summary.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = pathToFileURL(`${ROOT}node_modules/tsx/dist/loader.mjs`).href;

/** A gateway started as `npm start` starts it. */
export interface StartedServer {
  /** The port it listens on. */
  port: number;
  /** Everything it wrote to stderr so far: the start-up summary first. */
  stderr(): string;
  stop(): Promise<void>;
}

/** How a start that never listened ended. */
export interface FailedStart {
  code: number | null;
  stderr: string;
}

/**
 * Starts the gateway and resolves once it listens (`PORT=0` picks a free port); rejects with
 * a {@link FailedStart} when it exits first, and after 20 s.
 * @param cwd the working folder (where `.env` is read from)
 */
export function startServer(env: Record<string, string>, cwd = ROOT): Promise<StartedServer> {
  const child: ChildProcess = spawn(process.execPath, ['--import', TSX, `${ROOT}lib/server.ts`], {
    cwd,
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject({ code: null, stderr } satisfies FailedStart);
    }, 20_000);
    child.stderr?.on('data', (data: Buffer) => {
      stderr += data.toString('utf8');
      const match = /listening on http:\/\/(?:\[[^\]]+\]|[^:/]+):(\d+)/.exec(stderr);
      if (!match || !stderr.includes('  state: ')) return;
      clearTimeout(timer);
      resolve({
        port: Number(match[1]),
        stderr: () => stderr,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject({ code, stderr } satisfies FailedStart);
    });
  });
}

/** Starts a gateway that is expected to refuse to start; resolves with how it ended. */
export async function failedStart(env: Record<string, string>, cwd = ROOT): Promise<FailedStart> {
  try {
    const server = await startServer(env, cwd);
    await server.stop();
    throw new Error(`it started: ${server.stderr()}`);
  } catch (error) {
    if (error instanceof Error) throw error;
    return error as FailedStart;
  }
}
