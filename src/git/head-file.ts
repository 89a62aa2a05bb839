// Reading a worktree's HEAD commit from git's own files (gitrepository-layout: `.git` file -> admin dir -> HEAD
// -> loose ref under the common dir), because a git process per read was a large part of an attempt's cost.
// The layout is read by the sandbox room's `worktreeGitPaths`. Anything unusual (packed refs, a symref chain, the
// reftable backend, a damaged file) answers undefined, and the caller asks git.
import { join } from 'node:path';
// Straight from its file, not the room's index: `orch runs` loads git, and must not load the sandbox's network bridge.
import { readTrimmed, worktreeGitPaths } from '../sandbox/git-paths.ts';

const sha = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** The admin directory of the worktree at `worktree` (its `.git` dir, or where its `.git` file points). */
export function gitDirOf(worktree: string): string | undefined {
  const paths = worktreeGitPaths(worktree);
  return paths === undefined ? undefined : (paths.adminDir ?? paths.commonDir);
}

/** The commit checked out in `worktree`, read from files; undefined when git must be asked. */
export function headFromFiles(worktree: string): string | undefined {
  const paths = worktreeGitPaths(worktree);
  if (paths === undefined) return undefined;
  if (paths.detachedSha !== undefined) return paths.detachedSha;
  const ref = paths.branchRef;
  if (ref === undefined || !ref.startsWith('refs/heads/') || ref.split('/').includes('..')) return undefined;
  const value = readTrimmed(join(paths.commonDir, ref));
  return value !== undefined && sha.test(value) ? value : undefined;
}

/** A branch's commit from its loose ref file under the common dir; undefined when git must be asked (packed refs,
 * the reftable backend, anything unusual). A loose ref is what git itself reads first. */
export function looseRefFromFiles(commonDir: string, ref: string): string | undefined {
  if (!ref.startsWith('refs/heads/') || ref.split('/').includes('..')) return undefined;
  const value = readTrimmed(join(commonDir, ref));
  return value !== undefined && sha.test(value) ? value : undefined;
}
