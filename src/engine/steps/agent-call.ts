// Recording an agent call that is not an attempt (a review, a comparison, a plan, a conflict resolution): in the
// store, and against the run's budget at once, so `--max-run-cost` counts it in this process too.
import type { AgentCallUsage } from '../../domain/records.ts';
import type { RunScope } from '../core/deps.ts';

export function recordAgentCall(
  scope: RunScope,
  call: { kind: string; stepKey: string; attemptId: string | null; status: string; usage: AgentCallUsage },
): void {
  scope.deps.store.judgements.addAgentCall({ runId: scope.runId, ...call });
  scope.budget.addCall(call.usage.costUsd);
}
