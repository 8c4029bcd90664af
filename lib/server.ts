/**
 * `npm start`: serves the gateway on Node at `HOST`:`PORT` (default 127.0.0.1:3000).
 */
import { serve } from '@hono/node-server';
import { ConfigError, loadConfig } from './config.js';
import { createApp } from './app.js';

function start(): void {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const app = createApp(config);
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
    console.error(`AI gateway listening on http://${info.address}:${info.port}`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

start();
