/**
 * Starts the gateway app in-process on 127.0.0.1:0 with a given environment, so that
 * tests reach it over real HTTP.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../lib/app.js';
import type { GatewayOptions } from '../../lib/gateway.js';
import { loadConfig } from '../../lib/config.js';

/** A running gateway. */
export interface TestGateway {
  /** `http://127.0.0.1:port` */
  origin: string;
  close(): Promise<void>;
}

/**
 * Starts a gateway whose environment is exactly `env`, plus `LOG_LEVEL=silent` and
 * `GATEWAY_CACHE=off` unless `env` says otherwise: most tests count upstream calls for
 * repeated identical requests, which the cache would answer.
 */
export async function startGateway(env: Record<string, string> = {}, options: GatewayOptions = {}): Promise<TestGateway> {
  const app = createApp(loadConfig({ LOG_LEVEL: 'silent', GATEWAY_CACHE: 'off', ...env }), options);
  const server: ServerType = await new Promise((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
