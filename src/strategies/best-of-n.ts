// n attempts in parallel (several agents and models round-robin), each judged, the best selected and merged.
import { z } from 'zod';
import { defineStrategy } from '../domain/strategy.ts';
import { agentsParam } from './params.ts';
import { judgedAttempts } from './judged-attempts.ts';
import { mergeWinner } from './outcome.ts';

export const bestOfN = defineStrategy({
  name: 'best-of-n',
  description: 'n attempts in parallel, each judged as it finishes; the best (by the selection order) is merged.',
  params: z
    .object({
      n: z.coerce.number().int().min(1).max(100).default(3).describe('how many attempts (1-100)'),
      agents: agentsParam,
    })
    .strict(),
  async execute(ctx, _goal, params) {
    const choices = params.agents ?? ctx.settings.agents;
    // Each attempt is judged as it finishes; the selection waits for all of them.
    const judged = await judgedAttempts(ctx, params.n, choices);
    const selection = ctx.select('select', judged);
    const winner = judged.find((j) => j.attempt.id === selection.winner);
    return mergeWinner(ctx, winner?.attempt, winner?.verdict, selection);
  },
});
