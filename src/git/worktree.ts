// Creating and removing the worktrees that attempts run in. They live outside the user's repository (under ORCH_HOME).
import { existsSync } from 'node:fs';
import { readFile, realpath, rm } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UsageError, WorktreeError } from '../domain/errors.ts';
import { isOrchBranch } from './branch.ts';
import { withWorktreeLock } from './worktree-lock.ts';
import { failure, git, noHooks } from './exec.ts';
import { gitDirOf } from './head-file.ts';
import { assertSha, validateBranchName } from './refname.ts';
import type { Repository } from './repo.ts';
import { listWorktrees } from './worktree-list.ts';

export interface AddWorktreeOptions {
  /** Absolute path of the new worktree; must not exist yet and must lie outside the repository. */
  path: string;
  /** The new branch to create and check out there; must be an orch/ branch and not exist yet. */
  branch: string;
  startSha: string;
}

export async function addWorktree(repo: Repository, { path, branch, startSha }: AddWorktreeOptions): Promise<void> {
  if (!isAbsolute(path)) throw new TypeError(`addWorktree: path must be absolute, got '${path}'`);
  const target = resolve(path);
  const real = await realpathOfNearest(target);
  if (isInside(real, repo.root) || isInside(real, repo.commonDir)) {
    throw new WorktreeError(`Refusing to create a worktree inside the repository ('${target}').`, target, {
      hint: 'Worktrees go under ORCH_HOME.',
    });
  }
  if (existsSync(target)) throw new WorktreeError(`Cannot create a worktree at '${target}': it already exists.`, target);
  if (!isOrchBranch(branch)) {
    throw new UsageError(`Refusing to create branch '${branch}': orch creates only orch/ branches.`, { data: { branch } });
  }
  await validateBranchName(repo.root, branch);
  assertSha(startSha);
  // Without hooks: a post-checkout hook (husky, a dependency install) would run per attempt and may wait on a tty.
  await withWorktreeLock(repo.commonDir, () => git([...noHooks, 'worktree', 'add', '--quiet', '-b', branch, '--end-of-options', target, startSha], { cwd: repo.root }));
}

/**
 * Check out an existing orch/ branch again at the path its worktree had (removed at the run's end): an agent
 * session is tied to its directory, so a later round of the same session needs the same path back.
 */
export async function restoreWorktree(repo: Repository, { path, branch }: { path: string; branch: string }): Promise<void> {
  if (!isAbsolute(path)) throw new TypeError(`restoreWorktree: path must be absolute, got '${path}'`);
  const target = resolve(path);
  if (existsSync(target)) throw new WorktreeError(`Cannot restore a worktree at '${target}': it already exists.`, target);
  if (!isOrchBranch(branch)) throw new UsageError(`Refusing to check out '${branch}': orch works only on orch/ branches.`, { data: { branch } });
  await withWorktreeLock(repo.commonDir, async () => {
    await git(['worktree', 'prune'], { cwd: repo.root });
    await git([...noHooks, 'worktree', 'add', '--quiet', '--end-of-options', target, branch], { cwd: repo.root });
  });
}

/**
 * Remove a worktree orch created: `git worktree remove --force` (it discards the worktree's uncommitted files),
 * serialised with other worktree changes (see worktree-lock.ts). A directory already gone is pruned. Never touches the main worktree.
 */
export async function removeWorktree(repo: Repository, path: string): Promise<void> {
  if (!isAbsolute(path)) throw new TypeError(`removeWorktree: path must be absolute, got '${path}'`);
  const target = resolve(path);
  if (existsSync(target)) {
    if (await removeLinkedWorktreeFiles(repo, target)) return;
    // git itself refuses the main working tree and any directory that is not one of this repository's worktrees;
    // only when it refuses is the listing read, to say which it was.
    const removed = await withWorktreeLock(repo.commonDir, () => git(['worktree', 'remove', '--force', '--end-of-options', target], { cwd: repo.root, allowFailure: true }));
    if (removed.exitCode === 0) return;
    await explainRefusedRemoval(repo, target);
    throw failure(removed);
  }
  // Already gone from disk: drop git's record of it.
  await withWorktreeLock(repo.commonDir, () => git(['worktree', 'prune'], { cwd: repo.root }));
}

/**
 * What `git worktree remove --force` does for a plain linked worktree, without a git process: delete its
 * directory and its admin dir `<common>/worktrees/<id>`. Only when every link checks out — the tree's `.git` file
 * names an admin dir of this repository, and that dir's `gitdir` names this tree back — and the entry is not
 * locked; otherwise false, and git does it (or says why not).
 */
async function removeLinkedWorktreeFiles(repo: Repository, target: string): Promise<boolean> {
  const adminDir = gitDirOf(target);
  if (adminDir === undefined || dirname(adminDir) !== join(repo.commonDir, 'worktrees')) return false;
  if (existsSync(join(adminDir, 'locked'))) return false;
  const backLink = await readFile(join(adminDir, 'gitdir'), 'utf8').catch(() => '');
  if (resolve(adminDir, backLink.trim()) !== join(target, '.git')) return false;
  return withWorktreeLock(repo.commonDir, async () => {
    // The tree first: were orch stopped in between, git's own prune would then drop the stale admin dir.
    await rm(target, { recursive: true, force: true });
    await rm(adminDir, { recursive: true, force: true });
    return true;
  });
}

async function explainRefusedRemoval(repo: Repository, target: string): Promise<void> {
  const real = await realpath(target);
  const [main, ...linked] = await listWorktrees(repo);
  if (main !== undefined && (await samePath(main.path, real))) {
    throw new WorktreeError(`Refusing to remove the repository's main working tree ('${target}').`, target);
  }
  const known = await Promise.all(linked.map((worktree) => samePath(worktree.path, real)));
  if (!known.includes(true)) {
    throw new WorktreeError(`'${target}' is not a worktree of this repository; leaving it alone.`, target);
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel.split(sep)[0] !== '..' && !isAbsolute(rel);
}

/** The real path of `path`, resolving symlinks in the part of it that exists. */
async function realpathOfNearest(path: string): Promise<string> {
  const parent = dirname(path);
  const real = await realpath(path).catch(async () => (parent === path ? path : join(await realpathOfNearest(parent), basename(path))));
  return real;
}

async function samePath(a: string, b: string): Promise<boolean> {
  if (a === b) return true;
  const real = await realpath(a).catch(() => a);
  return real === b;
}

/** Drop git's records of worktrees whose directories are gone (never removes a directory). */
export async function pruneWorktrees(repo: Repository): Promise<void> {
  await withWorktreeLock(repo.commonDir, () => git(['worktree', 'prune'], { cwd: repo.root }));
}
