// The AI reviewer: a read-only agent in the attempt's worktree reads the goal, the diff and the check results,
// and answers with a score. A malformed answer gets one repair round; any failure is a `review_failed` outcome.
import { reviewSchema, type CheckResult, type Review } from '../domain/records.ts';
import { diffExcerpt, formatChecks, formatDiffStat, type AttemptDiff } from './attempt-summary.ts';
import { fence, renderPrompt } from '../agents/prompt-template.ts';
import { structuredCall, type AgentCallOptions, type CallUsage } from '../agents/structured-call.ts';

export interface ReviewRequest extends AgentCallOptions {
  /** `cwd` is the attempt's worktree: the reviewer may read it to see the change in context. */
  goal: string;
  diff: AttemptDiff;
  checks: readonly CheckResult[];
  /** The diff is cut here in the prompt; default 60 000 characters. */
  maxDiffChars?: number | undefined;
}

export type ReviewOutcome =
  | { status: 'reviewed'; review: Review; usage: CallUsage }
  | { status: 'review_failed'; error: string; usage: CallUsage };

const defaultMaxDiffChars = 60_000;
const checkTailChars = 2000;

export function reviewPrompt(goal: string, diff: AttemptDiff, checks: readonly CheckResult[], maxDiffChars = defaultMaxDiffChars): string {
  const excerpt = diffExcerpt(diff, maxDiffChars);
  const complete = !diff.truncated && diff.text.length <= maxDiffChars;
  return renderPrompt('review', {
    goal: fence(goal),
    diffStat: formatDiffStat(diff.stat),
    diffNote: complete ? excerpt.note : `${excerpt.note} Read the changed files in your working directory for the rest.`,
    diff: excerpt.block,
    checks: formatChecks(checks, { tailChars: checkTailChars, passingTails: true }),
  });
}

export async function reviewAttempt(request: ReviewRequest): Promise<ReviewOutcome> {
  const { goal, diff, checks, maxDiffChars, ...agent } = request;
  const outcome = await structuredCall({ ...agent, prompt: reviewPrompt(goal, diff, checks, maxDiffChars), schema: reviewSchema });
  return outcome.ok
    ? { status: 'reviewed', review: outcome.value, usage: outcome.usage }
    : { status: 'review_failed', error: outcome.error, usage: outcome.usage };
}
