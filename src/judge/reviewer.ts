// The AI reviewer: a read-only agent in the attempt's worktree reads the goal, the diff and the check results,
// and answers with a score. A malformed answer gets one repair round; any failure is a `review_failed` outcome.
import { reviewSchema, type CheckResult, type Judgement, type Review } from '../domain/records.ts';
import { diffExcerpt, formatChecks, formatDiffStat, type AttemptDiff } from './attempt-summary.ts';
import { fence, renderPrompt } from '../agents/prompt-template.ts';
import { structuredCall, type AgentCallOptions, type CallUsage } from '../agents/structured-call.ts';

export interface ReviewRequest extends AgentCallOptions {
  /** `cwd` is the attempt's worktree: the reviewer may read it to see the change in context. */
  goal: string;
  diff: AttemptDiff;
  checks: readonly CheckResult[];
  /** How the checks were weighed (base, held out, flaky); the reviewer is told which check files changed. */
  judgement?: Judgement | null | undefined;
  /** The diff is cut here in the prompt; default 60 000 characters. */
  maxDiffChars?: number | undefined;
}

export type ReviewOutcome =
  | { status: 'reviewed'; review: Review; usage: CallUsage }
  | { status: 'review_failed'; error: string; usage: CallUsage };

const defaultMaxDiffChars = 60_000;
const checkTailChars = 2000;

/** What the reviewer must know beyond the check results: check files the attempt changed, a red base, flakes. */
export function judgementNotes(judgement: Judgement | null | undefined): string {
  if (judgement === null || judgement === undefined) return '';
  const notes: string[] = [];
  if (judgement.protectedFiles.length > 0) {
    const heldOut = judgement.heldOut?.every((c) => c.passed) === true ? 'passed' : 'FAILED';
    notes.push(
      `WARNING: the attempt changed files that define the checks: ${judgement.protectedFiles.join(', ')}. With the base's versions of them restored, the checks ${heldOut}. Decide whether the change to them is needed by the goal or makes the checks easier to pass.`,
    );
  }
  if (judgement.addedTests.length > 0) notes.push(`The attempt added test files: ${judgement.addedTests.join(', ')}.`);
  if (judgement.baseRed) notes.push(`The checks already failed on the base, before the attempt. ${judgement.summary}`);
  if (judgement.flaky.length > 0) notes.push(`Flaky: ${judgement.flaky.join(', ')} failed, then passed when run again.`);
  return notes.map((note) => `- ${note}`).join('\n');
}

export function reviewPrompt(goal: string, diff: AttemptDiff, checks: readonly CheckResult[], maxDiffChars = defaultMaxDiffChars, judgement?: Judgement | null): string {
  const excerpt = diffExcerpt(diff, maxDiffChars);
  const complete = !diff.truncated && diff.text.length <= maxDiffChars;
  return renderPrompt('review', {
    goal: fence(goal),
    diffStat: formatDiffStat(diff.stat),
    diffNote: complete ? excerpt.note : `${excerpt.note} Read the changed files in your working directory for the rest.`,
    diff: excerpt.block,
    checks: [formatChecks(checks, { tailChars: checkTailChars, passingTails: true }), judgementNotes(judgement)].filter(Boolean).join('\n\n'),
  });
}

export async function reviewAttempt(request: ReviewRequest): Promise<ReviewOutcome> {
  const { goal, diff, checks, maxDiffChars, judgement, ...agent } = request;
  const outcome = await structuredCall({ ...agent, prompt: reviewPrompt(goal, diff, checks, maxDiffChars, judgement), schema: reviewSchema });
  return outcome.ok
    ? { status: 'reviewed', review: outcome.value, usage: outcome.usage }
    : { status: 'review_failed', error: outcome.error, usage: outcome.usage };
}
