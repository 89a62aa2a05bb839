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
  failed: ['running'], // resume may retry a failed run
  canceled: [],
};

const attemptTransitions: Record<AttemptStatus, readonly AttemptStatus[]> = {
  queued: ['running', 'canceled', 'interrupted'],
  running: ['succeeded', 'failed', 'interrupted', 'canceled'],
  succeeded: [],
  failed: [],
  interrupted: ['running', 'failed', 'canceled'],
  canceled: [],
};

export function canTransitionRun(from: RunStatus, to: RunStatus): boolean {
  return runTransitions[from].includes(to);
}

export function canTransitionAttempt(from: AttemptStatus, to: AttemptStatus): boolean {
  return attemptTransitions[from].includes(to);
}
