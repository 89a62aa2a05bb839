// One attempt, start to end: worktree and branch; the agent under supervision, retried for passing failures
// and rotated across credentials on rate limits; then whatever it left committed on its branch and measured.
import { setTimeout as sleep } from 'node:timers/promises';
import type { AgentRun } from '../agents/run-agent.ts';
import type { CredentialPool, Lease } from '../agents/credentials.ts';
import { CanceledError } from '../domain/errors.ts';
import type { AttemptReason } from '../domain/outcome.ts';
import { reasonForClassification } from '../domain/outcome.ts';
import type { Attempt } from '../domain/records.ts';
import { addWorktree, commitAll, diffStat, headSha } from '../git/index.ts';
import type { ProcessResult } from '../process/supervise.ts';
import type { AttemptEnd } from '../store/store.ts';
import { examineAttempt, guardGitControl } from './attempt-security.ts';
import type { RunScope } from './deps.ts';
import { invokeAgent } from './invocation.ts';
import { renderPrompt } from './prompt.ts';
import { nextStep, type RetryCounts } from './retry-policy.ts';

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

/** Why an invocation ended, in orch's words; orch's own limits take precedence over the agent's say. */
function endReason(result: ProcessResult, agentReason: AttemptReason, budgetStopped: boolean, runCanceled: boolean): AttemptReason {
  if (result.spawnError) return 'spawn_failed';
  if (budgetStopped) return 'budget';
  if (result.canceled) return runCanceled ? 'canceled' : 'interrupted';
  if (result.idledOut) return 'stuck';
  if (result.timedOut) return 'timed_out';
  return agentReason;
}

/** How long a rate-limited credential should rest, if the agent said (a retry delay, or "retry after N s"). */
function retryAfterMs(run: AgentRun): number | undefined {
  const retry = run.events.findLast((event) => event.kind === 'retry');
  if (retry?.kind === 'retry' && retry.delayMs > 0) return retry.delayMs;
  const text = run.result ? [run.result.text, ...run.result.errors].join(' ') : '';
  const seconds = /retry[- ]after\D{0,5}(\d+)/i.exec(text)?.[1];
  return seconds === undefined ? undefined : Number(seconds) * 1000;
}

/** Rate-limit waits of one attempt, summed over all its retries: the limit is on the total, not per wait. */
interface Waited {
  coolingMs: number;
}

/** A credential that may be used now. Waiting while all are rate-limited counts against the attempt's limit;
 * waiting for a slot under a credential's concurrency cap does not (that is a queue, not a failure). */
async function acquire(pool: CredentialPool, signal: AbortSignal, maxWaitMs: number, waited: Waited): Promise<Lease | undefined> {
  for (;;) {
    const got = pool.tryAcquire();
    if ('credential' in got) return got;
    if (got.cooling && waited.coolingMs + got.waitMs > maxWaitMs) return undefined;
    await sleep(got.waitMs, undefined, { signal }).catch(() => undefined);
    if (signal.aborted) return undefined;
    if (got.cooling) waited.coolingMs += got.waitMs;
  }
}

