/**
 * The app for the serverless entries (Vercel, Netlify). Such a deployment is always
 * reachable beyond loopback, so with no gateway credential configured it is `own-keys-only`:
 * it never lends its own provider keys to strangers. Each cold start writes the start-up
 * summary to the log (one `info` line, and a `warn` line per warning).
 */
import type { Hono } from 'hono';
import { createGatewayApp } from './app.js';
import { loadConfig } from './config.js';
import type { GatewayEnv } from './gateway.js';
import { startupFacts } from './startup/summary.js';
import { unknownSettings } from './startup/unknown-settings.js';

/**
 * Builds the app from `process.env`.
 * @param runtime where it runs: Netlify keeps stored responses in Netlify Blobs, Vercel in the instance's memory
 * @throws ConfigError when the environment holds a bad value (the function fails at cold start, with the message in its log)
 */
export function createServerlessApp(runtime: 'vercel' | 'netlify'): Hono<GatewayEnv> {
  const { app, gateway } = createGatewayApp(loadConfig(), { exposed: true, runtime });
  const report = () => {
    const { warnings, ...facts } = startupFacts(gateway, unknownSettings(process.env), 'serverless');
    gateway.logger.log('info', { msg: 'gateway started', ...facts });
    for (const warning of warnings) gateway.logger.log('warn', { msg: warning });
  };
  // With gateway keys in Redis, once they are read (or could not be), so the auth mode is true.
  if (gateway.keys?.pending) void gateway.keys.ready().then(report);
  else report();
  return app;
}
