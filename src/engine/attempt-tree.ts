// A checkout of an attempt's work to judge it in: its own worktree while it exists, else (a failed run resumed
// after its worktrees were cleaned) a temporary one at the attempt's commit, removed afterwards.
import { existsSync } from 'node:fs';
import type { Attempt } from '../domain/records.ts';
import { addWorktree, deleteBranch, removeWorktree } from '../git/index.ts';
import type { RunScope } from './deps.ts';

export async function withAttemptTree<T>(scope: RunScope, attempt: Attempt, work: (cwd: string) => Promise<T>): Promise<T> {
  if (existsSync(attempt.worktree) || attempt.headSha === null) return work(attempt.worktree);
  const path = scope.deps.paths.worktree(scope.projectSlug, `${attempt.id}-judge`);
  const branch = `orch/${scope.runId}/judge/${attempt.id}`;
  if (existsSync(path)) await removeWorktree(scope.repo, path);
  await deleteBranch(scope.repo, branch);
  await addWorktree(scope.repo, { path, branch, startSha: attempt.headSha });
  try {
    return await work(path);
  } finally {
    await removeWorktree(scope.repo, path);
    await deleteBranch(scope.repo, branch);
  }
}
