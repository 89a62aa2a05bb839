// n parallel attempts, each judged as soon as its agent finishes: a fast attempt's checks run while the slow
// ones still work, so its pass/fail shows on the dashboards at once and the run ends sooner. Selection waits
// for all of them (the caller's job).
import type { Attempt, Verdict } from '../domain/records.ts';
import type { AgentChoice, StrategyContext } from '../domain/strategy.ts';
import { agentFor } from './params.ts';
import { settleAll } from './settle.ts';

export interface JudgedAttempt {
  attempt: Attempt;
  verdict: Verdict;
}

/** Attempts `attempt/<i>`, each followed by its own `judge/attempt/<i>`; the agents are dealt round-robin. */
export async function judgedAttempts(ctx: StrategyContext, n: number, choices: readonly AgentChoice[]): Promise<JudgedAttempt[]> {
  return settleAll(
    Array.from({ length: n }, async (_, i) => {
      const choice = agentFor(choices, i);
      const attempt = await ctx.attempt(`attempt/${i}`, choice ? { agent: choice.agent, ...(choice.model ? { model: choice.model } : {}) } : {});
      const verdict = await ctx.judge(`judge/attempt/${i}`, attempt);
      return { attempt, verdict };
    }),
  );
}
