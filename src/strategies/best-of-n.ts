// n attempts in parallel (several agents and models round-robin), each judged, the best selected and merged.
import { z } from 'zod';
import { defineStrategy } from '../domain/strategy.ts';
import { settleAll } from './settle.ts';
import { agentFor, agentsParam } from './params.ts';
import { mergeWinner, verdictOf } from './outcome.ts';

export const bestOfN = defineStrategy({
  name: 'best-of-n',
  description: 'n attempts in parallel, all judged; the best (by the selection order) is merged.',
  params: z
    .object({
      n: z.coerce.number().int().min(1).max(100).default(3).describe('how many attempts (1-100)'),
      agents: agentsParam,
    })
    .strict(),
  async execute(ctx, _goal, params) {
    const choices = params.agents ?? ctx.settings.agents;
    const attempts = await settleAll(
      Array.from({ length: params.n }, (_, i) => {
        const choice = agentFor(choices, i);
        return ctx.attempt(`attempt/${i}`, choice ? { agent: choice.agent, ...(choice.model ? { model: choice.model } : {}) } : {});
      }),
    );
    const verdicts = await settleAll(attempts.map((attempt, i) => ctx.judge(`judge/attempt/${i}`, attempt)));
    const selection = ctx.select('select', attempts.map((attempt, i) => ({ attempt, verdict: verdicts[i] ?? null })));
    const winner = attempts.find((a) => a.id === selection.winner);
    return mergeWinner(ctx, winner, winner ? verdictOf(verdicts, winner) : undefined, selection);
  },
});
