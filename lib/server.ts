/**
 * `npm start`: serves the gateway on Node at `HOST`:`PORT` (default 127.0.0.1:3000), after
 * reading `.env` from the working folder when there is one, and prints the start-up summary
 * on stderr.
 */
import type { AddressInfo } from 'node:net';
import { adminOnlyApp } from './admin/admin-only-app.js';
import { createGatewayApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { isLoopbackHost } from './keys/auth-mode.js';
import { createNodeServer } from './node/node-server.js';
import { loadDotenv } from './startup/load-dotenv.js';
import { startupFacts, summaryLines } from './startup/summary.js';
import { unknownSettings } from './startup/unknown-settings.js';

/** How long a stopping gateway waits for open requests, in ms. */
const SHUTDOWN_GRACE_MS = 10_000;

/** `http://host:port`, with an IPv6 address in brackets. */
const origin = ({ address, port }: AddressInfo) => `http://${address.includes(':') ? `[${address}]` : address}:${port}`;

function start(): void {
  let dotenv: string[] | undefined;
  let built;
  let config;
  try {
    dotenv = loadDotenv();
    config = loadConfig();
    built = createGatewayApp(config, { exposed: !isLoopbackHost(config.host), adminElsewhere: config.admin.port !== undefined });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const { app, gateway, admin } = built;
  const server = createNodeServer(app.fetch);
  // GATEWAY_ADMIN_PORT: the console on a port of its own (and not under /admin of the main one).
  const adminServer = admin && config.admin.port !== undefined ? createNodeServer(adminOnlyApp(admin).fetch) : undefined;
  adminServer?.once('error', (error: NodeJS.ErrnoException) => {
    console.error(`Cannot listen on ${config.host}:${config.admin.port} (GATEWAY_ADMIN_PORT): ${error.code ?? error.message}`);
    process.exit(1);
  });
  adminServer?.listen(config.admin.port, config.host);
  server.once('error', (error: NodeJS.ErrnoException) => {
    // EADDRINUSE, EACCES…: say what and where, without a stack trace.
    console.error(`Cannot listen on ${config.host}:${config.port}: ${error.code ?? error.message}`);
    process.exit(1);
  });
  server.listen(config.port, config.host, async () => {
    // Gateway keys in Redis are read first (bounded by the connect timeout), so the auth line is true.
    await gateway.keys?.ready();
    const lines = summaryLines(startupFacts(gateway, unknownSettings(process.env)), origin(server.address() as AddressInfo));
    if (dotenv) lines.splice(1, 0, `  .env: read ${dotenv.length} variable${dotenv.length === 1 ? '' : 's'} (the environment's own win)`);
    console.error(lines.join('\n'));
  });
  // On the first signal: stop accepting, let open requests finish (streams included) for
  // at most SHUTDOWN_GRACE_MS, flush the last log lines, exit. A second signal exits at once.
  const stop = (signal: NodeJS.Signals) => {
    console.error(`${signal}: finishing open requests (up to ${SHUTDOWN_GRACE_MS / 1000} s; again to quit now)`);
    process.once(signal, () => process.exit(1));
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
    adminServer?.close();
    adminServer?.closeIdleConnections();
    // The last spans go out before the exit (bounded by the grace period).
    const flushed = () => (gateway.tracing ? gateway.tracing.shutdown().catch(() => undefined) : Promise.resolve());
    server.close(() => void flushed().then(() => setImmediate(() => process.stdout.write('', () => process.exit(0)))));
    server.closeIdleConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

start();
