// The conflict resolver as a step uses it: an agent of the run (the first one), in the merge's worktree, counted
// against the run's agent slots and recorded as an agent call of the run. The refinery and the pull request's
// branch update share it.
import { defaultAgent } from '../../domain/agent-records.ts';
import { resolveConflicts } from '../../merge/resolver.ts';
import type { RunScope } from '../core/deps.ts';
import { agentSandbox } from '../core/sandbox-choice.ts';
import { recordAgentCall } from './agent-call.ts';

export interface ResolveContext {
  stepKey: string;
  attemptId: string | null;
  target: string;
  taskKey: string | null;
  /** What the work being merged is for, and what the other side already holds. */
  incomingIntent: string;
  targetIntent: string;
  /** Names the resolver's log. */
  logName: string;
}

export function conflictResolver(scope: RunScope, context: ResolveContext) {
  const { store, paths } = scope.deps;
  return async (worktree: string, conflicts: string[]): Promise<{ resolved: boolean; error?: string }> => {
    store.events.append({ runId: scope.runId, type: 'merge.conflict', data: { target: context.target, conflicts, taskKey: context.taskKey } });
    const agent = scope.settings.agents[0];
    const resolved = await scope.deps.limiter.run(
      () =>
        resolveConflicts({
          adapter: scope.deps.adapterFor(agent?.agent ?? defaultAgent),
          worktree,
          conflicts,
          incomingIntent: context.incomingIntent,
          targetIntent: context.targetIntent,
          stateDir: paths.agentState(agent?.agent ?? defaultAgent),
          env: scope.agentEnv,
          model: agent?.model,
          timeoutMs: scope.settings.attemptTimeoutMs,
          idleTimeoutMs: scope.settings.idleTimeoutMs,
          signal: scope.signal,
          logPath: paths.attemptLog(scope.runId, context.logName),
          sandbox: agentSandbox(scope, agent?.agent ?? 'claude'),
        }),
      scope.signal,
    );
    recordAgentCall(scope, { kind: 'resolve', stepKey: context.stepKey, attemptId: context.attemptId, status: resolved.resolved ? 'resolved' : 'unresolved', usage: resolved.usage });
    return resolved.resolved ? { resolved: true } : { resolved: false, error: resolved.error };
  };
}
