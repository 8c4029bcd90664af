/**
 * Log lines to stdout wait up to 50 ms to be written in one batch; a gateway that stops
 * sooner still writes them on its way out.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('log lines on stdout', () => {
  it('are all written when the gateway stops right after a request', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'lib/server.ts'], {
      env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', GATEWAY_AUTH: 'off' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      child.stderr.on('data', (data: Buffer) => {
        stderr += data.toString();
        const match = /listening on http:\/\/[^:]+:(\d+)/.exec(stderr);
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${stderr}`)));
    });
    const response = await fetch(`http://127.0.0.1:${port}/health`);
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-request-id');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ request_id: requestId, path: '/health', status: 200 }));
  });
});
