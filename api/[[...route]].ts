/**
 * Vercel entry (Node.js runtime): every path is rewritten here by `vercel.json`.
 *
 * The app itself is the export: Vercel's Node runtime calls an exported object's
 * `fetch(request)` with a Web `Request` and streams the `Response` body as it is
 * produced. `handle(app)` from `hono/vercel` as the default export is taken for a
 * Node `(req, res)` handler and never answers, and a Node listener gets a body that
 * Vercel's helpers have already read; neither is used here. A deployment is reachable
 * beyond loopback: without gateway keys it never lends its provider keys (lib/serverless.ts).
 * https://vercel.com/docs/functions/functions-api-reference
 */
import { createServerlessApp } from '../lib/serverless.js';

export default createServerlessApp('vercel');
