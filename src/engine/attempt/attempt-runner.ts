// Running one attempt through the executor: the coordinator describes it (a plain spec), the executor runs it
// wherever it runs, and the recorder keeps what it reports.
import { agentSandbox } from '../core/sandbox-choice.ts';
import type { Attempt } from '../../domain/records.ts';
import type { AttemptSpec } from '../../executor/contract.ts';
import { AttemptRecorder } from './attempt-recorder.ts';
import { delegateMcp } from './delegate-config.ts';
import type { RunScope } from '../core/deps.ts';
import { renderPrompt } from './prompt.ts';

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

export async function runAttempt(scope: RunScope, input: AttemptInput): Promise<Attempt> {
  const recorder = new AttemptRecorder(scope, input.attempt);
  try {
    const result = await scope.deps.executor.runAttempt(attemptSpec(scope, input), recorder, recorder.signal);
    return await recorder.finish(result);
  } finally {
    await recorder.close();
  }
}

/** Everything the executor needs, as plain data. */
export function attemptSpec(scope: RunScope, input: AttemptInput): AttemptSpec {
  const { attempt } = input;
  const { settings } = scope;
  return {
    runId: scope.runId,
    attemptId: attempt.id,
    agent: attempt.agent,
    model: attempt.model,
    repo: { root: scope.repo.root, gitDir: scope.repo.gitDir, commonDir: scope.repo.commonDir },
    worktree: attempt.worktree,
    branch: attempt.branch,
    baseSha: attempt.baseSha,
    startSha: input.startSha ?? attempt.baseSha,
    reuseWorktree: input.reuseWorktree === true,
    prompt: input.prompt,
    resumeSessionId: input.resumeSessionId ?? null,
    copyFiles: settings.copyFiles,
    continuePrompt: renderPrompt('continue', { goal: scope.goal }),
    commitMessage: `orch: ${scope.goal.split('\n')[0]?.slice(0, 72) ?? 'attempt'}\n\nrun ${scope.runId}, attempt ${attempt.id}`,
    before: { turns: attempt.turns, inputTokens: attempt.inputTokens, outputTokens: attempt.outputTokens, costUsd: attempt.costUsd, sessionId: attempt.sessionId },
    limits: {
      maxTurns: settings.maxTurns ?? null,
      attemptUsd: settings.budget.attemptUsd ?? null,
      totalTimeoutMs: settings.attemptTimeoutMs,
      idleTimeoutMs: settings.idleTimeoutMs,
      retries: settings.retries,
    },
    env: scope.agentEnv,
    mcp: delegateMcp(scope, attempt),
    sandbox: agentSandbox(scope, attempt.agent),
  };
}
