// One attempt, start to end: worktree and branch, the agent under supervision, its output parsed into live
// usage and events, then whatever it left committed on its branch and measured.
import type { AgentEvent } from '../domain/agent-events.ts';
import type { AttemptReason } from '../domain/outcome.ts';
import { reasonForClassification } from '../domain/outcome.ts';
import type { Attempt } from '../domain/records.ts';
import { commitAll, headSha } from '../git/index.ts';
import { diffStat } from '../git/index.ts';
import { addWorktree } from '../git/index.ts';
import { runAgent } from '../agents/run-agent.ts';
import type { ProcessResult } from '../process/supervise.ts';
import type { AttemptEnd } from '../store/store.ts';
import type { RunScope } from './deps.ts';
import { UsageMeter } from './usage-meter.ts';

export interface AttemptInput {
  attempt: Attempt;
  prompt: string;
  resumeSessionId?: string | undefined;
}

/** Why a finished process ended, in orch's words; orch's own limits take precedence over the agent's say. */
function endReason(result: ProcessResult, agentReason: AttemptReason): AttemptReason {
  if (result.spawnError) return 'spawn_failed';
  if (result.canceled) return 'interrupted';
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

  await addWorktree(repo, { path: attempt.worktree, branch: attempt.branch, startSha: attempt.baseSha });
  store.events.append({ runId: scope.runId, attemptId: attempt.id, type: 'attempt.worktree', data: { path: attempt.worktree, branch: attempt.branch } });

  const meter = new UsageMeter((usage) => store.attempts.recordUsage(attempt.id, usage));
  log.info({ agent: attempt.agent }, 'attempt starting');
  const agentRun = await runAgent({
    adapter,
    spec: {
      prompt: input.prompt,
      cwd: attempt.worktree,
      model: attempt.model ?? undefined,
      maxTurns: attempt.agent === 'claude' ? deps.config.agents.claude.maxTurns : undefined,
      resumeSessionId: input.resumeSessionId,
      stateDir: deps.paths.agentState(attempt.agent),
      env: settings.agentEnv,
    },
    totalTimeoutMs: settings.attemptTimeoutMs,
    idleTimeoutMs: settings.idleTimeoutMs,
    signal: scope.signal,
    logPath: attempt.logPath,
    onSpawn: (pid) => store.attempts.markRunning(attempt.id, pid),
    onEvent: (event) => {
      meter.observe(event);
      const summary = activitySummary(event);
      if (summary) store.events.append({ runId: scope.runId, attemptId: attempt.id, type: 'attempt.activity', data: summary });
    },
  });
  meter.flush();
  const result = agentRun.process;
  const events = agentRun.events;

  if (result.spawnError && store.attempts.get(attempt.id).status === 'queued') store.attempts.markRunning(attempt.id, null);
  let reason = endReason(result, reasonForClassification(agentRun.classification));

  // Whatever the agent left, even on failure, is kept on its branch: nothing finished is lost.
  const committed = await commitAll(attempt.worktree, `orch: attempt ${attempt.id}\n\n${scope.goal.slice(0, 2000)}`);
  const head = committed ?? (await headSha(attempt.worktree));
  const diff = await diffStat(repo, attempt.baseSha, head);
  if (reason === 'completed' && diff.filesChanged === 0) reason = 'no_changes';

  const end: AttemptEnd = {
    status: reason === 'completed' ? 'succeeded' : reason === 'interrupted' ? 'interrupted' : 'failed',
    reason,
    detail: failureDetail(result, events, reason),
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
  if (result.idledOut) return 'no output from the agent within the idle limit';
  if (result.timedOut) return 'the attempt ran past its total time limit';
  if (result.canceled) return 'orch was interrupted';
  if (reason === 'no_changes') return 'the agent finished without changing any file';
  const final = [...events].reverse().find((event) => event.kind === 'result');
  if (final?.kind === 'result') return (final.errors.join('; ') || final.text || final.subtype).slice(0, 500);
  return `the agent exited with ${result.exitCode ?? result.signal ?? 'no status'}`;
}
