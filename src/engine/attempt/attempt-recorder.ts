// The coordinator's side of a running attempt: what the executor reports is recorded here — in the store, the
// event log, the attempt's log file and the run's budget — and here the coordinator decides to stop it (the run
// canceled or interrupted, a budget passed) by aborting the signal the executor holds. The first stop wins.
import { openOutputLog, type OutputLog } from '../../agents/output-log.ts';
import { CanceledError, RunTimeLimitError } from '../../domain/errors.ts';
import type { Attempt } from '../../domain/records.ts';
import { canTransitionAttempt } from '../../domain/status.ts';
import type { AttemptEvent, AttemptResult, AttemptSink, StopRequest, Usage } from '../../executor/contract.ts';
import { examineAttempt } from './attempt-security.ts';
import type { AttemptScope } from '../core/deps.ts';

const budgetStop: StopRequest = { cause: 'budget', detail: 'stopped: the budget was used up' };
const budgetShed: StopRequest = { cause: 'budget', detail: "stopped: the run's budget had room left for the attempts started before this one only" };
const noRetryForBudget: StopRequest = { cause: 'budget', detail: "the run's budget is used up; the attempt was not retried" };

export class AttemptRecorder implements AttemptSink {
  private readonly control = new AbortController();
  private log: OutputLog | undefined;
  private usage: Usage;
  private running: boolean;
  private readonly stopWithRun = () => {
    const reason: unknown = this.scope.signal.reason;
    if (reason instanceof RunTimeLimitError) return this.stop({ cause: 'timed_out', detail: `stopped: ${reason.message.replace(/^timed_out: /, '')}` });
    const canceled = reason instanceof CanceledError;
    this.stop(canceled ? { cause: 'canceled', detail: 'the run was canceled' } : { cause: 'interrupted', detail: 'orch was interrupted' });
  };

  constructor(
    private readonly scope: AttemptScope,
    private readonly attempt: Attempt,
  ) {
    this.usage = { turns: attempt.turns, inputTokens: attempt.inputTokens, outputTokens: attempt.outputTokens, costUsd: attempt.costUsd };
    this.running = attempt.status === 'running';
    scope.signal.addEventListener('abort', this.stopWithRun, { once: true });
    if (scope.signal.aborted) this.stopWithRun();
    scope.budget.track(attempt.id, (why) => this.stop(why === 'shed' ? budgetShed : budgetStop), attempt.costUsd, attempt.turns);
  }

  /** The executor's stop. */
  get signal(): AbortSignal {
    return this.control.signal;
  }

  emit(event: AttemptEvent): void {
    const { store } = this.scope.deps;
    const at = { runId: this.scope.runId, attemptId: this.attempt.id };
    switch (event.type) {
      case 'worktree':
        store.events.append({ ...at, type: 'attempt.worktree', data: { path: event.path, branch: event.branch } });
        return;
      case 'credential':
        store.events.append({ ...at, type: 'attempt.credential', data: { credential: event.credential } });
        return;
      case 'cooldown':
        store.events.append({ ...at, type: 'credential.cooldown', data: { agent: this.attempt.agent, credential: event.credential, forMs: event.forMs } });
        return;
      case 'credential_wait':
        store.events.append({ ...at, type: 'attempt.credential_wait', data: { forMs: event.forMs } });
        return;
      case 'spawned':
        store.attempts.markRunning(this.attempt.id, event.pid, event.pidStart);
        this.running = true;
        return;
      case 'session':
        store.attempts.recordUsage(this.attempt.id, { ...this.usage, sessionId: event.sessionId });
        return;
      case 'usage':
        this.usage = event.usage;
        store.attempts.recordUsage(this.attempt.id, { ...event.usage, live: event.live });
        // Agents that do not enforce a budget themselves are held to it here; past the run's budget every running
        // attempt is stopped by the budget itself (this one included).
        if (this.scope.budget.report(this.attempt.id, event.usage.costUsd, event.usage.turns)) this.stop(budgetStop);
        return;
      case 'activity':
        store.events.append({ ...at, type: 'attempt.activity', data: event.data });
        return;
      case 'output':
        // Opened at the first line: an attempt stopped before its agent started has no log.
        this.log ??= openOutputLog(this.attempt.logPath);
        this.log.write(event.stream, event.line, event.t);
        return;
      case 'retry':
        store.events.append({ ...at, type: 'attempt.retry', data: { reason: event.reason, delayMs: event.delayMs, afterCredential: event.afterCredential } });
        // A retry is a new agent call: not once the run has spent its budget.
        if (this.scope.budget.exhausted()) this.stop(noRetryForBudget);
        return;
      case 'tampered':
        store.events.append({ ...at, type: 'attempt.tampered', data: { changes: event.changes, restored: true, alongside: event.alongside } });
        return;
      case 'worker':
        store.events.append({ ...at, type: 'attempt.worker', data: { worker: event.worker, host: event.host, delivery: event.delivery } });
        return;
      case 'escape':
        store.events.append({ ...at, type: 'attempt.escape', data: { tool: event.tool, path: event.path } });
        return;
      case 'resources':
        store.events.append({ ...at, type: 'attempt.resources', data: { rssBytes: event.rssBytes, cpuPercent: event.cpuPercent, processes: event.processes } });
        return;
    }
  }

  /** Record the executor's result: the attempt ends in the store (its log complete first, its change examined). */
  async finish(result: AttemptResult): Promise<Attempt> {
    await this.close();
    const { store } = this.scope.deps;
    // No agent process was ever spawned: the attempt goes to its end without an `attempt.started` (which would say
    // an agent ran), unless its status cannot lead there directly.
    if (!this.running && !canTransitionAttempt(store.attempts.get(this.attempt.id).status, result.status)) store.attempts.markRunning(this.attempt.id, null);
    // orch's own look at the change (symlinks out of the tree, secrets it knows), with what the executor's guard found.
    const security = await examineAttempt(this.scope, this.attempt, result.headSha, result.gitChanges);
    return store.attempts.finish(this.attempt.id, { status: result.status, reason: result.reason, detail: result.detail, headSha: result.headSha, diff: result.diff, security });
  }

  /** Stop listening to the run and the budget; the log is flushed. Safe to call more than once. */
  async close(): Promise<void> {
    this.scope.signal.removeEventListener('abort', this.stopWithRun);
    this.scope.budget.untrack(this.attempt.id);
    await this.log?.close();
  }

  /** The first stop wins: AbortController keeps the first reason, later aborts are ignored. */
  private stop(request: StopRequest): void {
    this.control.abort(request);
  }
}
