// How reviewers and comparators run: the run's review agent, read-only, under the run's limits and env.
import type { AgentCallOptions } from '../../agents/structured-call.ts';
import type { RunScope } from '../core/deps.ts';
import { agentSandbox } from '../core/sandbox-choice.ts';

export function judgeAgentOptions(scope: RunScope, cwd: string, logName: string): AgentCallOptions {
  const { agent, model } = scope.settings.review;
  return {
    adapter: scope.deps.adapterFor(agent),
    cwd,
    stateDir: scope.deps.paths.agentState(agent),
    env: scope.agentEnv,
    model,
    timeoutMs: Math.min(scope.settings.attemptTimeoutMs, 600_000),
    idleTimeoutMs: scope.settings.idleTimeoutMs,
    signal: scope.signal,
    logPath: scope.deps.paths.attemptLog(scope.runId, logName),
    sandbox: agentSandbox(scope, agent, true),
  };
}
