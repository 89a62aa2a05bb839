// The strategy API: a strategy is plain async code over a context whose every call is a durable, keyed step.
// Keys must come from the strategy's inputs (never time or randomness) so a resumed run finds its finished steps.
import type { z } from 'zod';
import type { Attempt, Merge, Verdict } from './records.ts';

export interface AttemptRequest {
  /** The task this attempt works on; 'main' for single-task strategies. */
  taskKey?: string;
  /** Which agent to use; default: the run's agent. */
  agent?: string;
  model?: string;
  /** Extra instructions appended to the goal (feedback from a review, a failed check). */
  feedback?: string;
}

export interface StrategyContext {
  readonly runId: string;
  readonly signal: AbortSignal;
  /** Run one agent attempt in its own worktree and branch. */
  attempt(key: string, request?: AttemptRequest): Promise<Attempt>;
  /** Run the project's checks on an attempt (and the reviewer, where configured). */
  judge(key: string, attempt: Attempt): Promise<Verdict>;
  /** Integrate an attempt into the run's target branch. */
  merge(key: string, attempt: Attempt): Promise<Merge>;
  /** Record progress a person should see. */
  note(message: string, data?: Record<string, unknown>): void;
}

export interface StrategyOutcome {
  status: 'succeeded' | 'failed';
  /** One sentence: why the run ended this way. */
  summary: string;
  winner?: string | undefined;
  merge?: Merge | undefined;
}

export interface Strategy<P = unknown> {
  name: string;
  description: string;
  params: z.ZodType<P>;
  execute(ctx: StrategyContext, goal: string, params: P): Promise<StrategyOutcome>;
}

export function defineStrategy<P>(strategy: Strategy<P>): Strategy<P> {
  return strategy;
}
