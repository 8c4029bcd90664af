/**
 * `npm start`: serves the gateway on Node at `HOST`:`PORT` (default 127.0.0.1:3000).
 */
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from './config.js';
import { createApp } from './app.js';
import { createNodeServer } from './node/node-server.js';

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
  server.listen(config.port, config.host, () => {
    const { address, port } = server.address() as AddressInfo;
    console.error(`AI gateway listening on http://${address}:${port}`);
  });
  // Exit once the open requests are answered and the last log lines reached stdout
  // (the logger batches them on the next turn of the event loop).
  const stop = () => server.close(() => setImmediate(() => process.stdout.write('', () => process.exit(0))));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

start();
