/**
 * Starts the gateway app in-process on 127.0.0.1:0 with a given environment, so that
 * tests reach it over real HTTP, through the same Node server `npm start` uses.
 */
import type { ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../lib/app.js';
import { loadConfig } from '../../lib/config.js';
import type { GatewayOptions } from '../../lib/gateway.js';
import { createNodeServer } from '../../lib/node/node-server.js';

/** A running gateway. */
export interface TestGateway {
  /** `http://127.0.0.1:port` */
  origin: string;
  port: number;
  close(): Promise<void>;
}

/** How a test gateway differs from `npm start`, beyond its environment. */
export interface TestGatewayOptions extends GatewayOptions {
  /** Node's server options, e.g. `insecureHTTPParser`. */
  serverOptions?: ServerOptions;
}

/**
/** A key store path that does not exist, so that a developer's own `.gateway/keys.json` never counts. */
const NO_KEY_STORE = join(tmpdir(), `gateway-test-no-keys-${process.pid}`, 'keys.json');

/**
 * Starts a gateway whose environment is exactly `env`, plus `LOG_LEVEL=silent`,
 * `GATEWAY_CACHE=off` and a key store that does not exist, unless `env` says otherwise
 * (set a LOG_LEVEL with a `logSink`): most tests count upstream calls for repeated
 * identical requests, which the cache would answer.
 */
export async function startGateway(env: Record<string, string> = {}, options: TestGatewayOptions = {}): Promise<TestGateway> {
  const { serverOptions, ...gatewayOptions } = options;
  const lifetime = new AbortController();
  const app = createApp(loadConfig({ LOG_LEVEL: 'silent', GATEWAY_CACHE: 'off', GATEWAY_KEYS_FILE: NO_KEY_STORE, ...env }), { signal: lifetime.signal, ...gatewayOptions });
  const server = createNodeServer(app.fetch, serverOptions);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        lifetime.abort();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
