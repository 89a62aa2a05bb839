// A feedback round on a finished run: feedback from outside the run (a review requesting changes on its pull
// request, a failing CI check) goes back to the attempt that made the change — the same agent, resumed in its own
// session, in its own worktree on its own branch — and orch's checks judge the result. The run's budget bounds it:
// a round expected to pass it (a round costs about what the work it goes on from cost) does not start, and the
// round's cost is the run's like any attempt's.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Attempt, Verdict } from '../../domain/records.ts';
import { removeWorktree, restoreWorktree } from '../../git/index.ts';
import type { RunScope } from '../core/deps.ts';
import { attemptStep } from '../steps/attempt-step.ts';
import { judgeStep } from '../steps/judge-step.ts';

export interface FeedbackRoundRequest {
  /** The attempt whose work the feedback is about (the pull request's head). */
  fromAttemptId: string;
  /** 1 for the first round on this run's pull request; names the round's steps. */
  round: number;
  /** What the agent is told: the review and its comments, or the failing checks' output. */
  feedback: string;
  /** Where the feedback came from, for the run's events (e.g. "review 12 on pull request #3"). */
  source: string;
}

export type FeedbackRoundResult =
  | { started: false; reason: string }
  | { started: true; attempt: Attempt; verdict: Verdict; passed: boolean; costUsd: number; sameSession: boolean };

const usd = (n: number): string => `$${n.toFixed(4)}`;

export async function runFeedbackRound(scope: RunScope, request: FeedbackRoundRequest): Promise<FeedbackRoundResult> {
  const { store } = scope.deps;
  const from = store.attempts.get(request.fromAttemptId);
  const event = (type: string, data: Record<string, unknown>, attemptId?: string) =>
    store.events.append({ runId: scope.runId, ...(attemptId === undefined ? {} : { attemptId }), type, data: { round: request.round, source: request.source, ...data } });
  const limit = scope.settings.budget.runUsd;
  // A round is expected to cost about what the work it goes on from cost: one that would pass the budget does not start.
  const spent = scope.budget.spent();
  if (scope.budget.exhausted() || (limit !== undefined && spent + from.costUsd > limit)) {
    const reason = `the run's budget (${usd(limit ?? 0)}) has no room for feedback round ${request.round}: ${usd(spent)} spent, and a round is expected to cost about what ${from.id} did (${usd(from.costUsd)})`;
    event('feedback.skipped', { reason }, from.id);
    return { started: false, reason };
  }
  if (from.headSha === null) {
    const reason = `attempt ${from.id} has no commit to go on from`;
    event('feedback.skipped', { reason }, from.id);
    return { started: false, reason };
  }
  // The run's end removed the worktree; the session needs the very same directory, on the same branch.
  const restored = !existsSync(join(from.worktree, '.git'));
  if (restored) await restoreWorktree(scope.repo, { path: from.worktree, branch: from.branch });
  event('feedback.started', { fromAttemptId: from.id, sessionId: from.sessionId }, from.id);
  const spentBefore = scope.budget.spent();
  try {
    const attempt = await attemptStep(scope, `feedback/${request.round}`, { continueFrom: from, feedback: request.feedback });
    if (attempt.status === 'failed' && attempt.reason === 'budget' && attempt.turns === 0) {
      const reason = `the run's budget (${usd(limit ?? 0)}) has no room for another round: feedback round ${request.round} did not start`;
      event('feedback.skipped', { reason }, attempt.id);
      return { started: false, reason };
    }
    const verdict = await judgeStep(scope, `judge/feedback/${request.round}`, attempt);
    const costUsd = Math.max(0, scope.budget.spent() - spentBefore);
    const sameSession = attempt.sessionId !== null && attempt.sessionId === from.sessionId && attempt.branch === from.branch;
    event('feedback.finished', { attemptId: attempt.id, status: attempt.status, passed: verdict.passed, headSha: attempt.headSha, costUsd, sameSession }, attempt.id);
    return { started: true, attempt, verdict, passed: attempt.status === 'succeeded' && verdict.passed, costUsd, sameSession };
  } finally {
    // The worktree goes as at the run's end (its work is on the branch); the next round restores it.
    if (!scope.settings.keepWorktrees) await removeWorktree(scope.repo, from.worktree).catch(() => undefined);
  }
}
