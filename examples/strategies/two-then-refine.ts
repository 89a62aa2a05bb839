// An example of your own strategy: two attempts with different models; if neither passes, the better one
// gets one more round with its failures as feedback. Run it with:
//   orch run "fix the date parser" --strategy ./examples/strategies/two-then-refine.ts -S models=opus,sonnet
import { defineStrategy, z } from 'orch';

export default defineStrategy({
  name: 'two-then-refine',
  description: 'Two attempts on two models; the better one is refined once if neither passes.',
  params: z.object({
    models: z
      .string()
      .default('opus,sonnet')
      .transform((text) => text.split(',').map((m) => m.trim()).filter(Boolean))
      .describe('two models, comma-separated'),
  }),
  async execute(ctx, _goal, params) {
    const attempts = await Promise.all(params.models.slice(0, 2).map((model, i) => ctx.attempt(`try/${i}`, { model })));
    const verdicts = await Promise.all(attempts.map((attempt, i) => ctx.judge(`judge/try/${i}`, attempt)));
    let selection = ctx.select('select', attempts.map((attempt, i) => ({ attempt, verdict: verdicts[i] ?? null })));
    let winner = attempts.find((a) => a.id === selection.winner);
    let verdict = verdicts.find((v) => v.attemptId === selection.winner);
    if (winner !== undefined && verdict !== undefined && !verdict.passed) {
      const failed = verdict.checks.filter((c) => !c.passed).map((c) => `${c.name}:\n${c.outputTail}`).join('\n\n');
      ctx.note('refining the better attempt once');
      winner = await ctx.attempt('refine', { continueFrom: winner, feedback: failed });
      verdict = await ctx.judge('judge/refine', winner);
      selection = ctx.select('select/refine', [{ attempt: winner, verdict }]);
    }
    if (winner === undefined || verdict?.passed !== true) {
      return { status: 'failed', summary: 'No attempt passed the checks.', selection };
    }
    const merge = await ctx.merge('merge', winner);
    return { status: merge.status === 'merged' || merge.status === 'left_on_branch' ? 'succeeded' : 'failed', summary: merge.message, winner: winner.id, selection, merge };
  },
});
