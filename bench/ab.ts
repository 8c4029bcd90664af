/**
 * `npm run bench:ab`: the gateway's CPU per request at another commit against the working
 * tree, the way that holds up on a noisy machine: each is built into a bundle of its app,
 * and `bench/ab-runner.ts` measures one at a time in its own process, pinned to one core
 * (`taskset`, when there is one), alternating for `BENCH_ROUNDS` rounds (default 10), so that
 * every round compares the two under the same conditions; the working tree also runs against
 * itself (A/A) to show what the noise alone does. Prints, for each, the median CPU µs per
 * request and the median of the per-round ratios to the baseline, then one JSON line.
 *
 * `BENCH_BASELINE_REF` (default `HEAD`): the commit to compare with (checked out into a
 * temporary worktree). `BENCH_STREAM=1` measures 100-chunk streams instead of plain answers;
 * `BENCH_REQUESTS` (default 8000) per measurement; `BENCH_ENV` (JSON) adds settings to the
 * working tree's gateway (`{"GATEWAY_METRICS":"off"}`).
 *
 * The figure includes the in-process client's and upstream's work, the same for both, so the
 * gateway's own share of a difference is larger than the ratio shows.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');
const ENTRY = "export { createApp } from './lib/app.ts';\nexport { loadConfig } from './lib/config.ts';\n";

/** Bundles the app of the tree at `dir` into `outfile`. */
async function bundle(dir: string, outfile: string): Promise<void> {
  const entry = join(dir, `.bench-ab-entry-${process.pid}.ts`);
  writeFileSync(entry, ENTRY);
  try {
    await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile, logLevel: 'warning' });
  } finally {
    rmSync(entry, { force: true });
  }
}

/** Bundles the app at `ref` from a temporary worktree. */
async function bundleRef(ref: string, outfile: string): Promise<string> {
  const commit = execFileSync('git', ['rev-parse', '--short', ref], { cwd: ROOT }).toString().trim();
  const dir = mkdtempSync(join(tmpdir(), 'bench-ab-'));
  execFileSync('git', ['worktree', 'add', '--detach', dir, commit], { cwd: ROOT, stdio: 'ignore' });
  try {
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    await bundle(dir, outfile);
  } finally {
    execFileSync('git', ['worktree', 'remove', '--force', dir], { cwd: ROOT, stdio: 'ignore' });
  }
  return commit;
}

const hasTaskset = (() => {
  try {
    execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** One measurement: CPU µs per request. */
function measure(bundleFile: string, env: Record<string, string>): number {
  const command = [process.execPath, '--import', 'tsx', join(ROOT, 'bench/ab-runner.ts'), bundleFile];
  const [file, ...args] = hasTaskset ? ['taskset', '-c', '0', ...command] : command;
  const output = execFileSync(file, args, { cwd: ROOT, env: { ...process.env, ...env } }).toString().trim();
  return Number(output);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function main(): Promise<void> {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 10);
  const ref = process.env.BENCH_BASELINE_REF ?? 'HEAD';
  const out = join(ROOT, 'dist/bench-ab');
  const baselineFile = join(out, 'baseline.mjs');
  const currentFile = join(out, 'current.mjs');
  const commit = await bundleRef(ref, baselineFile);
  await bundle(ROOT, currentFile);
  const ownEnv = { BENCH_ENV: process.env.BENCH_ENV ?? '{}' };
  const subjects = [
    { name: `baseline ${commit}`, file: baselineFile, env: { BENCH_ENV: '{}' }, cpu: [] as number[] },
    { name: 'working tree', file: currentFile, env: ownEnv, cpu: [] as number[] },
    { name: 'working tree again (A/A)', file: currentFile, env: ownEnv, cpu: [] as number[] },
  ];
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? subjects : [...subjects].reverse();
    for (const subject of order) subject.cpu.push(measure(subject.file, subject.env));
  }
  // The A/A row is against the working tree's own first run: how far apart the same build lands.
  const [baseline, current] = subjects;
  const rows = subjects.map((subject, at) => {
    const against = at === 2 ? current : baseline;
    const ratios = subject.cpu.map((cpu, index) => cpu / against.cpu[index]);
    return { name: subject.name, cpu_us: median(subject.cpu), ratio: median(ratios), low: Math.min(...ratios), high: Math.max(...ratios) };
  });
  const kind = process.env.BENCH_STREAM === '1' ? 'stream' : 'request';
  console.log(`\n| serving process | CPU µs per ${kind} (median of ${rounds}) | median of per-round ratios (range): to the baseline; A/A to the working tree |`);
  console.log('|---|---|---|');
  for (const row of rows) console.log(`| ${row.name} | ${row.cpu_us.toFixed(1)} | ${row.ratio.toFixed(3)} (${row.low.toFixed(3)}–${row.high.toFixed(3)}) |`);
  console.log(`\nIn process, ${hasTaskset ? 'pinned to one core, ' : ''}one at a time, alternating; the figures include the in-process client's and upstream's work.`);
  console.log(JSON.stringify({ bench: 'ab', kind, rounds, baseline: commit, env: JSON.parse(ownEnv.BENCH_ENV), rows }));
}

await main();
