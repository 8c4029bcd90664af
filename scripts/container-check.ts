/**
 * `npm run test:container` (CI): the Dockerfile's run stage, without a Docker engine. In a
 * clean folder outside the repository: `package.json`, `package-lock.json` and the built
 * `dist/`, then `npm ci --omit=dev` (so a runtime dependency left in `devDependencies`, or a
 * build tool needed at run time, fails here), then the Dockerfile's own `CMD` with its `ENV`
 * (`HOST=0.0.0.0`), then its `HEALTHCHECK` command. With a provider key in the environment and
 * no gateway key, a request is refused and the mock upstream stays untouched; a key made with
 * `node dist/keys.mjs` in that folder is then accepted. Only loopback is ever called.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The run stage's `ENV`, `CMD` and `HEALTHCHECK … CMD` of the Dockerfile. */
function runStage(dockerfile: string): { env: Record<string, string>; cmd: string[]; healthcheck: string } {
  const stages = dockerfile.replace(/\\\n/g, ' ').split(/^FROM /m);
  const lines = stages[stages.length - 1].split('\n').map((line) => line.trim());
  const env: Record<string, string> = {};
  for (const line of lines.filter((candidate) => candidate.startsWith('ENV '))) {
    for (const [, name, value] of line.slice(4).matchAll(/(\w+)=(\S+)/g)) env[name] = value;
  }
  const cmd = lines.find((line) => line.startsWith('CMD '));
  const healthcheck = lines.find((line) => line.startsWith('HEALTHCHECK '));
  if (!cmd || !healthcheck) throw new Error('the Dockerfile has no CMD or HEALTHCHECK in its last stage');
  return { env, cmd: JSON.parse(cmd.slice(4)) as string[], healthcheck: healthcheck.slice(healthcheck.indexOf(' CMD ') + 5) };
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`container check failed: ${what}`);
  console.error(`ok: ${what}`);
}

async function main(): Promise<void> {
  const stage = runStage(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
  check(stage.env.HOST === '0.0.0.0', 'the image listens on 0.0.0.0');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const app = mkdtempSync(join(tmpdir(), 'gateway-container-'));
  let upstream: Server | undefined;
  let gateway: ReturnType<typeof spawn> | undefined;
  try {
    for (const file of ['package.json', 'package-lock.json', 'dist']) cpSync(join(ROOT, file), join(app, file), { recursive: true });
    execFileSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: app, stdio: 'inherit' });

    let upstreamCalls = 0;
    upstream = createServer((request, response) => {
      upstreamCalls += 1;
      request.resume();
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 'c', object: 'chat.completion', created: 0, model: 'gpt-4o', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }] }));
    });
    await new Promise<void>((resolve) => upstream!.listen(0, '127.0.0.1', resolve));
    const upstreamPort = (upstream.address() as AddressInfo).port;

    // The image's environment: what the Dockerfile sets, a port of our own, a provider key.
    const env = { PATH: process.env.PATH ?? '', ...stage.env, PORT: '0', OPENAI_BASE_URL: `http://127.0.0.1:${upstreamPort}/v1`, OPENAI_API_KEY: 'sk-container-check' };
    const [command, ...args] = stage.cmd;
    gateway = spawn(command, args, { cwd: app, env, stdio: ['ignore', 'ignore', 'pipe'] });
    const child = gateway;
    const summary = await new Promise<string>((resolve, reject) => {
      let stderr = '';
      const timer = setTimeout(() => reject(new Error(`no start within 20 s: ${stderr}`)), 20_000);
      child.stderr?.on('data', (data: Buffer) => {
        stderr += data.toString();
        if (stderr.includes('  state: ')) {
          clearTimeout(timer);
          resolve(stderr);
        }
      });
      child.once('exit', (code) => reject(new Error(`the gateway exited with ${code}: ${stderr}`)));
    });
    console.error(summary);
    const port = Number(/listening on http:\/\/0\.0\.0\.0:(\d+)/.exec(summary)?.[1]);
    check(port > 0, 'the CMD starts the gateway on 0.0.0.0 with production dependencies only');
    check(summary.includes('WARNING: Reachable beyond loopback'), 'the start-up summary warns that environment keys will not be lent');

    const health = spawnSync('sh', ['-c', stage.healthcheck], { cwd: app, env: { ...env, PORT: String(port) }, timeout: 10_000 });
    check(health.status === 0, 'the HEALTHCHECK command passes');
    const body = (await (await fetch(`http://127.0.0.1:${port}/health`)).json()) as { auth?: string };
    check(body.auth === 'own-keys-only', '/health says own-keys-only');

    const chat = (key?: string) =>
      fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] }),
      });
    const refused = await chat();
    check(refused.status === 401 && upstreamCalls === 0, 'a request without a gateway key is refused with 401 and nothing sent upstream');

    const key = execFileSync('node', ['dist/keys.mjs', 'create', 'container-check'], { cwd: app, env, encoding: 'utf8' }).trim();
    let status = 0;
    for (let tries = 0; tries < 40 && status !== 200; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await chat(key)).status;
    }
    check(status === 200 && upstreamCalls === 1, 'a key made with `node dist/keys.mjs create` is accepted within 4 s');
  } finally {
    gateway?.kill('SIGTERM');
    upstream?.close();
    rmSync(app, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
