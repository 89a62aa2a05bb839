// Lifecycles as string unions with their transitions written down, stored as such in SQLite.

export const runStatuses = ['queued', 'running', 'paused', 'interrupted', 'succeeded', 'failed', 'canceled'] as const;
export type RunStatus = (typeof runStatuses)[number];

export const attemptStatuses = ['queued', 'running', 'succeeded', 'failed', 'interrupted', 'canceled'] as const;
export type AttemptStatus = (typeof attemptStatuses)[number];

const runTransitions: Record<RunStatus, readonly RunStatus[]> = {
  queued: ['running', 'canceled'],
  running: ['paused', 'interrupted', 'succeeded', 'failed', 'canceled'],
  paused: ['running', 'canceled'],
  interrupted: ['running', 'canceled'],
  succeeded: [],
  // A resume may retry a failed run; a cancel closes it for good (no resume, its worktrees go).
  failed: ['running', 'canceled'],
  canceled: [],
};

const attemptTransitions: Record<AttemptStatus, readonly AttemptStatus[]> = {
  // queued -> failed: an attempt that never started an agent (the run's budget was used up, its worktree failed).
  queued: ['running', 'failed', 'canceled', 'interrupted'],
  running: ['succeeded', 'failed', 'interrupted', 'canceled'],
  succeeded: [],
  failed: [],
  interrupted: ['running', 'failed', 'canceled'],
  canceled: [],
};

/** Nobody works on the run now: it has ended, for good or (interrupted, failed) until a resume. */
export function isRunOver(status: RunStatus): boolean {
  return status === 'succeeded' || status === 'failed' || status === 'canceled' || status === 'interrupted';
}

/** Ended for good: nothing can be resumed or canceled any more. */
export function isRunFinal(status: RunStatus): boolean {
  return status === 'succeeded' || status === 'canceled';
}

/**
 * The run stopped before it was done and a resume takes it up. (A run still marked running whose orch died is
 * resumable too, but that is a fact of its lease, not of its status: the engine decides it, see engine/run/lease.ts.)
 */
export function canResumeRun(status: RunStatus): boolean {
  return status === 'interrupted' || status === 'failed';
}

/** Cancel stops a run that works, or closes one that could still be resumed. */
export function canCancelRun(status: RunStatus): boolean {
  return !isRunFinal(status);
}

export function canTransitionRun(from: RunStatus, to: RunStatus): boolean {
  return runTransitions[from].includes(to);
}

export function canTransitionAttempt(from: AttemptStatus, to: AttemptStatus): boolean {
  return attemptTransitions[from].includes(to);
}
