/**
 * `npm run test:vercel`, first step: `vercel build` offline, into `.vercel/output`.
 *
 * `vercel build` wants a linked project. When `.vercel/project.json` (gitignored) is
 * missing, one is written with the framework Vercel detects for this repository on
 * import (Vite, from the devDependencies), so the build proves that `vercel.json`
 * overrides it; a real link is left as it is. Dependencies are already installed
 * (`npm ci`), telemetry and the update check are off: nothing leaves the machine.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILD_TIMEOUT_MS = 5 * 60_000;

/** Writes `.vercel/project.json` unless the checkout is already linked. */
function linkOffline(): void {
  const projectFile = join(ROOT, '.vercel', 'project.json');
  if (existsSync(projectFile)) return;
  mkdirSync(join(ROOT, '.vercel'), { recursive: true });
  const project = { projectId: 'prj_offline_build', orgId: 'team_offline_build', settings: { framework: 'vite' } };
  writeFileSync(projectFile, `${JSON.stringify(project, null, 2)}\n`);
}

/** Runs `vercel build` in the repository; exits the process when it fails. */
function build(): void {
  rmSync(join(ROOT, '.vercel', 'output'), { recursive: true, force: true });
  const cli = createRequire(import.meta.url).resolve('vercel/dist/vc.js');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    VERCEL_TELEMETRY_DISABLED: '1',
    NO_UPDATE_NOTIFIER: '1',
    VERCEL_INSTALL_COMPLETED: '1',
  };
  // These would replace the link above and send the CLI to Vercel's API.
  delete env.VERCEL_ORG_ID;
  delete env.VERCEL_PROJECT_ID;
  const result = spawnSync(process.execPath, [cli, 'build', '--yes'], { cwd: ROOT, env, stdio: 'inherit', timeout: BUILD_TIMEOUT_MS });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    console.error(`vercel build failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

linkOffline();
build();
