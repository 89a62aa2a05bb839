// The `attempt.usage` event: an attempt's tokens and money so far, in the event log that feeds every view (TUI, web,
// API stream, `orch watch --json`). Appended whenever the attempt's stored figures change: at every model turn while
// the agent works (orch's estimate at the model's list price, `live: true`), when the agent prints its own totals
// (which replace the estimate, `live: false`), and when its session is first known. Each event carries the
// attempt's totals, not a difference: a view shows the latest one.
import { z } from 'zod';

export const attemptUsageEventSchema = z.object({
  /** Model turns (requests answered) of the attempt, every invocation of it together (resumed sessions included). */
  turns: z.number().int().nonnegative(),
  /** Input tokens, cached and cache-written ones included. */
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative(),
  /** The figures include turns orch priced itself that the agent has not totalled yet. */
  live: z.boolean(),
  /** The whole run's cost at this moment (its other attempts, agent calls and child runs included). */
  runCostUsd: z.number().nonnegative(),
});
export type AttemptUsageEvent = z.infer<typeof attemptUsageEventSchema>;
