// Moving a branch that is checked out in the user's working tree: only by fast-forward, only when the tree is
// clean, and by git itself (`git merge --ff-only`), which updates the files and refuses if anything would be lost.
import { git } from './exec.ts';
import { assertSha } from './refname.ts';
import { currentBranch, isWorkingTreeClean } from './repo.ts';
import { isAncestor } from './refs.ts';
import { headSha } from './commit.ts';

export type FastForwardStatus =
  | 'moved'
  | 'up_to_date'
  /** Tracked files have staged or unstaged changes. */
  | 'dirty'
  /** HEAD is detached, or on another branch than expected. */
  | 'wrong_branch'
  /** The target commit does not contain HEAD; a real merge would be needed. */
  | 'not_fast_forward'
  /** git refused, e.g. an untracked file would be overwritten. */
  | 'refused';

export interface FastForwardResult {
  status: FastForwardStatus;
  moved: boolean;
  /** HEAD before (and, when moved, the old position of the branch). */
  from: string;
  /** Why it did not move, in words for the user (git's own message when git refused). */
  message: string;
}

export async function fastForwardCheckedOutBranch(
  worktreePath: string,
  toSha: string,
  options: { expectedBranch?: string } = {},
): Promise<FastForwardResult> {
  assertSha(toSha);
  const from = await headSha(worktreePath);
  const done = (status: FastForwardStatus, message: string): FastForwardResult => ({ status, moved: status === 'moved', from, message });

  const branch = await currentBranch(worktreePath);
  if (branch === null) return done('wrong_branch', `HEAD in '${worktreePath}' is detached; there is no branch to fast-forward.`);
  if (options.expectedBranch !== undefined && branch !== options.expectedBranch) {
    return done('wrong_branch', `'${worktreePath}' has '${branch}' checked out now, not '${options.expectedBranch}'.`);
  }
  if (from === toSha) return done('up_to_date', `'${branch}' is already at ${toSha}.`);
  if (!(await isAncestor(worktreePath, from, toSha))) {
    return done('not_fast_forward', `'${branch}' has commits that ${toSha.slice(0, 12)} does not contain; it cannot be fast-forwarded.`);
  }
  if (!(await isWorkingTreeClean(worktreePath))) {
    return done('dirty', `'${branch}' is checked out in '${worktreePath}' with uncommitted changes. Commit or stash them, then merge again.`);
  }
  const result = await git(['merge', '--ff-only', '--no-autostash', '--quiet', '--end-of-options', toSha], {
    cwd: worktreePath,
    env: { GIT_MERGE_AUTOEDIT: 'no' },
    allowFailure: true,
  });
  if (result.exitCode !== 0) return done('refused', (result.stderr || result.stdout).trim() || `git merge --ff-only exited ${result.exitCode}`);
  return done('moved', `'${branch}' fast-forwarded to ${toSha.slice(0, 12)}.`);
}
