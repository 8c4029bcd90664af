/**
 * Vercel entry (Node.js runtime): every path is rewritten here by `vercel.json`.
 *
 * The app itself is the export: Vercel's Node runtime calls an exported object's
 * `fetch(request)` with a Web `Request` and streams the `Response` body as it is
 * produced. `handle(app)` from `hono/vercel` as the default export is taken for a
 * Node `(req, res)` handler and never answers, and a Node listener gets a body that
 * Vercel's helpers have already read; neither is used here.
 * https://vercel.com/docs/functions/functions-api-reference
 */
import { createApp } from '../lib/app.js';

export default createApp();
