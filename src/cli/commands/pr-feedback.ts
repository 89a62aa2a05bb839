// Feedback rounds from the command line: while `orch run --deliver pr` (mergeVia github) waits on its pull request,
// each round opens the store and engine again (the run itself has ended and closed them), has the engine resume the
// attempt's agent session with the feedback, and keeps the newest report for the run's result.
import type { AuditedRunReport } from '../../domain/run-report.ts';
import type { FeedbackLoopOptions, RoundOutcome } from '../../github/index.ts';
import { openContext } from '../context.ts';

export interface EngineRounds {
  runRound: FeedbackLoopOptions['runRound'];
  /** The feedback rounds' end: recorded as the run's event, so its report and timeline say why orch stopped. */
  gaveUp: (reason: string) => Promise<void>;
  /** The run's report after the last round (null when none ran). */
  latestReport(): AuditedRunReport | null;
  rounds(): number;
}

export function engineRounds(runId: string, firstAttemptId: string): EngineRounds {
  let current = firstAttemptId;
  let latest: AuditedRunReport | null = null;
  let count = 0;
  return {
    async runRound(round, feedback, source): Promise<RoundOutcome> {
      const context = await openContext();
      try {
        const { result, report } = await context.engine.feedbackRound(runId, { fromAttemptId: current, round, feedback, source });
        latest = report;
        if (!result.started) return { started: false, reason: result.reason };
        count += 1;
        current = result.attempt.id;
        const checks = result.verdict.checks.length === 0 ? 'none configured' : result.verdict.checks.map((c) => `${c.name} ${c.passed ? 'passed' : 'failed'}`).join(', ');
        return { started: true, attemptId: result.attempt.id, headSha: result.attempt.headSha, passed: result.passed, costUsd: result.costUsd, checks };
      } finally {
        context.close();
      }
    },
    async gaveUp(reason) {
      const context = await openContext({ engine: false });
      try {
        context.store.events.append({ runId, type: 'feedback.gave_up', data: { reason, rounds: count } });
      } finally {
        context.close();
      }
    },
    latestReport: () => latest,
    rounds: () => count,
  };
}
