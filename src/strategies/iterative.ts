// Attempt, judge, and feed the failed checks and the review back to the agent — in the same session where it
// can resume one, else as a new attempt on the previous branch — until it passes or the rounds run out.
import { z } from 'zod';
import type { Verdict } from '../domain/records.ts';
import { defineStrategy } from '../domain/strategy.ts';
import { mergeWinner } from './outcome.ts';

const tailChars = 3000;

/** What the agent is told after a round that did not pass. */
export function feedbackFrom(verdict: Verdict): string {
  const parts: string[] = [];
  for (const check of verdict.checks.filter((c) => !c.passed)) {
    parts.push(`The ${check.name} check failed (\`${check.command}\`, exit ${check.exitCode ?? (check.timedOut ? 'timed out' : '-')}). Its output ends with:\n\n\`\`\`\n${check.outputTail.slice(-tailChars)}\n\`\`\``);
  }
  const heldOut = verdict.judgement?.heldOut?.filter((c) => !c.passed) ?? [];
  if (heldOut.length > 0) {
    const files = verdict.judgement?.protectedFiles.join(', ') ?? '';
    parts.push(
      `You changed files that define the checks (${files}). The checks were run again with their original versions and failed; make the code pass the original checks. The output ends with:\n\n\`\`\`\n${heldOut.map((c) => c.outputTail).join('\n').slice(-tailChars)}\n\`\`\``,
    );
  }
  if (verdict.review && !verdict.review.pass) {
    const risks = verdict.review.risks.map((r) => `- ${r}`).join('\n');
    parts.push(`A reviewer scored the change ${verdict.review.score}/10 and did not pass it:\n\n${verdict.review.reasoning}${risks ? `\n\nRisks:\n${risks}` : ''}`);
  }
  return parts.join('\n\n') || 'The change did not pass; look again at the goal.';
}

const passes = (verdict: Verdict): boolean => verdict.passed && (verdict.review === null || verdict.review.pass);

export const iterative = defineStrategy({
  name: 'iterative',
  description: 'Attempt, judge, feed the failures back to the agent; repeat until it passes or rounds run out.',
  params: z.object({ rounds: z.coerce.number().int().min(1).max(20).default(3).describe('most rounds to try') }).strict(),
  async execute(ctx, _goal, params) {
    let previous = await ctx.attempt('round/0');
    let verdict = await ctx.judge('judge/round/0', previous);
    for (let round = 1; round < params.rounds && !passes(verdict); round++) {
      if (previous.headSha === null) break;
      ctx.note(`round ${round + 1}: feeding the failures back`, { round: round + 1 });
      previous = await ctx.attempt(`round/${round}`, { continueFrom: previous, feedback: feedbackFrom(verdict) });
      verdict = await ctx.judge(`judge/round/${round}`, previous);
    }
    if (!passes(verdict)) {
      return { status: 'failed', summary: `No round passed in ${params.rounds} rounds; the last attempt ${previous.id} stays on ${previous.branch}.`, winner: previous.id };
    }
    return mergeWinner(ctx, previous, verdict);
  },
});
