// n attempts, then a bracket of pairwise comparisons by the reviewer over compact summaries (diff stat, diff
// excerpt, check results); odd counts give a bye. The idea of Recursive Tournament Voting (arXiv 2604.16529):
// comparing two at a time is cheaper and steadier than scoring everything at once.
import { z } from 'zod';
import type { Attempt } from '../domain/records.ts';
import { defineStrategy } from '../domain/strategy.ts';
import { settleAll } from './settle.ts';
import { agentsParam } from './params.ts';
import { judgedAttempts } from './judged-attempts.ts';
import { mergeWinner, verdictOf } from './outcome.ts';

export const tournament = defineStrategy({
  name: 'tournament',
  description: 'n attempts, judged by checks, then a pairwise bracket judged by the reviewer; the champion is merged.',
  params: z.object({ n: z.coerce.number().int().min(2).max(50).default(4).describe('how many attempts (2-50)'), agents: agentsParam }).strict(),
  async execute(ctx, _goal, params) {
    const choices = params.agents ?? ctx.settings.agents;
    // Each attempt is judged as it finishes (the reviewer scores it too when the user asked for --review); the
    // bracket, which compares them, waits for all.
    const judged = await judgedAttempts(ctx, params.n, choices);
    const attempts = judged.map((j) => j.attempt);
    const verdicts = judged.map((j) => j.verdict);
    // Those that pass the checks enter; if none does, every attempt with a change enters.
    const changed = attempts.filter((a) => a.status === 'succeeded' && (a.diff?.filesChanged ?? 0) > 0);
    const passing = changed.filter((a) => verdictOf(verdicts, a)?.passed === true);
    let bracket: Attempt[] = passing.length > 0 ? passing : changed;
    for (let round = 0; bracket.length > 1; round++) {
      const next: Attempt[] = [];
      const pairs: Promise<Attempt>[] = [];
      for (let i = 0; i + 1 < bracket.length; i += 2) {
        const [a, b] = [bracket[i], bracket[i + 1]] as [Attempt, Attempt];
        pairs.push(ctx.compare(`compare/${round}/${a.id}/${b.id}`, a, b).then((c) => (c.winnerAttemptId === a.id ? a : b)));
      }
      next.push(...(await settleAll(pairs)));
      if (bracket.length % 2 === 1) next.push(bracket.at(-1) as Attempt); // the bye
      bracket = next;
    }
    const champion = bracket[0];
    const selection = champion
      ? { winner: champion.id, ranking: [champion.id], reason: `${champion.id} won the bracket of ${passing.length > 0 ? passing.length : changed.length}.`, order: [...ctx.settings.selectionOrder] }
      : undefined;
    return mergeWinner(ctx, champion, champion ? verdictOf(verdicts, champion) : undefined, selection);
  },
});
