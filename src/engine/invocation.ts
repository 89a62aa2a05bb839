// One invocation of an attempt's agent: under supervision, with one credential, its usage metered live and
// held to the budget. An attempt may take several (retries, credential rotation, resumed sessions).
import { makeRedactor, secretValues } from '../agents/redact.ts';
import { runAgent, type AgentRun } from '../agents/run-agent.ts';
import type { Credential } from '../agents/credentials.ts';
import type { AgentEvent } from '../domain/agent-events.ts';
import type { Attempt } from '../domain/records.ts';
import { processStartTime } from '../process/registry.ts';
import { recordToolEscapes } from './attempt-security.ts';
import { offerDelegate } from './delegate-config.ts';
import { agentSandbox } from './sandbox-choice.ts';
import type { RunScope } from './deps.ts';
import { UsageMeter } from './usage-meter.ts';

export interface InvocationInput {
  attempt: Attempt;
  prompt: string;
  resumeSessionId: string | undefined;
  credential: Credential;
  /** The attempt's own stop: the run's signal plus the budget. */
  signal: AbortSignal;
  onBudgetExceeded(): void;
}

export async function invokeAgent(scope: RunScope, input: InvocationInput): Promise<AgentRun> {
  const { deps, settings } = scope;
  const { store } = deps;
  const attempt = store.attempts.get(input.attempt.id);
  const meter = new UsageMeter(
    (usage) => {
      store.attempts.recordUsage(attempt.id, usage);
      // Agents that do not enforce a budget themselves are held to it here.
      if (scope.budget.report(attempt.id, usage.costUsd)) input.onBudgetExceeded();
    },
    { turns: attempt.turns, inputTokens: attempt.inputTokens, outputTokens: attempt.outputTokens, costUsd: attempt.costUsd, sessionId: attempt.sessionId },
  );
  const sandbox = agentSandbox(scope, attempt.agent);
  const delegate = await offerDelegate(scope, attempt, sandbox.mode !== 'none');
  const run = await runAgent({
    adapter: deps.adapterFor(attempt.agent),
    spec: {
      prompt: input.prompt,
      cwd: attempt.worktree,
      model: attempt.model ?? undefined,
      maxTurns: settings.maxTurns,
      maxBudgetUsd: settings.budget.attemptUsd,
      resumeSessionId: input.resumeSessionId,
      stateDir: deps.paths.agentState(attempt.agent),
      // The credential's variables win over the run's: that is what rotation means.
      env: { ...scope.agentEnv, ...input.credential.env },
      mcp: delegate?.mcp,
    },
    totalTimeoutMs: settings.attemptTimeoutMs,
    idleTimeoutMs: settings.idleTimeoutMs,
    signal: input.signal,
    logPath: attempt.logPath,
    sandbox: { ...sandbox, readOnlyPaths: delegate?.readOnlyPaths },
    redact: makeRedactor(secretValues({ ...process.env, ...scope.agentEnv, ...input.credential.env })),
    onSpawn: (pid) => store.attempts.markRunning(attempt.id, pid, processStartTime(pid)),
    onEvent: (event) => {
      meter.observe(event);
      const summary = activitySummary(event);
      if (summary) store.events.append({ runId: scope.runId, attemptId: attempt.id, type: 'attempt.activity', data: summary });
      recordToolEscapes(store, scope.runId, attempt, event);
    },
  }).finally(() => delegate?.close());
  meter.flush();
  return run;
}

function activitySummary(event: AgentEvent): Record<string, unknown> | undefined {
  switch (event.kind) {
    case 'tool_use':
      return { kind: 'tool', tool: event.tool, summary: event.summary.slice(0, 300) };
    case 'text':
      return { kind: 'text', text: event.text.slice(0, 300) };
    case 'retry':
      return { kind: 'retry', attempt: event.attempt, delayMs: event.delayMs, status: event.status };
    case 'result':
      return { kind: 'result', isError: event.isError, turns: event.turns, costUsd: event.costUsd };
    default:
      return undefined;
  }
}
