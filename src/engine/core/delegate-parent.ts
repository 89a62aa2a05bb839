// Where a delegated child run stands, decided from the store alone. A delegate call names its parent run and
// attempt (the MCP server is told them); everything that bounds the child — its depth, how deep delegation may go,
// its budget — comes from the parent's stored row and settings, never from the caller: an agent with a shell can
// set any environment variable and start `orch mcp-delegate` itself.
import { UsageError } from '../../domain/errors.ts';
import type { Store } from '../../store/store.ts';
import { runSettingsSchema } from './settings.ts';

export interface DelegateParent {
  runId: string;
  attemptId: string;
  /** The child's depth: the parent run's own, plus one. */
  depth: number;
  /** How deep delegation may go, as the top run was started with (children inherit it). */
  maxDepth: number;
  /** What the child may spend: what the parent's run budget has left (children's spending included), else the
   * stored per-child limit. */
  budgetUsd: number;
  /** What each child run may spend when its parent has no run budget, as the top run was started with. */
  maxChildUsd: number;
  /** Whether the child may itself delegate or plan a level deeper. */
  mayGoDeeper: boolean;
}

/** The part of a run's stored settings that bounds its children. */
const storedLimits = runSettingsSchema.pick({ budget: true, delegate: true });

const refuse = (message: string) => new UsageError(message, { hint: 'Only a running attempt offered the delegate tool by orch may delegate.' });

/** The parent of a child run about to start, checked against the store; a UsageError says what is not allowed. */
export function delegateParent(store: Store, ref: { runId: string; attemptId: string }): DelegateParent {
  const run = store.runs.find(ref.runId);
  if (run === undefined) throw refuse(`delegate: there is no run ${ref.runId}.`);
  if (run.status !== 'running') throw refuse(`delegate: run ${run.id} is ${run.status}, not running.`);
  const attempt = store.attempts.find(ref.attemptId);
  if (attempt === undefined || attempt.runId !== run.id) throw refuse(`delegate: there is no attempt ${ref.attemptId} in run ${run.id}.`);
  if (attempt.status !== 'running') throw refuse(`delegate: attempt ${attempt.id} is ${attempt.status}, not running.`);
  const settings = storedLimits.safeParse(store.runs.settings(run.id));
  if (!settings.success) throw refuse(`delegate: the settings of run ${run.id} cannot be read.`);
  const { delegate, budget } = settings.data;
  if (!delegate.enabled) throw refuse(`delegate: run ${run.id} was not started with delegation.`);
  const depth = delegate.depth + 1;
  if (depth > delegate.maxDepth) throw refuse(`delegate: run ${run.id} is at depth ${delegate.depth}, and delegation goes ${delegate.maxDepth} level(s) deep.`);
  const left = budget.runUsd === undefined ? undefined : budget.runUsd - run.costUsd;
  if (left !== undefined && left <= 0) {
    throw refuse(`delegate: the budget of run ${run.id} ($${budget.runUsd?.toFixed(4)}) is spent ($${run.costUsd.toFixed(4)} so far, child runs included).`);
  }
  return {
    runId: run.id,
    attemptId: attempt.id,
    depth,
    maxDepth: delegate.maxDepth,
    budgetUsd: left ?? delegate.maxChildUsd,
    maxChildUsd: delegate.maxChildUsd,
    mayGoDeeper: depth < delegate.maxDepth,
  };
}
