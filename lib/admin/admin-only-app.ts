/**
 * The app `npm start` serves on `GATEWAY_ADMIN_PORT`: the console alone, `/` leading to it,
 * and nothing of the proxy.
 */
import { Hono } from 'hono';
import type { AdminConsole } from './admin-app.js';
import type { AdminEnv } from './admin-guard.js';

export function adminOnlyApp(admin: AdminConsole): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  app.get('/', (c) => c.redirect('/admin', 303));
  app.route('/', admin.app);
  app.notFound((c) => c.text('Not found: this port serves the admin console only, at /admin', 404));
  return app;
}