/** Rate limits one attempt tries its way through before it fails `rate_limited`, however the keys rotate. */
const maxRateLimitRetries = 20;

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

  // The repository's git config, hooks and info are put back after the attempt, whatever it did to them.
  const endGuard = await guardGitControl(scope, attempt);
  let gitChanges: Awaited<ReturnType<typeof endGuard>>;

  // The attempt stops with the run (Ctrl+C, cancel) or alone when it passes a budget.
  const controller = new AbortController();
  const stopWithRun = () => controller.abort();
  scope.signal.addEventListener('abort', stopWithRun, { once: true });
  if (scope.signal.aborted) controller.abort();
  let budgetStopped = false;
  const stopForBudget = () => {
    budgetStopped = true;
    controller.abort();
  };
  scope.budget.track(attempt.id, stopForBudget, attempt.costUsd);

  const pool = deps.credentials.pool(attempt.agent);
  const counts: RetryCounts = { transient: 0, stuck: 0 };
  const waited: Waited = { coolingMs: 0 };
  let rateLimits = 0;
  let prompt = input.prompt;
  let resumeSessionId = input.resumeSessionId;
  let last: AgentRun | undefined;
  // Every way out of the loop below sets both.
  let reason: AttemptReason;
  let detail: string | null;
  try {
    for (let invocation = 0; ; invocation++) {
      // A retry is a new agent call: not once the run has spent its budget.
      if (invocation > 0 && scope.budget.exhausted()) {
        reason = 'budget';
        detail = "the run's budget is used up; the attempt was not retried";
        break;
      }
      const lease = await acquire(pool, controller.signal, settings.retries.maxRateLimitWaitMs, waited);
      if (lease === undefined) {
        reason = controller.signal.aborted ? (budgetStopped ? 'budget' : scope.signal.reason instanceof CanceledError ? 'canceled' : 'interrupted') : 'rate_limited';
        detail = reason === 'rate_limited' ? `every ${attempt.agent} credential is rate-limited for longer than the wait limit` : null;
        break;
      }
      if (pool.credentials.length > 1) {
        store.events.append({ runId: scope.runId, attemptId: attempt.id, type: 'attempt.credential', data: { credential: lease.credential.name } });
      }
      log.info({ credential: lease.credential.name, resume: resumeSessionId !== undefined }, 'agent starting');
      try {
        last = await invokeAgent(scope, { attempt, prompt, resumeSessionId, credential: lease.credential, signal: controller.signal, onBudgetExceeded: stopForBudget });
      } finally {
        lease.release();
      }
      reason = endReason(last.process, reasonForClassification(last.classification), budgetStopped, scope.signal.reason instanceof CanceledError);
      detail = null;
      if (reason === 'rate_limited') {
        rateLimits++;
        const restMs = retryAfterMs(last) ?? settings.retries.cooldownMs;
        pool.coolDown(lease.credential.name, restMs);
        store.events.append({ runId: scope.runId, attemptId: attempt.id, type: 'credential.cooldown', data: { agent: attempt.agent, credential: lease.credential.name, forMs: restMs } });
      }
      const step = nextStep(reason, counts, settings.retries);
      if (step.kind === 'finish') break;
      if (reason === 'rate_limited' && rateLimits >= maxRateLimitRetries) {
        detail = `rate-limited ${rateLimits} times in a row`;
        break;
      }
      if (reason === 'transient') counts.transient++;
      if (reason === 'stuck') counts.stuck++;
      store.events.append({ runId: scope.runId, attemptId: attempt.id, type: 'attempt.retry', data: { reason, delayMs: step.delayMs, afterCredential: lease.credential.name } });
      if (step.delayMs > 0) await sleep(step.delayMs, undefined, { signal: controller.signal }).catch(() => undefined);
      if (controller.signal.aborted) {
        reason = budgetStopped ? 'budget' : scope.signal.reason instanceof CanceledError ? 'canceled' : 'interrupted';
        break;
      }
      // Go on where the agent stopped: its own session where it has one (the worktree keeps its files anyway).
      const sessionId = store.attempts.get(attempt.id).sessionId;
      if (adapter.supportsResume && sessionId !== null) {
        resumeSessionId = sessionId;
        prompt = renderPrompt('continue', { goal: scope.goal });
      }
    }
  } finally {
    scope.signal.removeEventListener('abort', stopWithRun);
    scope.budget.untrack(attempt.id);
    gitChanges = await endGuard();
  }

  if (store.attempts.get(attempt.id).status !== 'running') store.attempts.markRunning(attempt.id, null);
  // Whatever the agent left, even on failure, is kept on its branch: nothing finished is lost.
  const committed = await commitAll(attempt.worktree, `orch: ${scope.goal.split('\n')[0]?.slice(0, 72) ?? 'attempt'}\n\nrun ${scope.runId}, attempt ${attempt.id}`);
  const head = committed ?? (await headSha(attempt.worktree));
  const diff = await diffStat(repo, attempt.baseSha, head);
  if (reason === 'completed' && diff.filesChanged === 0) reason = 'no_changes';

  const end: AttemptEnd = {
    status: reason === 'completed' ? 'succeeded' : reason === 'interrupted' ? 'interrupted' : reason === 'canceled' ? 'canceled' : 'failed',
    reason,
    detail: detail ?? failureDetail(last, reason),
    headSha: head,
    diff,
    security: await examineAttempt(scope, attempt, head, gitChanges),
  };
  log.info({ status: end.status, reason }, 'attempt finished');
  return store.attempts.finish(attempt.id, end);
}

function failureDetail(run: AgentRun | undefined, reason: AttemptReason): string | null {
  if (reason === 'completed') return null;
  if (run === undefined) return null;
  const result = run.process;
  if (result.spawnError) return result.spawnError.message;
  if (reason === 'budget') return 'stopped: the budget was used up';
  if (result.idledOut) return 'no output from the agent within the idle limit';
  if (result.timedOut) return 'the attempt ran past its total time limit';
  if (result.canceled) return 'orch was interrupted';
  if (reason === 'no_changes') return 'the agent finished without changing any file';
  const final = run.result;
  if (final !== undefined) return (final.errors.join('; ') || final.text || final.subtype).slice(0, 500);
  return `the agent exited with ${result.exitCode ?? result.signal ?? 'no status'}`;
}
