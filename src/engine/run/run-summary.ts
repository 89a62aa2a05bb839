// What a run's result says about its judging: how many attempts passed, which won and why, whether the reviewer
// and the checks agreed, and whether the base was already red. Computed from the stored verdicts, so every
// strategy gets it.
import type { Verdict } from '../../domain/records.ts';
import type { StrategyOutcome } from '../../domain/strategy.ts';
import type { CheckResult } from '../../domain/records.ts';

export interface JudgingSummary {
  attemptsJudged: number;
  attemptsPassed: number;
  winner: string | null;
  why: string;
  /** With review: verdicts where the reviewer's pass matched the checks', and where it did not. */
  review: { agreed: number; disagreed: string[] } | null;
  baseRed: boolean;
  /** Checks that failed on the base, by name. */
  baseFailing: string[];
  flaky: string[];
  /** Attempts that changed check files, with the files. */
  checkFileChanges: Record<string, string[]>;
}

export function judgingSummary(verdicts: readonly Verdict[], outcome: StrategyOutcome, baseline: readonly CheckResult[] | null): JudgingSummary {
  const reviewed = verdicts.filter((v) => v.review !== null);
  const checkFileChanges: Record<string, string[]> = {};
  for (const verdict of verdicts) {
    const files = verdict.judgement?.protectedFiles ?? [];
    if (files.length > 0) checkFileChanges[verdict.attemptId] = files;
  }
  return {
    attemptsJudged: verdicts.length,
    attemptsPassed: verdicts.filter((v) => v.passed).length,
    winner: outcome.winner ?? null,
    why: outcome.selection?.reason ?? outcome.summary,
    review: reviewed.length === 0 ? null : { agreed: reviewed.filter((v) => v.review?.pass === v.passed).length, disagreed: reviewed.filter((v) => v.review?.pass !== v.passed).map((v) => v.attemptId) },
    baseRed: baseline?.some((c) => !c.passed) ?? false,
    baseFailing: baseline?.filter((c) => !c.passed).map((c) => c.name) ?? [],
    flaky: [...new Set(verdicts.flatMap((v) => v.judgement?.flaky ?? []))],
    checkFileChanges,
  };
}

/** The summary in one or two sentences, for the run's reason and the report. */
export function describeJudging(summary: JudgingSummary): string {
  const parts = [`${summary.attemptsPassed} of ${summary.attemptsJudged} judged attempts passed.`];
  if (summary.baseRed) parts.unshift(`The base was already red (${summary.baseFailing.join(', ')} failing before any change).`);
  if (summary.review !== null) {
    parts.push(
      summary.review.disagreed.length === 0
        ? `The reviewer agreed with the checks on all ${summary.review.agreed}.`
        : `The reviewer disagreed with the checks on ${summary.review.disagreed.join(', ')}.`,
    );
  }
  if (summary.flaky.length > 0) parts.push(`Flaky checks: ${summary.flaky.join(', ')}.`);
  const changed = Object.entries(summary.checkFileChanges);
  if (changed.length > 0) parts.push(`Changed check files: ${changed.map(([id, files]) => `${id} (${files.join(', ')})`).join('; ')}.`);
  return parts.join(' ');
}
