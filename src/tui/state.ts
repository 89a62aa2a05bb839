// What the dashboard knows about one run: built only from the run's events (see reducer.ts).
import type { OrchEvent } from '../domain/records.ts';
import { isRunOver, type AttemptStatus, type RunStatus } from '../domain/status.ts';

/** Lines of activity kept per attempt: enough for any log pane, bounded for 50+ attempts. */
export const logLimit = 200;

export interface AttemptView {
  id: string;
  n: number;
  agent: string;
  model: string | null;
  taskKey: string;
  branch: string;
  status: AttemptStatus;
  reason: string | null;
  detail: string | null;
  turns: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** The cost includes turns orch priced itself while the agent works, before the agent's own total came. */
  costLive: boolean;
  /** Epoch ms, from the events' timestamps. */
  startedAt: number | null;
  finishedAt: number | null;
  diff: { filesChanged: number; insertions: number; deletions: number } | null;
  lastActivity: string | null;
  /** The newest `logLimit` activity lines, oldest first. */
  log: readonly string[];
  verdict: { passed: boolean; score: number | null } | null;
  /** The `orch worker` that has the attempt (queue executor runs); null when it runs here. */
  worker: string | null;
}

export interface DashboardState {
  runId: string | null;
  goal: string;
  strategy: string;
  target: string;
  status: RunStatus | null;
  reason: string | null;
  /** When the run (or its latest resume) began, and when it ended; epoch ms. */
  activeSince: number | null;
  finishedAt: number | null;
  budgetUsd: number | null;
  attempts: readonly AttemptView[];
  /** Reviews, comparisons and plans: cost that belongs to the run but to no attempt. */
  callsCostUsd: number;
  winner: string | null;
  selectionReason: string | null;
  merge: { status: string; message: string; attemptId: string | null } | null;
  /** Attempts whose work was merged: the winner's, or in a plan run each task's (which has no one winner). */
  landed: readonly string[];
  /** The latest run.note. */
  note: string | null;
  /** The events a timeline is drawn from (report/timeline.ts shapesTimeline): a few per attempt, no activity. */
  timelineEvents: readonly OrchEvent[];
  lastSeq: number;
}

export const initialState: DashboardState = {
  runId: null,
  goal: '',
  strategy: '',
  target: '',
  status: null,
  reason: null,
  activeSince: null,
  finishedAt: null,
  budgetUsd: null,
  attempts: [],
  callsCostUsd: 0,
  winner: null,
  selectionReason: null,
  merge: null,
  landed: [],
  note: null,
  timelineEvents: [],
  lastSeq: 0,
};

export const isOver = (state: DashboardState): boolean => state.status !== null && isRunOver(state.status);

export const runCostUsd = (state: DashboardState): number => state.attempts.reduce((sum, a) => sum + a.costUsd, state.callsCostUsd);

/** A run whose attempts work on several tasks (plan): each task has its own result, the run no one winner. */
export const isPlanRun = (state: DashboardState): boolean => state.strategy === 'plan' || new Set(state.attempts.map((a) => a.taskKey)).size > 1;
