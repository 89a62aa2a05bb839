// ctx.judge: the project's checks in the attempt's worktree, then (where asked) the AI reviewer. The verdict
// passes when every check passes; a review that fails to come back is recorded, never fatal to the run.
import type { Attempt, Review, Verdict } from '../domain/records.ts';
import type { JudgeOptions } from '../domain/strategy.ts';
import { diffText } from '../git/index.ts';
import { runChecks, type CheckSpec } from '../judge/checks.ts';
import { reviewAttempt } from '../judge/reviewer.ts';
import type { CheckResult } from '../domain/records.ts';
import type { RunScope } from './deps.ts';
import { withGitControlGuarded, withoutSecrets } from './attempt-security.ts';
import { withAttemptTree } from './attempt-tree.ts';
import { durableStep } from './durable.ts';
import { judgeAgentOptions } from './judge-agent.ts';
import { checkSandbox } from './sandbox-choice.ts';
import { recordAgentCall } from './agent-call.ts';

export function checkSpecs(scope: RunScope): CheckSpec[] {
  const specs: CheckSpec[] = [];
  if (scope.settings.checks.test !== undefined) specs.push({ name: 'test', command: scope.settings.checks.test });
  if (scope.settings.checks.lint !== undefined) specs.push({ name: 'lint', command: scope.settings.checks.lint });
  return specs;
}

async function review(scope: RunScope, key: string, attempt: Attempt, checks: CheckResult[]): Promise<{ review: Review | null; error: string | null }> {
  if (attempt.headSha === null) return { review: null, error: 'the attempt has no commit to review' };
  if (scope.budget.exhausted()) return { review: null, error: "the run's budget is used up; no review was asked for" };
  const diff = await diffText(scope.repo, attempt.baseSha, attempt.headSha, { maxChars: 200_000 });
  const outcome = await scope.deps.limiter.run(
    () =>
      reviewAttempt({
        ...judgeAgentOptions(scope, attempt.worktree, `review-${attempt.id}`),
        goal: scope.goal,
        diff: { stat: attempt.diff ?? { filesChanged: 0, insertions: 0, deletions: 0, files: [] }, text: withoutSecrets(scope, diff.text), truncated: diff.truncated },
        checks,
      }),
    scope.signal,
  );
  recordAgentCall(scope, { kind: 'review', stepKey: key, attemptId: attempt.id, status: outcome.status, usage: outcome.usage });
  return outcome.status === 'reviewed' ? { review: outcome.review, error: null } : { review: null, error: outcome.error };
}

export function judgeStep(scope: RunScope, key: string, attempt: Attempt, options: JudgeOptions = {}): Promise<Verdict> {
  const { store } = scope.deps;
  return durableStep(
    scope,
    key,
    { attemptId: attempt.id, ...options },
    async () => {
      const ran = attempt.status === 'succeeded';
      const nothing = { checks: [] as CheckResult[], reviewed: { review: null, error: null } };
      const { checks, reviewed } = !ran
        ? nothing
        : await withAttemptTree(scope, attempt, async (cwd) => {
            const checks = await withGitControlGuarded(scope, attempt, cwd, () => runChecks(checkSpecs(scope), cwd, scope.settings.checks.timeoutMs, scope.signal, checkSandbox(scope)));
            scope.signal.throwIfAborted();
            const wantReview = options.review ?? scope.settings.review.enabled;
            const reviewed = wantReview ? await review(scope, key, { ...attempt, worktree: cwd }, checks) : nothing.reviewed;
            return { checks, reviewed };
          });
      scope.signal.throwIfAborted();
      const verdict = store.judgements.addVerdict(scope.runId, {
        attemptId: attempt.id,
        // An attempt that failed or changed nothing cannot pass, whatever its (unrun) checks would say.
        passed: ran && checks.every((c) => c.passed),
        checks,
        review: reviewed.review,
        reviewError: reviewed.error,
      });
      scope.audit.verdict(attempt, verdict);
      return { value: verdict, stored: { verdictId: verdict.id } };
    },
    (stored) => {
      const id = stored.verdictId;
      const verdict = store.judgements.verdictsByRun(scope.runId).find((v) => v.id === id);
      if (verdict === undefined) throw new Error(`stored step ${key} names a missing verdict ${id}`);
      return verdict;
    },
  );
}
