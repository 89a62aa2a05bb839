// Moving refs safely: compare-and-swap, never a branch that a working tree has checked out.
import { RepositoryError } from '../domain/errors.ts';
import { failure, git } from './exec.ts';
import { assertSha, validateFullRef } from './refname.ts';
import { cwdOf, type RepoRef } from './repo.ts';
import { worktreeWithBranchCheckedOut } from './worktree-list.ts';

export interface UpdateRefOptions {
  /** Recorded in the reflog. */
  reason?: string;
  /**
   * Move a branch even if a worktree has it checked out. That worktree's files and index then no longer match
   * its HEAD, so this is only for orch's own integration worktrees; the user's checkout goes through
   * fastForwardCheckedOutBranch instead.
   */
  allowCheckedOut?: boolean;
}

/**
 * Set `ref` (a full name, `refs/heads/main`) to `newSha` only if it is still at `expectedOldSha`
 * (null: only if it does not exist yet). Throws RepositoryError('repository_state') when it moved meanwhile.
 */
export async function updateRef(
  repo: RepoRef,
  ref: string,
  newSha: string,
  expectedOldSha: string | null,
  options: UpdateRefOptions = {},
): Promise<void> {
  const cwd = cwdOf(repo);
  await validateFullRef(cwd, ref);
  assertSha(newSha);
  const expected = expectedOldSha === null ? '0'.repeat(newSha.length) : assertSha(expectedOldSha);
  if (ref.startsWith('refs/heads/') && options.allowCheckedOut !== true) {
    const branch = ref.slice('refs/heads/'.length);
    const holder = await worktreeWithBranchCheckedOut(repo, branch);
    if (holder !== null) {
      throw new RepositoryError('repository_state', `Branch '${branch}' is checked out in '${holder}'; orch will not move it under that working tree.`, {
        hint: 'Switch that working tree to another branch, or let orch fast-forward it when it is clean.',
        data: { branch, worktree: holder },
      });
    }
  }
  const result = await git(['update-ref', '-m', options.reason ?? 'orch: update', '--end-of-options', ref, newSha, expected], {
    cwd,
    allowFailure: true,
  });
  if (result.exitCode === 0) return;
  const now = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', ref], { cwd, allowFailure: true });
  const actual = now.exitCode === 0 ? now.stdout : null;
  if (actual !== expectedOldSha) {
    throw new RepositoryError('repository_state', `'${ref}' moved while orch was working: it is at ${actual ?? '(deleted)'}, expected ${expectedOldSha ?? '(absent)'}.`, {
      hint: 'Nothing was changed. Run the merge again to integrate the new commits.',
      data: { ref, expected: expectedOldSha, actual },
    });
  }
  throw failure(result);
}

/** Whether `ancestor` is reachable from `descendant` (a commit is its own ancestor). */
export async function isAncestor(repo: RepoRef, ancestor: string, descendant: string): Promise<boolean> {
  const result = await git(['merge-base', '--is-ancestor', '--end-of-options', assertSha(ancestor), assertSha(descendant)], {
    cwd: cwdOf(repo),
    allowFailure: true,
  });
  if (result.exitCode === 0) return true;
  if (result.exitCode === 1) return false;
  throw failure(result);
}

/** The best common ancestor of two commits, or null when they share no history. */
export async function mergeBase(repo: RepoRef, a: string, b: string): Promise<string | null> {
  const result = await git(['merge-base', '--end-of-options', assertSha(a), assertSha(b)], { cwd: cwdOf(repo), allowFailure: true });
  if (result.exitCode === 0) return result.stdout;
  if (result.exitCode === 1) return null;
  throw failure(result);
}

/** Whether an error is updateRef's "the ref moved meanwhile": the caller may redo its work on the new tip. */
export function isRefMoved(error: unknown): boolean {
  return error instanceof RepositoryError && 'expected' in error.data && 'actual' in error.data;
}
