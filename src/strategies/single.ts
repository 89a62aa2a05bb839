// One attempt, judged, merged if it passes.
import { z } from 'zod';
import { defineStrategy } from '../domain/strategy.ts';
import { mergeWinner } from './outcome.ts';

export const single = defineStrategy({
  name: 'single',
  description: 'One attempt; judge it; merge it if its checks pass.',
  params: z.object({}).strict(),
  async execute(ctx) {
    const attempt = await ctx.attempt('attempt/0');
    if (attempt.status !== 'succeeded') {
      return { status: 'failed', summary: `The attempt ended ${attempt.status} (${attempt.reason ?? 'unknown'}): ${attempt.detail ?? ''}`.trim() };
    }
    const verdict = await ctx.judge('judge/attempt/0', attempt);
    return mergeWinner(ctx, attempt, verdict);
  },
});
