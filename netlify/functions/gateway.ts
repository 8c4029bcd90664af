/**
 * Netlify Functions v2 entry: a Web `Request` in, the app's streamed `Response` out,
 * for every path (`config.path`), so the site answers the same URLs as `npm start`.
 * https://docs.netlify.com/build/functions/api/
 */
import type { Config, Context } from '@netlify/functions';
import { createServerlessApp } from '../../lib/serverless.js';

// Reachable beyond loopback: without gateway keys it never lends its provider keys.
const app = createServerlessApp('netlify');

/** Hands the request to the gateway app; Netlify streams the returned body. */
export default async function gateway(request: Request, _context: Context): Promise<Response> {
  return app.fetch(request);
}

export const config: Config = { path: '/*' };
