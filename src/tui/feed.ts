// Where the dashboard's events come from: the run's history in the store, the in-process event bus while
// `orch run` works, and the database itself (polled) when `orch watch` follows a run another process owns.
import type { OrchEvent } from '../domain/records.ts';
import type { Store } from '../store/store.ts';
import type { DashboardModel } from './model.ts';
import { reduceAll } from './reducer.ts';
import { initialState, type DashboardState } from './state.ts';

const pageSize = 1000;

/** Every event of the run after `afterSeq` (up to `uptoSeq`), oldest first. */
export function eventsSince(store: Store, runId: string, afterSeq: number, uptoSeq = Number.POSITIVE_INFINITY): OrchEvent[] {
  const events: OrchEvent[] = [];
  let seq = afterSeq;
  for (;;) {
    const page = store.events.since(runId, seq, pageSize).filter((e) => e.seq <= uptoSeq);
    events.push(...page);
    const last = page.at(-1);
    if (page.length < pageSize || last === undefined) return events;
    seq = last.seq;
  }
}

/** The run's budget from the settings it was started with, if it has one. */
export function runBudget(store: Store, runId: string): number | null {
  const budget = store.runs.settings(runId)['budget'] as { runUsd?: unknown } | undefined;
  return typeof budget?.runUsd === 'number' ? budget.runUsd : null;
}

/** The run so far, replayed from its stored events. */
export function loadRun(store: Store, runId: string, uptoSeq?: number): DashboardState {
  const state = reduceAll(initialState, eventsSince(store, runId, 0, uptoSeq));
  return { ...state, runId, budgetUsd: runBudget(store, runId) };
}

/**
 * Tokens live only in the attempts' rows (the store writes usage without an event), so they are read back
 * as `attempt.usage` events: the reducer stays the one place state changes.
 */
export function usageEvents(store: Store, state: DashboardState): OrchEvent[] {
  if (state.runId === null) return [];
  const runId = state.runId;
  const known = new Map(state.attempts.map((a) => [a.id, a]));
  const at = new Date().toISOString();
  return store.attempts.listByRun(runId).flatMap((row) => {
    const view = known.get(row.id);
    if (view === undefined) return [];
    if (view.turns === row.turns && view.inputTokens === row.inputTokens && view.outputTokens === row.outputTokens && view.costUsd === row.costUsd) return [];
    const data = { turns: row.turns, inputTokens: row.inputTokens, outputTokens: row.outputTokens, costUsd: row.costUsd };
    return [{ seq: 0, runId, attemptId: row.id, type: 'attempt.usage', data, at }];
  });
}

export interface Feed {
  stop(): void;
}

const usageIntervalMs = 1000;

/**
 * Follow the run this process is executing through the event bus. A resumed run's first events are not its
 * first: its history is replayed from the store when they arrive.
 */
export function followInProcess(store: Store, model: DashboardModel, onRunKnown?: (runId: string) => void): Feed {
  const unsubscribe = store.events.subscribe((event) => {
    if (model.state.runId === null && event.runId !== null) {
      model.reset(event.type === 'run.started' ? { ...model.state, budgetUsd: runBudget(store, event.runId) } : loadRun(store, event.runId, event.seq - 1));
      onRunKnown?.(event.runId);
    }
    model.apply(event);
  });
  const usage = setInterval(() => model.applyAll(usageEvents(store, model.state)), usageIntervalMs);
  usage.unref();
  return {
    stop() {
      clearInterval(usage);
      unsubscribe();
    },
  };
}

/**
 * Follow a run another process writes: poll the event log after the last seen seq. `onPoll` runs after each
 * poll (to notice the end of the run or a dead owner).
 */
export function followByPolling(store: Store, model: DashboardModel, options: { intervalMs: number; onPoll: () => void }): Feed {
  const runId = model.state.runId;
  if (runId === null) throw new Error('followByPolling needs a loaded run');
  let lastUsage = 0;
  const timer = setInterval(() => {
    model.applyAll(eventsSince(store, runId, model.state.lastSeq));
    if (Date.now() - lastUsage >= usageIntervalMs) {
      lastUsage = Date.now();
      model.applyAll(usageEvents(store, model.state));
    }
    options.onPoll();
  }, options.intervalMs);
  return {
    stop() {
      clearInterval(timer);
    },
  };
}
