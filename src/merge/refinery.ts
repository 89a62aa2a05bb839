// The refinery: merging work into a branch so that the branch never turns red. The merge is made in an
// integration worktree of orch's own; conflicts go to a resolver agent; the project's checks run on the merged
// tree; only then does the target move (compare-and-swap, or git's own fast-forward of a clean checkout).
import { weighChecks } from '../domain/judgement.ts';
import type { CheckResult } from '../domain/records.ts';
import {
  addWorktree,
  copySetupFiles,
  commitMerge,
  deleteBranch,
  fastForwardCheckedOutBranch,
  isAncestor,
  isWorkingTreeClean,
  removeWorktree,
  resolveCommit,
  startMerge,
  updateRef,
  worktreeWithBranchCheckedOut,
  type Repository,
} from '../git/index.ts';
import type { MergeOutcome } from './merge-attempt.ts';

export interface IntegrateRequest {
  repo: Repository;
  runId: string;
  /** The attempt whose work this is; null for a team branch merging upward. */
  attemptId: string | null;
  target: string;
  headSha: string;
  message: string;
  /** orch's own worktree and branch for the merge (under ORCH_HOME, orch/ prefixed). */
  integrationPath: string;
  integrationBranch: string;
  /** Where the result waits when the target is checked out with local changes. */
  resultBranch: string;
  runChecks(cwd: string): Promise<CheckResult[]>;
  /** The same checks on the run's base: failures already there do not reject a merge. Null: every check must pass. */
  baseline(): Promise<readonly CheckResult[] | null>;
  /** Untracked setup files of the checkout (.env) the checks and the resolver need, copied in (kept out of git). */
  copyFiles?: readonly string[] | undefined;
  /** Called on conflicts, with the worktree in the middle of the merge. */
  resolve(worktree: string, conflicts: string[]): Promise<{ resolved: boolean; error?: string }>;
}

export interface IntegrateOutcome {
  merge: MergeOutcome;
  checks: CheckResult[];
  resolvedConflicts: string[];
}

export async function integrate(request: IntegrateRequest): Promise<IntegrateOutcome> {
  const { repo } = request;
  const targetRef = `refs/heads/${request.target}`;
  const targetSha = await resolveCommit(repo, targetRef);
  const base = { runId: request.runId, attemptId: request.attemptId, target: request.target, fromSha: targetSha };

  await addWorktree(repo, { path: request.integrationPath, branch: request.integrationBranch, startSha: targetSha });
  try {
    copySetupFiles(repo.root, request.integrationPath, request.copyFiles ?? []);
    let resolvedConflicts: string[] = [];
    if (await isAncestor(repo, request.headSha, targetSha)) {
      return { merge: { ...base, status: 'merged', toSha: targetSha, message: `${request.target} already holds this work.` }, checks: [], resolvedConflicts };
    }
    const started = await startMerge(request.integrationPath, request.headSha);
    if (!started.clean) {
      const outcome = await request.resolve(request.integrationPath, started.conflicts);
      if (!outcome.resolved) {
        return {
          merge: { ...base, status: 'conflict', toSha: null, message: `Conflicts in ${started.conflicts.join(', ')} were not resolved: ${outcome.error ?? 'unknown'}. ${request.target} is unchanged.` },
          checks: [],
          resolvedConflicts,
        };
      }
      resolvedConflicts = started.conflicts;
    }
    const mergedSha = await commitMerge(request.integrationPath, request.message);

    const checks = await request.runChecks(request.integrationPath);
    const rejection = await mergedTreeRejection(checks, request);
    if (rejection !== null) {
      return {
        merge: { ...base, status: 'checks_failed', toSha: null, message: `The merged tree ${rejection}; ${request.target} stays at ${targetSha.slice(0, 12)}.` },
        checks,
        resolvedConflicts,
      };
    }
    return { merge: await moveTarget(request, targetSha, mergedSha, resolvedConflicts), checks, resolvedConflicts };
  } finally {
    await removeWorktree(repo, request.integrationPath);
    await deleteBranch(repo, request.integrationBranch);
  }
}

/** Why the merged tree may not land (what it breaks against the base), or null. A check that fails on the base
 * the same way is not held against the merge: a red base does not block work that did not make it red. */
async function mergedTreeRejection(checks: readonly CheckResult[], request: IntegrateRequest): Promise<string | null> {
  if (checks.every((c) => c.passed)) return null;
  const baseline = await request.baseline();
  if (baseline === null) return `fails ${checks.filter((c) => !c.passed).map((c) => c.name).join(', ')}`;
  const { broken } = weighChecks(checks, baseline);
  return broken.length === 0 ? null : `breaks ${broken.slice(0, 5).join('; ')}${broken.length > 5 ? ` and ${broken.length - 5} more` : ''} (passing on the base)`;
}

async function moveTarget(request: IntegrateRequest, targetSha: string, mergedSha: string, resolved: string[]): Promise<MergeOutcome> {
  const base = { runId: request.runId, attemptId: request.attemptId, target: request.target, fromSha: targetSha };
  const how = resolved.length > 0 ? ` (conflicts in ${resolved.join(', ')} resolved by an agent)` : '';
  const checkedOutIn = await worktreeWithBranchCheckedOut(request.repo, request.target);
  if (checkedOutIn === null) {
    await updateRef(request.repo, `refs/heads/${request.target}`, mergedSha, targetSha);
    return { ...base, status: 'merged', toSha: mergedSha, message: `Merged into ${request.target} at ${mergedSha.slice(0, 12)}${how}.` };
  }
  await updateRef(request.repo, `refs/heads/${request.resultBranch}`, mergedSha, null);
  if ((await isWorkingTreeClean(checkedOutIn)) && (await fastForwardCheckedOutBranch(checkedOutIn, mergedSha, { expectedBranch: request.target })).moved) {
    return { ...base, status: 'merged', toSha: mergedSha, message: `Merged into ${request.target} at ${mergedSha.slice(0, 12)}${how} (fast-forward of ${checkedOutIn}).` };
  }
  return {
    ...base,
    status: 'left_on_branch',
    toSha: mergedSha,
    message: `${request.target} is checked out in ${checkedOutIn} and could not be fast-forwarded; the checked result is on ${request.resultBranch}. To take it: cd ${checkedOutIn} && git merge --ff-only ${request.resultBranch}`,
  };
}
