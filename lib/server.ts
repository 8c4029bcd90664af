/**
 * `npm start`: serves the gateway on Node at `HOST`:`PORT` (default 127.0.0.1:3000).
 */
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from './config.js';
import { createApp } from './app.js';
import { createNodeServer } from './node/node-server.js';

/** How long a stopping gateway waits for open requests, in ms. */
const SHUTDOWN_GRACE_MS = 10_000;

function start(): void {
  let config;
  let app;
  try {
    config = loadConfig();
    app = createApp(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const server = createNodeServer(app.fetch);
  server.once('error', (error: NodeJS.ErrnoException) => {
    // EADDRINUSE, EACCES…: say what and where, without a stack trace.
    console.error(`Cannot listen on ${config.host}:${config.port}: ${error.code ?? error.message}`);
    process.exit(1);
  });
  server.listen(config.port, config.host, () => {
    const { address, port } = server.address() as AddressInfo;
    console.error(`AI gateway listening on http://${address}:${port}`);
  });
  // On the first signal: stop accepting, let open requests finish (streams included) for
  // at most SHUTDOWN_GRACE_MS, flush the last log lines, exit. A second signal exits at once.
  const stop = (signal: NodeJS.Signals) => {
    console.error(`${signal}: finishing open requests (up to ${SHUTDOWN_GRACE_MS / 1000} s; again to quit now)`);
    process.once(signal, () => process.exit(1));
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
    server.close(() => setImmediate(() => process.stdout.write('', () => process.exit(0))));
    server.closeIdleConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

start();
