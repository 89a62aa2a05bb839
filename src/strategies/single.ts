// One attempt, judged, merged if it passes.
import { z } from 'zod';
import { defineStrategy } from '../domain/strategy.ts';

export const single = defineStrategy({
  name: 'single',
  description: 'One attempt; judge it; merge it if its checks pass.',
  params: z.object({}).strict(),
  async execute(ctx, _goal) {
    const attempt = await ctx.attempt('attempt/0');
    if (attempt.status !== 'succeeded') {
      return { status: 'failed', summary: `The attempt ended ${attempt.status} (${attempt.reason ?? 'unknown'}): ${attempt.detail ?? ''}`.trim() };
    }
    const verdict = await ctx.judge('judge/attempt/0', attempt);
    if (!verdict.passed) {
      const failed = verdict.checks.filter((c) => !c.passed).map((c) => c.name);
      return { status: 'failed', summary: `The attempt failed its checks (${failed.join(', ')}); it stays on ${attempt.branch}.`, winner: attempt.id };
    }
    const merge = await ctx.merge('merge', attempt);
    return {
      status: merge.status === 'merged' || merge.status === 'left_on_branch' ? 'succeeded' : 'failed',
      summary: merge.message,
      winner: attempt.id,
      merge,
    };
  },
});
