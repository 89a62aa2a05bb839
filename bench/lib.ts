// Shared pieces of the benchmarks: paired measurement, medians with their spread, child CPU and memory through
// GNU time, and a scratch repository. Every figure is a ratio against a floor measured in the same run, so the
// numbers hold on a noisy machine.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../src/process/run.ts';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const rounds = Number(process.env['BENCH_ROUNDS'] ?? 5);
const built = join(root, 'dist/cli/main.js');
/** orch as users start it: bin/orch.js (the compiled CLI when the build is fresh, else the sources through tsx). */
export const orchEntry = [join(root, 'bin/orch.js')];
export const orchIsBuilt = existsSync(built);
export const gitEnv = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b' };

export function scratchDir(name: string): string {
  return realpathSync(mkdtempSync(join(tmpdir(), `orch-bench-${name}-`)));
}

export async function sh(script: string, cwd: string, env: NodeJS.ProcessEnv = gitEnv): Promise<string> {
  const result = await run(['/bin/bash', '-euo', 'pipefail', '-c', script], { cwd, env });
  if (result.exitCode !== 0) throw new Error(`${script}\n${result.stderr}`);
  return result.stdout;
}

/** A repository of `files` files on branch main, with the user on another branch (as a user's checkout is). */
export async function makeRepo(dir: string, files: number): Promise<string> {
  const repo = join(dir, 'repo');
  await sh(
    `mkdir -p ${repo} && cd ${repo} && git init -q -b main && mkdir -p src && for i in $(seq 1 ${files}); do echo "line $i" > src/file$i.txt; done && git add -A && git commit -qm init && git switch -q -c user-branch`,
    dir,
  );
  return repo;
}

/** An agent that finishes at once, changing one file: what is left is orch's own cost. */
export function instantAgent(dir: string): { agent: string; config: string } {
  const agent = join(dir, 'instant-agent.sh');
  writeFileSync(agent, '#!/bin/sh\necho "done $(date +%s%N) $$" > result.txt\n', { mode: 0o755 });
  const config = join(dir, 'orch.config.json');
  // Merged unchecked, like the shell script's merge; no OS sandbox (its start cost is the sandbox section's figure).
  writeFileSync(
    config,
    JSON.stringify({ agent: 'command', agents: { command: { argv: [agent] } }, limits: { maxAgents: 8 }, checks: { allowUnchecked: true }, sandbox: { mode: 'none' } }),
  );
  return { agent, config };
}

export interface Measured {
  wallMs: number;
  cpuMs: number;
  maxRssKb: number;
}

/** Run a command under GNU time: wall clock, user+system CPU of the process tree, and peak RSS. */
export async function measured(argv: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Measured & { stdout: string }> {
  const started = performance.now();
  const result = await run(['/usr/bin/time', '-f', 'BENCHTIME %U %S %M', ...argv], { cwd: options.cwd, env: options.env ?? process.env });
  const wallMs = performance.now() - started;
  const line = /BENCHTIME (\S+) (\S+) (\d+)/.exec(result.stderr);
  if (result.exitCode !== 0 || line === null) throw new Error(`${argv.join(' ')} failed (${result.exitCode}):\n${result.stderr.slice(-2000)}`);
  return { wallMs, cpuMs: (Number(line[1]) + Number(line[2])) * 1000, maxRssKb: Number(line[3]), stdout: result.stdout };
}

/**
 * CPU (user + system, ms) of one run of `argv`, averaged over `repeats` runs under one GNU time: its figures have
 * 10 ms steps, too coarse for a 25 ms program. The loop's own cost (a shell starting /bin/true as often) is
 * measured alongside and taken off.
 */
export async function cpuPerRun(argv: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; repeats: number }): Promise<number> {
  const loop = (command: readonly string[]) => ['/bin/sh', '-c', `i=0; while [ $i -lt ${options.repeats} ]; do "$@" >/dev/null 2>&1; i=$((i+1)); done`, 'sh', ...command];
  const overhead = await measured(loop(['/bin/true']), options);
  const total = await measured(loop(argv), options);
  return Math.max(0, total.cpuMs - overhead.cpuMs) / options.repeats;
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

/** "median (min–max)" for a list of samples. */
export function spread(values: readonly number[], unit = 'ms', digits = 0): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `${median(values).toFixed(digits)} ${unit} (${(sorted[0] ?? NaN).toFixed(digits)}–${(sorted.at(-1) ?? NaN).toFixed(digits)})`;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** One line of the report: what, the measure, the floor, the ratio and the goal it is held to. */
export function report(what: string, value: string, floor: string, ratio: number, goal?: number): void {
  const verdict = goal === undefined ? '' : ratio <= goal ? `  goal ≤ ${goal.toFixed(2)}× met` : `  goal ≤ ${goal.toFixed(2)}× NOT met`;
  console.log(`  ${what.padEnd(44)} ${value.padEnd(30)} floor ${floor.padEnd(28)} ratio ${ratio.toFixed(2)}×${verdict}`);
}

/** A `git` on PATH that counts its runs, then runs the real one: how many git processes a piece of work starts. */
export function gitCounter(dir: string): { env: NodeJS.ProcessEnv; count(): number; reset(): void } {
  const shimDir = join(dir, 'git-shim');
  const log = join(dir, 'git-calls.log');
  const realGit = execFileSync('/bin/sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  mkdirSync(shimDir, { recursive: true });
  writeFileSync(join(shimDir, 'git'), `#!/bin/sh\necho x >> '${log}'\nexec '${realGit}' "$@"\n`, { mode: 0o755 });
  const count = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0);
  return { env: { PATH: `${shimDir}:${process.env['PATH'] ?? ''}` }, count, reset: () => rmSync(log, { force: true }) };
}
