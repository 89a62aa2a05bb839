// ctx.attempt: one durable attempt. Fresh, continued from an earlier attempt (its session or its branch),
// or — on resume — taken up again after an interruption: through the agent's own session where it has one,
// else restarted in a fresh worktree. A finished attempt is never run twice.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultAgent } from '../../domain/agent-records.ts';
import { newId } from '../../domain/ids.ts';
import type { Attempt } from '../../domain/records.ts';
import type { AttemptRequest } from '../../domain/strategy.ts';
import { attemptBranchName } from '../../git/index.ts';
import { runAttempt, type AttemptInput } from '../attempt/attempt-runner.ts';
import type { RunScope } from '../core/deps.ts';
import { durableStep } from './durable.ts';
import { attemptPrompt, renderPrompt } from '../attempt/prompt.ts';

interface Plan {
  attempt: Attempt;
  input: Omit<AttemptInput, 'attempt'>;
}

function newAttempt(scope: RunScope, key: string, request: AttemptRequest, shared?: { worktree: string; branch: string }): Attempt {
  const { store, paths } = scope.deps;
  const taskKey = request.taskKey ?? scope.taskKey;
  const n = store.attempts.listByRun(scope.runId).filter((a) => a.taskKey === taskKey).length + 1;
  const id = newId('att');
  const choice = scope.settings.agents[0];
  const agent = request.agent ?? choice?.agent ?? defaultAgent;
  return store.attempts.create({
    id,
    runId: scope.runId,
    taskKey,
    stepKey: key,
    n,
    agent,
    model: request.model ?? (request.agent === undefined ? choice?.model : scope.settings.agentModels[agent]) ?? null,
    branch: shared?.branch ?? attemptBranchName({ runId: scope.runId, taskKey, n }),
    worktree: shared?.worktree ?? paths.worktree(scope.projectSlug, id),
    baseSha: scope.baseSha,
    logPath: paths.attemptLog(scope.runId, id),
  });
}

/** What to run for this step: a new attempt, a continuation, or an interrupted attempt taken up again. */
function plan(scope: RunScope, key: string, request: AttemptRequest): Plan | { finished: Attempt } {
  const { store } = scope.deps;
  const earlier = store.attempts.listByRun(scope.runId).filter((a) => a.stepKey === key);
  const last = earlier.at(-1);
  if (last !== undefined && (last.status === 'succeeded' || last.status === 'failed' || last.status === 'canceled')) {
    return { finished: last }; // it ended, but orch died before recording the step: nothing to redo
  }
  // Attempts on other machines outlive this process: the same attempt (the same job) is taken up again, whether its
  // worker is still at it, finished meanwhile, or it waits in the queue — never a second attempt beside it.
  if (last !== undefined && scope.deps.executor.remote === true) {
    return { attempt: last, input: { prompt: attemptPrompt(scope.goal, request.feedback), startSha: request.continueFrom?.headSha ?? undefined } };
  }
  if (last?.status === 'queued' && !existsSync(last.worktree)) {
    return { attempt: last, input: { prompt: attemptPrompt(scope.goal, request.feedback) } }; // it never started
  }
  if (last !== undefined && existsSync(join(last.worktree, '.git'))) {
    // Its worktree holds whatever the agent did (an agent orphaned by a killed orch may have gone on working):
    // the attempt goes on there, in its own session where the agent has one, else in a fresh session told to look
    // at what is already done. Nothing it did is thrown away or redone.
    const adapter = scope.deps.adapterFor(last.agent);
    const ran = last.status !== 'queued';
    const prompt = ran ? renderPrompt('continue', { goal: scope.goal }) : attemptPrompt(scope.goal, request.feedback);
    const resumeSessionId = adapter.supportsResume && last.sessionId !== null ? last.sessionId : undefined;
    return { attempt: last, input: { prompt, resumeSessionId, reuseWorktree: true } };
  }

  const prompt = attemptPrompt(scope.goal, request.feedback);
  const from = request.continueFrom;
  if (from === undefined) return { attempt: newAttempt(scope, key, request), input: { prompt } };
  const agent = request.agent ?? from.agent;
  const sameSession = agent === from.agent && from.sessionId !== null && scope.deps.adapterFor(agent).supportsResume && existsSync(from.worktree);
  if (sameSession) {
    const attempt = newAttempt(scope, key, { ...request, agent, model: request.model ?? from.model ?? undefined }, { worktree: from.worktree, branch: from.branch });
    const feedbackPrompt = renderPrompt('feedback', { goal: scope.goal, feedback: request.feedback ?? '' });
    return { attempt, input: { prompt: feedbackPrompt, resumeSessionId: from.sessionId ?? undefined, reuseWorktree: true } };
  }
  // A new attempt that starts from the earlier one's work, on a branch of its own.
  return { attempt: newAttempt(scope, key, { ...request, agent }), input: { prompt, startSha: from.headSha ?? scope.baseSha } };
}

export function attemptStep(scope: RunScope, key: string, request: AttemptRequest = {}): Promise<Attempt> {
  const { store } = scope.deps;
  return durableStep(
    scope,
    key,
    { ...request, continueFrom: request.continueFrom?.id },
    async () => {
      const planned = plan(scope, key, request);
      if ('finished' in planned) return { value: planned.finished, stored: { attemptId: planned.finished.id } };
      const finished = await scope.deps.limiter.run(async () => {
        // The end of the wait for the agent limit, for the run's timeline.
        store.events.append({ runId: scope.runId, attemptId: planned.attempt.id, type: 'attempt.slot' });
        // Once a slot is free, and once the run's budget has room for it beside the running attempts (see budget.ts):
        // attempts queued behind a spending one must see what it spent.
        if (await scope.budget.admit(planned.attempt.id, planned.attempt.costUsd, scope.signal)) return runAttempt(scope, { attempt: planned.attempt, ...planned.input });
        // Past the run's budget no agent starts; the attempt is recorded so the report shows why.
        return store.attempts.finish(planned.attempt.id, { status: 'failed', reason: 'budget', detail: "the run's budget is used up; this attempt did not start" });
      }, scope.signal);
      scope.audit.attempt(finished);
      if (finished.status === 'interrupted') return { value: finished, unfinished: true };
      return { value: finished, stored: { attemptId: finished.id } };
    },
    (stored) => store.attempts.get(stored.attemptId),
  );
}
