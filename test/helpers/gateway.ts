/**
 * Starts the gateway app in-process on 127.0.0.1:0 with a given environment, so that
 * tests reach it over real HTTP, through the same Node server `npm start` uses.
 */
import type { ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../lib/app.js';
import { envPrefix, loadConfig } from '../../lib/config.js';
import { BUILTIN_PROVIDERS } from '../../lib/providers/registry.js';
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

/** Stored responses go to a folder of the test run's own, never the checkout's `.gateway/`. */
const RESPONSES_DIR = join(tmpdir(), `gateway-test-responses-${process.pid}`);

/**
 * A provider key in the gateway's environment for every built-in provider that needs one
 * (`<NAME>_API_KEY=env-<name>-key`), so that tests about something else are not refused
 * for a missing key. A test about keys sets the variable itself (`''` for none).
 */
export const ENVIRONMENT_KEYS: Readonly<Record<string, string>> = Object.fromEntries(
  BUILTIN_PROVIDERS.filter((row) => !row.keyOptional).map((row) => [`${envPrefix(row.name)}_API_KEY`, `env-${row.name}-key`]),
);

/**
 * Starts a gateway whose environment is exactly `env`, plus `LOG_LEVEL=silent`,
 * `GATEWAY_CACHE=off`, a key store that does not exist and {@link ENVIRONMENT_KEYS}, unless
 * `env` says otherwise (set a LOG_LEVEL with a `logSink`): most tests count upstream calls
 * for repeated identical requests, which the cache would answer. It counts as listening on
 * loopback only (`open-loopback`) unless `options.exposed` says otherwise.
 */
export async function startGateway(env: Record<string, string> = {}, options: TestGatewayOptions = {}): Promise<TestGateway> {
  const { serverOptions, ...gatewayOptions } = options;
  const lifetime = new AbortController();
  const config = loadConfig({ LOG_LEVEL: 'silent', GATEWAY_CACHE: 'off', GATEWAY_KEYS_FILE: NO_KEY_STORE, GATEWAY_RESPONSES_DIR: RESPONSES_DIR, ...ENVIRONMENT_KEYS, ...env });
  // It listens on 127.0.0.1 only, as `npm start` does by default.
  const app = createApp(config, { signal: lifetime.signal, exposed: false, ...gatewayOptions });
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
