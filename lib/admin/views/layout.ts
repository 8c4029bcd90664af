/**
 * The console's page frame: the navigation, the operator's name and a sign-out button, the
 * stylesheet and the one script (fingerprinted assets, see `../assets.ts`). No inline script
 * or style: the content security policy allows neither.
 */
import { html } from 'hono/html';
import { ASSET_PATHS } from '../assets.generated.js';

/** What a template gives. */
export type Html = ReturnType<typeof html>;

/** The pages, in the navigation's order: path under `/admin` and title. */
export const PAGES = [
  ['', 'Overview'],
  ['/keys', 'Keys'],
  ['/usage', 'Usage'],
  ['/requests', 'Requests'],
  ['/playground', 'Playground'],
] as const;

const head = (title: string) => html`<meta charset="utf-8" />
  <meta name="viewport" content="width=device-width, initial-scale=1" />
  <link rel="icon" href="data:," />
  <title>${title} · AI gateway admin</title>
  <link rel="stylesheet" href="/admin/assets/${ASSET_PATHS.css}" />
  <script src="/admin/assets/${ASSET_PATHS.js}" defer></script>`;

/** A signed-in page. */
export function page(options: { title: string; path: string; operator: string; body: Html }): Html {
  return html`<!doctype html>
<html lang="en">
<head>${head(options.title)}</head>
<body data-page="${options.path === '' ? 'overview' : options.path.slice(1)}">
<header class="bar">
  <strong class="brand">AI gateway</strong>
  <nav>${PAGES.map(([path, title]) => html`<a href="/admin${path}"${path === options.path ? html` aria-current="page"` : ''}>${title}</a>`)}</nav>
  <form method="post" action="/admin/sign-out" class="signout"><span>${options.operator}</span> <button type="submit">Sign out</button></form>
</header>
<main>
<h1>${options.title}</h1>
${options.body}
</main>
</body>
</html>`;
}

/** A page outside the session (sign-in, errors). */
export function bare(title: string, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head>${head(title)}</head>
<body data-page="bare"><main class="narrow">${body}</main></body>
</html>`;
}
