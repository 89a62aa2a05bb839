// One attempt, start to end: worktree and branch, the agent under supervision, its output parsed into live
// usage and events, then whatever it left committed on its branch and measured.
import { runAgent } from '../agents/run-agent.ts';
import type { AgentEvent } from '../domain/agent-events.ts';
import { CanceledError } from '../domain/errors.ts';
import type { AttemptReason } from '../domain/outcome.ts';
import { reasonForClassification } from '../domain/outcome.ts';
import type { Attempt } from '../domain/records.ts';
import { addWorktree, commitAll, diffStat, headSha } from '../git/index.ts';
import { processStartTime } from '../process/registry.ts';
import type { ProcessResult } from '../process/supervise.ts';
import type { AttemptEnd } from '../store/store.ts';
import type { RunScope } from './deps.ts';
import { delegateMcp } from './delegate-config.ts';
import { UsageMeter } from './usage-meter.ts';

export interface AttemptInput {
  attempt: Attempt;
  prompt: string;
  /** Continue this agent session (the worktree must be the one the session ran in). */
  resumeSessionId?: string | undefined;
  /** The worktree exists already (a resumed or continued session): do not create it. */
  reuseWorktree?: boolean | undefined;
  /** Where a new worktree starts; default the attempt's base. Diffs are always measured from the base. */
  startSha?: string | undefined;
}

/** Why a finished process ended, in orch's words; orch's own limits take precedence over the agent's say. */
function endReason(result: ProcessResult, agentReason: AttemptReason, budgetStopped: boolean, runCanceled: boolean): AttemptReason {
  if (result.spawnError) return 'spawn_failed';
  if (budgetStopped) return 'budget';
  if (result.canceled) return runCanceled ? 'canceled' : 'interrupted';
  if (result.idledOut) return 'stuck';
  if (result.timedOut) return 'timed_out';
  return agentReason;
}

export async function runAttempt(scope: RunScope, input: AttemptInput): Promise<Attempt> {
  const { deps, repo, settings } = scope;
  const { store } = deps;
  const attempt = input.attempt;
  const adapter = deps.adapterFor(attempt.agent);
  const log = deps.logger.child({ run: scope.runId, attempt: attempt.id });

  if (input.reuseWorktree !== true) {
    await addWorktree(repo, { path: attempt.worktree, branch: attempt.branch, startSha: input.startSha ?? attempt.baseSha });
    store.events.append({ runId: scope.runId, attemptId: attempt.id, type: 'attempt.worktree', data: { path: attempt.worktree, branch: attempt.branch } });
  }

  // The attempt stops with the run (Ctrl+C) or alone when it passes a budget.
  const controller = new AbortController();
  const stopWithRun = () => controller.abort();
  scope.signal.addEventListener('abort', stopWithRun, { once: true });
  if (scope.signal.aborted) controller.abort();
  let budgetStopped = false;
  scope.budget.track(attempt.id, () => {
    budgetStopped = true;
    controller.abort();
  });

  const meter = new UsageMeter(
    (usage) => {
      store.attempts.recordUsage(attempt.id, usage);
      // Agents that do not enforce a budget themselves are held to it here.
      if (scope.budget.report(attempt.id, usage.costUsd)) budgetStopped = true;
    },
    { turns: attempt.turns, inputTokens: attempt.inputTokens, outputTokens: attempt.outputTokens, costUsd: attempt.costUsd, sessionId: attempt.sessionId },
  );
  log.info({ agent: attempt.agent, resume: input.resumeSessionId !== undefined }, 'attempt starting');
  let agentRun: Awaited<ReturnType<typeof runAgent>>;
  try {
    agentRun = await runAgent({
      adapter,
      spec: {
        prompt: input.prompt,
        cwd: attempt.worktree,
        model: attempt.model ?? undefined,
        maxTurns: settings.maxTurns,
        maxBudgetUsd: settings.budget.attemptUsd,
        resumeSessionId: input.resumeSessionId,
        stateDir: deps.paths.agentState(attempt.agent),
        env: scope.agentEnv,
        mcp: delegateMcp(scope, attempt),
      },
      totalTimeoutMs: settings.attemptTimeoutMs,
      idleTimeoutMs: settings.idleTimeoutMs,
      signal: controller.signal,
      logPath: attempt.logPath,
      onSpawn: (pid) => store.attempts.markRunning(attempt.id, pid, processStartTime(pid)),
      onEvent: (event) => {
        meter.observe(event);
        const summary = activitySummary(event);
        if (summary) store.events.append({ runId: scope.runId, attemptId: attempt.id, type: 'attempt.activity', data: summary });
      },
    });
  } finally {
    scope.signal.removeEventListener('abort', stopWithRun);
    scope.budget.untrack(attempt.id);
  }
  meter.flush();
  const result = agentRun.process;

  if (result.spawnError && store.attempts.get(attempt.id).status !== 'running') store.attempts.markRunning(attempt.id, null);
  let reason = endReason(result, reasonForClassification(agentRun.classification), budgetStopped, scope.signal.reason instanceof CanceledError);

  // Whatever the agent left, even on failure, is kept on its branch: nothing finished is lost.
  const committed = await commitAll(attempt.worktree, `orch: ${scope.goal.split('\n')[0]?.slice(0, 72) ?? 'attempt'}\n\nrun ${scope.runId}, attempt ${attempt.id}`);
  const head = committed ?? (await headSha(attempt.worktree));
  const diff = await diffStat(repo, attempt.baseSha, head);
  if (reason === 'completed' && diff.filesChanged === 0) reason = 'no_changes';

  const end: AttemptEnd = {
    status: reason === 'completed' ? 'succeeded' : reason === 'interrupted' ? 'interrupted' : reason === 'canceled' ? 'canceled' : 'failed',
    reason,
    detail: failureDetail(result, agentRun.events, reason),
    headSha: head,
    diff,
  };
  log.info({ status: end.status, reason, exitCode: result.exitCode }, 'attempt finished');
  return store.attempts.finish(attempt.id, end);
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

function failureDetail(result: ProcessResult, events: readonly AgentEvent[], reason: AttemptReason): string | null {
  if (reason === 'completed') return null;
  if (result.spawnError) return result.spawnError.message;
  if (reason === 'budget') return 'stopped: the budget was used up';
  if (result.idledOut) return 'no output from the agent within the idle limit';
  if (result.timedOut) return 'the attempt ran past its total time limit';
  if (result.canceled) return 'orch was interrupted';
  if (reason === 'no_changes') return 'the agent finished without changing any file';
  const final = events.findLast((event) => event.kind === 'result');
  if (final?.kind === 'result') return (final.errors.join('; ') || final.text || final.subtype).slice(0, 500);
  return `the agent exited with ${result.exitCode ?? result.signal ?? 'no status'}`;
}
