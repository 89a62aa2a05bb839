// ctx.judge: the project's checks in the attempt's worktree, weighed against the base's (and held out where the
// attempt changed the files that define them), then (where asked) the AI reviewer. A review that fails to come
// back is recorded, never fatal to the run.
import type { Attempt, Judgement, Review, Verdict } from '../../domain/records.ts';
import type { JudgeOptions } from '../../domain/strategy.ts';
import { diffText } from '../../git/index.ts';
import { judgeTree } from '../../judge/judge-tree.ts';
import { reviewAttempt } from '../../judge/reviewer.ts';
import type { CheckResult } from '../../domain/records.ts';
import type { RunScope } from '../core/deps.ts';
import { withGitControlGuarded, withoutSecrets } from '../attempt/attempt-security.ts';
import { withAttemptTree, withTreeAt } from './attempt-tree.ts';
import { baselineChecks } from './baseline-step.ts';
import { checkFileRules, checkRunOptions, checkSpecs } from './check-specs.ts';
import { durableStep } from './durable.ts';
import { judgeAgentOptions } from './judge-agent.ts';
import { recordAgentCall } from './agent-call.ts';

async function review(scope: RunScope, key: string, attempt: Attempt, checks: CheckResult[], judgement: Judgement | null): Promise<{ review: Review | null; error: string | null }> {
  if (attempt.headSha === null) return { review: null, error: 'the attempt has no commit to review' };
  if (scope.budget.exhausted()) return { review: null, error: "the run's budget is used up; no review was asked for" };
  const diff = await diffText(scope.repo, attempt.baseSha, attempt.headSha, { maxChars: 200_000 });
  const outcome = await scope.deps.limiter.run(
    () => {
      scope.deps.store.events.append({ runId: scope.runId, attemptId: attempt.id, type: 'review.started' });
      return reviewAttempt({
        ...judgeAgentOptions(scope, attempt.worktree, `review-${attempt.id}`),
        goal: scope.goal,
        diff: { stat: attempt.diff ?? { filesChanged: 0, insertions: 0, deletions: 0, files: [] }, text: withoutSecrets(scope, diff.text), truncated: diff.truncated },
        checks,
        judgement,
      });
    },
    scope.signal,
  );
  recordAgentCall(scope, { kind: 'review', stepKey: key, attemptId: attempt.id, status: outcome.status, usage: outcome.usage });
  return outcome.status === 'reviewed' ? { review: outcome.review, error: null } : { review: null, error: outcome.error };
}

interface Judged {
  checks: CheckResult[];
  passed: boolean;
  judgement: Judgement | null;
  reviewed: { review: Review | null; error: string | null };
}

async function judgeAttempt(scope: RunScope, key: string, attempt: Attempt, options: JudgeOptions): Promise<Judged> {
  const specs = checkSpecs(scope);
  scope.deps.store.events.append({ runId: scope.runId, attemptId: attempt.id, type: 'checks.started' });
  const baseline = await baselineChecks(scope, attempt.baseSha);
  scope.signal.throwIfAborted();
  return withAttemptTree(scope, attempt, async (cwd) => {
    // The checks (both runs, when held out) are watched like the agent: git control files they change go back.
    const judged = await withGitControlGuarded(scope, attempt, cwd, () => judgeTree({
      repo: scope.repo,
      cwd,
      baseSha: attempt.baseSha,
      headSha: attempt.headSha ?? attempt.baseSha,
      checks: specs,
      options: checkRunOptions(scope),
      rules: checkFileRules(scope),
      baseline,
      scratchTree: (sha, work) => withTreeAt(scope, `${attempt.id}-heldout`, `orch/${scope.runId}/heldout/${attempt.id}`, sha, work),
    }));
    scope.signal.throwIfAborted();
    const wantReview = options.review ?? scope.settings.review.enabled;
    const reviewed = wantReview ? await review(scope, key, { ...attempt, worktree: cwd }, judged.checks, judged.judgement) : { review: null, error: null };
    return { ...judged, reviewed };
  });
}

export function judgeStep(scope: RunScope, key: string, attempt: Attempt, options: JudgeOptions = {}): Promise<Verdict> {
  const { store } = scope.deps;
  return durableStep(
    scope,
    key,
    { attemptId: attempt.id, ...options },
    async () => {
      const ran = attempt.status === 'succeeded';
      const judged: Judged = ran ? await judgeAttempt(scope, key, attempt, options) : { checks: [], passed: false, judgement: null, reviewed: { review: null, error: null } };
      scope.signal.throwIfAborted();
      const verdict = store.judgements.addVerdict(scope.runId, {
        attemptId: attempt.id,
        // An attempt that failed or changed nothing cannot pass, whatever its (unrun) checks would say.
        passed: ran && judged.passed,
        checks: judged.checks,
        review: judged.reviewed.review,
        reviewError: judged.reviewed.error,
        judgement: judged.judgement,
      }, ran ? (checkSpecs(scope).length === 0 ? 'none configured' : 'none ran') : `not run: the attempt ${attempt.status} (${attempt.reason ?? 'no reason recorded'})`);
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
