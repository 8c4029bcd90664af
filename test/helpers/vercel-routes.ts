/**
 * Where the routes of a Build Output API folder (`.vercel/output/config.json`) send a
 * path, read the way Vercel's edge reads the forms `vercel build` writes: routes before
 * `handle: filesystem`, then the filesystem (a static file, then a function), then the
 * routes after it, whose destination is looked up in the filesystem again. Later phases
 * (`error`, `miss`, …) only serve paths that found nothing, so the reading stops there.
 * https://vercel.com/docs/build-output-api/configuration#routes
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** What answers a path. */
export type RouteTarget =
  | { kind: 'static'; file: string }
  | { kind: 'function'; name: string }
  | { kind: 'status'; status: number }
  | { kind: 'none' };

interface Route {
  src?: string;
  dest?: string;
  status?: number;
  handle?: string;
  continue?: boolean;
}

/** Finds what answers `pathname` in the build output at `outputDir`. */
export function resolveRoute(outputDir: string, pathname: string): RouteTarget {
  const { routes } = JSON.parse(readFileSync(join(outputDir, 'config.json'), 'utf8')) as { routes: Route[] };
  let path = pathname;
  for (const route of routes) {
    if (route.handle === 'filesystem') {
      const hit = lookUp(outputDir, path);
      if (hit) return hit;
      continue;
    }
    if (route.handle) break;
    const pattern = new RegExp(route.src ?? '^$');
    if (!pattern.test(path)) continue;
    if (route.dest) {
      path = path.replace(pattern, route.dest).split('?')[0];
      if (route.continue) continue;
      return lookUp(outputDir, path) ?? { kind: 'none' };
    }
    if (route.status) return { kind: 'status', status: route.status };
    if (!route.continue) return { kind: 'none' };
  }
  return { kind: 'none' };
}

/** Every file under the output's `static/` folder, as paths relative to it. */
export function staticFiles(outputDir: string): string[] {
  return listFiles(join(outputDir, 'static')).map((file) => relative(join(outputDir, 'static'), file));
}

/** Every file under `dir`, recursively (an empty list when it does not exist). */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

function lookUp(outputDir: string, pathname: string): RouteTarget | undefined {
  const name = decodeURIComponent(pathname).replace(/^\/+/, '');
  const file = join(outputDir, 'static', name);
  if (name && existsSync(file) && statSync(file).isFile()) return { kind: 'static', file: name };
  if (name && existsSync(join(outputDir, 'functions', `${name}.func`))) return { kind: 'function', name };
  return undefined;
}
