// A run's pull request conflicts with a target that moved on GitHub: orch fetches both, merges the target into the
// pull request's branch (the refinery's resolver takes the conflicts), runs the run's checks on the result and
// pushes the branch — only the branch: the target moves on GitHub alone, through its rules.
import { git, isValidRefName, noHooks, resolveCommit } from '../../git/index.ts';
import type { BranchToUpdate, BranchUpdate } from '../../github/index.ts';
import { mergeTargetIntoBranch } from '../../merge/update-branch.ts';
import type { RunScope } from '../core/deps.ts';
import { mergedTreeChecks } from './guarded-checks.ts';
import { conflictResolver } from './resolve-step.ts';

/** Only orch's own branches are updated, and never the pull request's target. */
function refusal(pull: BranchToUpdate): string | null {
  // The names come over the network: only well-formed branch names reach git's argv.
  for (const name of [pull.head, pull.base]) if (!isValidRefName(`refs/heads/${name}`)) return `'${name}' is not a valid branch name`;
  if (pull.head === pull.base) return `orch will not push to the target branch '${pull.base}'`;
  if (!pull.head.startsWith('orch/')) return `'${pull.head}' is not a branch orch made; orch updates only its own`;
  return null;
}

async function fetchSides(scope: RunScope, pull: BranchToUpdate, refs: { head: string; target: string }): Promise<string | null> {
  const fetched = await git([...noHooks, 'fetch', '--quiet', '--no-tags', 'origin', `+refs/heads/${pull.base}:${refs.target}`, `+refs/heads/${pull.head}:${refs.head}`], {
    cwd: scope.repo.root,
    allowFailure: true,
    timeoutMs: 300_000,
  });
  return fetched.exitCode === 0 ? null : `git fetch from origin failed: ${fetched.stderr.trim().split('\n').slice(-2).join(' ')}`;
}

/** What landed on the target since the branch was made (the resolver keeps it). */
async function landedSince(scope: RunScope, headSha: string, targetSha: string, base: string): Promise<string> {
  const log = await git(['log', '--format=%s', '--max-count=20', `${headSha}..${targetSha}`], { cwd: scope.repo.root, allowFailure: true });
  const subjects = log.stdout.trim();
  return subjects === '' ? `The work merged into ${base} meanwhile.` : `Merged into ${base} meanwhile:\n${subjects}`;
}

export async function updatePullRequestBranch(scope: RunScope, pull: BranchToUpdate): Promise<BranchUpdate> {
  const refused = refusal(pull);
  if (refused !== null) return { updated: false, reason: refused };
  const stamp = Date.now().toString(36);
  const refs = { head: `refs/orch/${scope.runId}/pr-${stamp}/head`, target: `refs/orch/${scope.runId}/pr-${stamp}/target` };
  try {
    const fetchFailed = await fetchSides(scope, pull, refs);
    if (fetchFailed !== null) return { updated: false, reason: fetchFailed };
    const headSha = await resolveCommit(scope.repo, refs.head);
    const targetSha = await resolveCommit(scope.repo, refs.target);
    const outcome = await mergeTargetIntoBranch({
      repo: scope.repo,
      headSha,
      targetSha,
      target: pull.base,
      message: `orch: merge ${pull.base} into ${pull.head}\n\n${pull.base} moved and conflicted with pull request #${pull.number}.\n\nrun ${scope.runId}`,
      worktreePath: scope.deps.paths.worktree(scope.projectSlug, `${scope.runId}-pr-update-${stamp}`),
      worktreeBranch: `orch/${scope.runId}/pr-update/${stamp}`,
      copyFiles: scope.settings.copyFiles,
      runChecks: mergedTreeChecks(scope, null),
      resolve: conflictResolver(scope, {
        stepKey: `pr-update-${stamp}`,
        attemptId: null,
        target: pull.base,
        taskKey: null,
        incomingIntent: scope.goal,
        targetIntent: await landedSince(scope, headSha, targetSha, pull.base),
        logName: `resolve-pr-${stamp}`,
      }),
    });
    if (outcome.status !== 'updated') return { updated: false, reason: outcome.message };
    // A fast-forward of the branch (the new commit has its old head as parent): a push someone made meanwhile is kept.
    const pushed = await git([...noHooks, 'push', '--porcelain', 'origin', `${outcome.sha}:refs/heads/${pull.head}`], { cwd: scope.repo.root, allowFailure: true, timeoutMs: 300_000 });
    if (pushed.exitCode !== 0) return { updated: false, reason: `git push of ${pull.head} failed: ${pushed.stderr.trim().split('\n').slice(-2).join(' ')}` };
    const how = outcome.resolvedConflicts.length > 0 ? `conflicts in ${outcome.resolvedConflicts.join(', ')} resolved by an agent` : 'merged cleanly';
    scope.deps.store.events.append({ runId: scope.runId, type: 'pr.branch_updated', data: { pull: pull.number, branch: pull.head, sha: outcome.sha, resolved: outcome.resolvedConflicts } });
    return { updated: true, sha: outcome.sha, detail: `${how}; checks passed` };
  } finally {
    for (const ref of Object.values(refs)) await git(['update-ref', '-d', ref], { cwd: scope.repo.root, allowFailure: true });
  }
}
