// Where a cell's run works: a throwaway clone of the task's repository (a path, a git bundle, or a URL mirrored
// once into a cache under ORCH_HOME), with a branch `eval` at the task's base for the run to merge into. The
// user's own repositories are only ever read.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '../domain/errors.ts';
import { git, noHooks } from '../git/index.ts';
import { isRepoUrl, suitePath, type EvalTask, type Suite } from './suite.ts';

/** The branch the run starts from and merges into, in the cell's clone. */
export const evalTarget = 'eval';

const cloneTimeoutMs = 15 * 60_000;

/** A URL's mirror in the cache: cloned the first time, fetched after. */
async function mirror(url: string, cacheDir: string): Promise<string> {
  const path = join(cacheDir, `${createHash('sha256').update(url).digest('hex').slice(0, 16)}.git`);
  await mkdir(cacheDir, { recursive: true, mode: 0o700 });
  if (existsSync(path)) {
    await git([...noHooks, 'remote', 'update', '--prune'], { cwd: path, timeoutMs: cloneTimeoutMs });
  } else {
    const partial = `${path}.partial`;
    await rm(partial, { recursive: true, force: true });
    await git([...noHooks, 'clone', '--quiet', '--mirror', '--end-of-options', url, partial], { cwd: cacheDir, timeoutMs: cloneTimeoutMs });
    // Renamed only when complete: a clone cut short is never taken for the mirror.
    await rename(partial, path);
  }
  return path;
}

/** Each task's source, once per eval (a URL is fetched once, not once per cell). */
export async function prepareSources(suite: Suite, tasks: readonly EvalTask[], cacheDir: string): Promise<Map<string, string>> {
  const sources = new Map<string, string>();
  for (const task of tasks) {
    if (isRepoUrl(task.repo)) {
      sources.set(task.id, await mirror(task.repo, cacheDir));
      continue;
    }
    const path = suitePath(suite, task.repo);
    if (!existsSync(path)) throw new ConfigError(`Task ${task.id}: the repository ${path} does not exist.`, { hint: 'repo is a path relative to the suite file, a git bundle, or a URL.' });
    sources.set(task.id, path);
  }
  return sources;
}

async function resolveBase(root: string, base: string): Promise<string | null> {
  for (const candidate of [`refs/remotes/origin/${base}`, base]) {
    const out = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${candidate}^{commit}`], { cwd: root, allowFailure: true });
    if (out.exitCode === 0 && out.stdout.trim() !== '') return out.stdout.trim();
  }
  return null;
}

/** A fresh clone of `source` at `dest` with branch `eval` checked out at the task's base; answers the base sha. */
export async function cloneForCell(task: EvalTask, source: string, dest: string): Promise<string> {
  await rm(dest, { recursive: true, force: true });
  await mkdir(dest, { recursive: true });
  await git([...noHooks, 'clone', '--quiet', '--no-checkout', '--end-of-options', source, dest], { cwd: dest, timeoutMs: cloneTimeoutMs });
  const sha = await resolveBase(dest, task.base);
  if (sha === null) throw new ConfigError(`Task ${task.id}: the base '${task.base}' is not a branch, tag or commit of ${source}.`);
  await git([...noHooks, '-c', 'advice.detachedHead=false', 'checkout', '--quiet', '-B', evalTarget, sha], { cwd: dest });
  return sha;
}
