/**
 * Starts a real `redis-server` (Debian's package) for the tests and the benchmarks: on a free
 * loopback port, with no persistence (nothing is written to disk), never as a system service. It
 * is stopped by `stop()`, and killed at the latest when the process that started it exits.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';

/** The message a machine without `redis-server` gets: what to install. */
export const MISSING_REDIS_SERVER =
  'redis-server is not installed, and the Redis tests start their own (on a free loopback port, no persistence): ' +
  'install it with `apt-get install -y redis-server` (Debian, Ubuntu; .ci/run does this) or `brew install redis` (macOS), ' +
  'or set REDIS_SERVER to its path.';

/** The `redis-server` binary: `REDIS_SERVER`, else the one on `PATH`. */
const BINARY = process.env.REDIS_SERVER ?? 'redis-server';

/** Whether `redis-server` can be run here. */
export function redisServerInstalled(): boolean {
  return spawnSync(BINARY, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A running `redis-server`. */
export interface RedisServer {
  port: number;
  /** `redis://127.0.0.1:port` (with the user and password when it has them). */
  url: string;
  /** Stops it (SIGTERM) and resolves once it exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty (there is no persistence). */
  restart(): Promise<void>;
}

/** What the server requires of its clients. */
export interface RedisServerOptions {
  /** An ACL user with every permission, reached with this password. */
  user?: { name: string; password: string };
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A port that was free a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Runs `redis-server` on `port` and resolves once it accepts connections. */
function launch(port: number, options: RedisServerOptions): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmpdir(), '--daemonize', 'no'];
  if (options.user) args.push('--user', options.user.name, 'on', `>${options.user.password}`, '~*', '&*', '+@all', '--user', 'default', 'off');
  const child = spawn(BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not start within 10 s: ${seen}`));
    }, 10_000);
    const onData = (data: Buffer) => {
      seen += data.toString();
      if (!seen.includes('Ready to accept connections')) return;
      clearTimeout(timer);
      child.stdout?.removeListener('data', onData);
      child.stdout?.resume();
      child.stderr?.resume();
      running.add(child);
      child.once('exit', () => running.delete(child));
      resolve(child);
    };
    child.stdout?.on('data', onData);
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(error.code === 'ENOENT' ? new Error(MISSING_REDIS_SERVER) : error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}: ${seen}`));
    });
  });
}

function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * Starts a `redis-server` on a free loopback port.
 * @throws Error with {@link MISSING_REDIS_SERVER} when it is not installed
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  if (!redisServerInstalled()) throw new Error(MISSING_REDIS_SERVER);
  let child: ChildProcess | undefined;
  let port = 0;
  // Another process may take the probed port before redis-server binds it: try a few.
  for (let tries = 0; child === undefined; tries += 1) {
    port = await freePort();
    try {
      child = await launch(port, options);
    } catch (error) {
      if (tries >= 4 || !String(error).includes('Address already in use')) throw error;
    }
  }
  const credentials = options.user ? `${encodeURIComponent(options.user.name)}:${encodeURIComponent(options.user.password)}@` : '';
  return {
    port,
    url: `redis://${credentials}127.0.0.1:${port}`,
    async stop() {
      if (child) await stopped(child);
    },
    async restart() {
      if (child) await stopped(child);
      child = await launch(port, options);
    },
  };
}
