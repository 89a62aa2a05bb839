// Bringing a pull request's branch up to date with a target that moved: the target is merged INTO the branch (as
// GitHub's "Update branch" does) in a worktree of orch's own, conflicts go to the resolver, the project's checks run
// on the result. Only the branch's new commit comes out; nothing here moves the target or any branch of the user's.
import type { CheckResult } from '../domain/records.ts';
import { addWorktree, commitMerge, copySetupFiles, deleteBranch, isAncestor, removeWorktree, startMerge, type Repository } from '../git/index.ts';

export interface BranchUpdateRequest {
  repo: Repository;
  /** The pull request branch's head, and the target's tip, both fetched into the repository. */
  headSha: string;
  targetSha: string;
  target: string;
  message: string;
  /** orch's own worktree and branch for the merge (under ORCH_HOME, orch/ prefixed). */
  worktreePath: string;
  worktreeBranch: string;
  copyFiles?: readonly string[] | undefined;
  runChecks(cwd: string): Promise<CheckResult[]>;
  /** Called on conflicts, with the worktree in the middle of the merge. */
  resolve(worktree: string, conflicts: string[]): Promise<{ resolved: boolean; error?: string }>;
}

export type BranchUpdateOutcome =
  | { status: 'updated'; sha: string; resolvedConflicts: string[]; checks: CheckResult[] }
  | { status: 'up_to_date' | 'conflict' | 'checks_failed'; message: string; checks: CheckResult[] };

export async function mergeTargetIntoBranch(request: BranchUpdateRequest): Promise<BranchUpdateOutcome> {
  const { repo } = request;
  if (await isAncestor(repo, request.targetSha, request.headSha)) {
    return { status: 'up_to_date', message: `the branch already holds ${request.target} at ${request.targetSha.slice(0, 12)}`, checks: [] };
  }
  await addWorktree(repo, { path: request.worktreePath, branch: request.worktreeBranch, startSha: request.headSha });
  try {
    copySetupFiles(repo.root, request.worktreePath, request.copyFiles ?? []);
    const started = await startMerge(request.worktreePath, request.targetSha);
    let resolvedConflicts: string[] = [];
    if (!started.clean) {
      const outcome = await request.resolve(request.worktreePath, started.conflicts);
      if (!outcome.resolved) {
        return { status: 'conflict', message: `conflicts in ${started.conflicts.join(', ')} were not resolved: ${outcome.error ?? 'unknown'}`, checks: [] };
      }
      resolvedConflicts = started.conflicts;
    }
    const sha = await commitMerge(request.worktreePath, request.message);
    // The checks must pass on the updated branch as they did on the attempt: a red branch is not pushed.
    const checks = await request.runChecks(request.worktreePath);
    const failing = checks.filter((c) => !c.passed).map((c) => c.name);
    if (failing.length > 0) return { status: 'checks_failed', message: `the updated branch fails ${failing.join(', ')}`, checks };
    return { status: 'updated', sha, resolvedConflicts, checks };
  } finally {
    await removeWorktree(repo, request.worktreePath);
    await deleteBranch(repo, request.worktreeBranch);
  }
}
