// Integrating a chosen attempt into its target branch without touching the user's working tree or index:
// the merge is computed with `git merge-tree --write-tree`, then the target ref moves by compare-and-swap.
// If the target is checked out somewhere, only git itself may move it (a fast-forward in a clean tree).
import type { Merge } from '../domain/records.ts';
import { fastForwardCheckedOutBranch } from '../git/index.ts';
import { commitTree, isAncestor, isRefMoved, mergeBase, mergeTree, updateRef } from '../git/index.ts';
import { branchSha, isWorkingTreeClean, worktreeWithBranchCheckedOut, type Repository } from '../git/index.ts';

export interface MergeRequest {
  runId: string;
  attemptId: string;
  target: string;
  /** The attempt's head commit. */
  headSha: string;
  /** Subject line of a merge commit, when one is needed. */
  message: string;
  /** Where to leave the result when the target cannot move (a branch orch owns). */
  resultBranch: string;
  /**
   * The commit the attempt started from, when it is where the target was then. While the target is still there,
   * the merge is a fast-forward and needs no look at history: the compare-and-swap alone proves it.
   */
  baseSha?: string;
}

/** A merge as recorded, before it has an id; the checks and task are added by the caller where there are any. */
export type MergeOutcome = Omit<Merge, 'id' | 'createdAt' | 'checks' | 'taskKey'>;

/** Tries of a merge whose target moved under it (another orch, a person committing) before it gives up. */
const movedTargetTries = 3;

export async function mergeAttempt(repo: Repository, request: MergeRequest): Promise<MergeOutcome> {
  for (let tries = 1; ; tries++) {
    try {
      return await mergeOnce(repo, request, tries === 1);
    } catch (error) {
      // The target moved between reading it and moving it: merge again onto where it is now.
      if (!isRefMoved(error) || tries >= movedTargetTries) throw error;
    }
  }
}

async function mergeOnce(repo: Repository, request: MergeRequest, fastPath: boolean): Promise<MergeOutcome> {
  const who = { runId: request.runId, attemptId: request.attemptId, target: request.target };
  const targetRef = `refs/heads/${request.target}`;
  if (fastPath && request.baseSha !== undefined && request.baseSha !== request.headSha) {
    const done = await fastForwardIfUnmoved(repo, request, request.baseSha);
    if (done !== undefined) return { ...who, fromSha: request.baseSha, ...done };
  }
  const targetSha = await branchSha(repo, request.target);
  // The record says where the target moved from; a target that did not exist yet "moves" from the attempt's base.
  const base = { ...who, fromSha: targetSha ?? request.baseSha ?? request.headSha };
  const common = targetSha === null ? null : await mergeBase(repo, targetSha, request.headSha);
  // Done before (a merge step repeated after a crash): nothing to do, and no second merge commit.
  if (targetSha !== null && common === request.headSha) {
    return { ...base, status: 'merged', toSha: targetSha, message: `${request.target} already holds this work (at ${targetSha.slice(0, 12)}).` };
  }

  let resultSha: string;
  if (targetSha === null || common === targetSha) {
    resultSha = request.headSha;
  } else {
    const merged = await mergeTree(repo, targetSha, request.headSha);
    if (!merged.clean) {
      return {
        ...base,
        status: 'conflict',
        toSha: null,
        message: `The attempt conflicts with ${request.target} in ${merged.conflicts.map((c) => c.path).join(', ')}; it stays on its branch.`,
      };
    }
    resultSha = await commitTree(repo, merged.tree, [targetSha, request.headSha], request.message);
  }

  const checkedOutIn = await worktreeWithBranchCheckedOut(repo, request.target);
  if (checkedOutIn === null) {
    await updateRef(repo, targetRef, resultSha, targetSha);
    return { ...base, status: 'merged', toSha: resultSha, message: `Merged into ${request.target} at ${resultSha.slice(0, 12)}.` };
  }

  // The target is someone's checked-out branch: leave a ref holding the result, then let git fast-forward the
  // checked-out tree only if it is clean. Git refuses anything that would lose a change.
  const resultRef = `refs/heads/${request.resultBranch}`;
  const previousResult = await branchSha(repo, request.resultBranch);
  await updateRef(repo, resultRef, resultSha, previousResult);
  const leftOnBranch = (why: string, first = ''): MergeOutcome => ({
    ...base,
    status: 'left_on_branch',
    toSha: resultSha,
    message: `${why} The result is on branch ${request.resultBranch}. To take it: ${first}cd ${checkedOutIn} && git merge --ff-only ${request.resultBranch}`,
  });
  if (!(await isWorkingTreeClean(checkedOutIn))) {
    return leftOnBranch(`${request.target} is checked out in ${checkedOutIn} with local changes, so orch did not move it.`, 'commit or stash your changes, then ');
  }
  const moved = await fastForwardCheckedOutBranch(checkedOutIn, resultSha);
  if (!moved.moved) return leftOnBranch(`git would not fast-forward ${request.target} in ${checkedOutIn}: ${moved.message}`);
  return { ...base, status: 'merged', toSha: resultSha, message: `Merged into ${request.target} at ${resultSha.slice(0, 12)} (fast-forward of ${checkedOutIn}).` };
}

/** Put the attempt's work on the run's result branch, and leave the target where it is. */
export async function leaveOnResultBranch(
  scope: { repo: Repository; runId: string; target: string; baseSha: string },
  attemptId: string,
  headSha: string,
  why: string,
): Promise<MergeOutcome> {
  const resultBranch = `orch/${scope.runId}/result`;
  const previous = await branchSha(scope.repo, resultBranch);
  if (previous !== headSha) await updateRef(scope.repo, `refs/heads/${resultBranch}`, headSha, previous);
  return {
    runId: scope.runId,
    attemptId,
    target: scope.target,
    fromSha: await targetTip(scope),
    toSha: headSha,
    status: 'left_on_branch',
    message: `${why} The result is on branch ${resultBranch}; ${scope.target} did not move. To take it: git merge ${resultBranch}`,
  };
}

/**
 * The common case in one git process: the target is still at the attempt's base and checked out nowhere, so
 * moving it to the attempt's head is a fast-forward. Undefined when that does not hold: the full merge decides.
 */
async function fastForwardIfUnmoved(repo: Repository, request: MergeRequest, baseSha: string): Promise<Pick<MergeOutcome, 'status' | 'toSha' | 'message'> | undefined> {
  if ((await worktreeWithBranchCheckedOut(repo, request.target)) !== null) return undefined;
  // An agent can rewrite its own branch (reset, orphan): only a head that still contains the base is a fast-forward.
  if (!(await isAncestor(repo, baseSha, request.headSha))) return undefined;
  try {
    await updateRef(repo, `refs/heads/${request.target}`, request.headSha, baseSha, { allowCheckedOut: true });
  } catch (error) {
    if (isRefMoved(error)) return undefined;
    throw error;
  }
  return { status: 'merged', toSha: request.headSha, message: `Merged into ${request.target} at ${request.headSha.slice(0, 12)}.` };
}

/** Where the target is now (the run's base when it does not exist): the `fromSha` of a merge that did not move it. */
export async function targetTip(scope: { repo: Repository; target: string; baseSha: string }, target = scope.target): Promise<string> {
  return (await branchSha(scope.repo, target)) ?? scope.baseSha;
}
