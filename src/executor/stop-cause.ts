// Why an invocation or an attempt ended, with the words a user reads: decided here and nowhere else. orch's own
// stops win over the agent's say, and among orch's stops the first one wins — `supervise` keeps the first cause
// that stopped the process, and the coordinator's signal keeps the first reason it was aborted with.
import type { AgentRun } from '../agents/run-agent.ts';
import type { AttemptReason } from '../domain/outcome.ts';
import { reasonForClassification } from '../domain/outcome.ts';
import { isStopRequest } from './contract.ts';

export interface Ending {
  reason: AttemptReason;
  detail: string | null;
  /** Stopped by the run's time limit: the attempt is left interrupted, so a resume takes it up again. */
  resumable?: boolean;
}

/** The coordinator's stop, from the reason its signal was aborted with (anything else: orch is stopping). */
export function coordinatorStop(signal: AbortSignal): Ending {
  const request: unknown = signal.reason;
  if (isStopRequest(request)) return { reason: request.cause, detail: request.detail, ...(request.cause === 'timed_out' ? { resumable: true } : {}) };
  return { reason: 'interrupted', detail: 'orch was interrupted' };
}

/** How one invocation ended. */
export function invocationEnding(run: AgentRun, signal: AbortSignal): Ending {
  const result = run.process;
  if (result.spawnError) return { reason: 'spawn_failed', detail: result.spawnError.message };
  switch (result.stoppedBy) {
    case 'abort':
      return coordinatorStop(signal);
    case 'idle':
      return { reason: 'stuck', detail: 'no output from the agent within the idle limit' };
    case 'timeout':
      return { reason: 'timed_out', detail: 'the attempt ran past its total time limit' };
    case undefined:
      break;
  }
  const reason = reasonForClassification(run.classification);
  if (reason === 'completed') return { reason, detail: null };
  if (reason === 'budget') return { reason, detail: 'stopped: the budget was used up' };
  const final = run.result;
  if (final !== undefined) return { reason, detail: (final.errors.join('; ') || final.text || final.subtype).slice(0, 500) };
  return { reason, detail: `the agent exited with ${result.exitCode ?? result.signal ?? 'no status'}` };
}

export const noChanges: Ending = { reason: 'no_changes', detail: 'the agent finished without changing any file' };
