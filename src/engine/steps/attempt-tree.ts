// A checkout of an attempt's work to judge it in: its own worktree while it exists, else (a failed run resumed
// after its worktrees were cleaned) a temporary one at the attempt's commit, removed afterwards. The base's
// checks run in such a temporary tree too.
import { existsSync } from 'node:fs';
import type { Attempt } from '../../domain/records.ts';
import { addWorktree, copySetupFiles, deleteBranch, removeWorktree } from '../../git/index.ts';
import type { RunScope } from '../core/deps.ts';

export async function withAttemptTree<T>(scope: RunScope, attempt: Attempt, work: (cwd: string) => Promise<T>): Promise<T> {
  if (existsSync(attempt.worktree) || attempt.headSha === null) return work(attempt.worktree);
  return withTreeAt(scope, `${attempt.id}-judge`, `orch/${scope.runId}/judge/${attempt.id}`, attempt.headSha, work);
}

/** A temporary worktree (and branch) at a commit, removed afterwards: the base's checks run in one. */
export async function withTreeAt<T>(scope: RunScope, name: string, branch: string, sha: string, work: (cwd: string) => Promise<T>): Promise<T> {
  const path = scope.deps.paths.worktree(scope.projectSlug, name);
  if (existsSync(path)) await removeWorktree(scope.repo, path);
  await deleteBranch(scope.repo, branch);
  await addWorktree(scope.repo, { path, branch, startSha: sha });
  // The checks there need the project's setup files (.env) as much as in an attempt's own worktree.
  copySetupFiles(scope.repo.root, path, scope.settings.copyFiles);
  try {
    return await work(path);
  } finally {
    await removeWorktree(scope.repo, path);
    await deleteBranch(scope.repo, branch);
  }
}
