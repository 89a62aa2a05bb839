// Where the dashboard's events come from: the run's history in the store, the in-process event bus while
// `orch run` works, and the database itself (read when another process's commit rings the store's change
// signal) when `orch watch` follows a run another process owns.
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

export interface Feed {
  stop(): void;
}

/**
 * Follow the run this process is executing through the event bus. A resumed run's first events are not its
 * first: its history is replayed from the store when they arrive. Tokens and cost come as `attempt.usage`
 * events like everything else, so nothing here polls.
 */
export function followInProcess(store: Store, model: DashboardModel, onRunKnown?: (runId: string) => void): Feed {
  const unsubscribe = store.events.subscribe((event) => {
    if (model.state.runId === null && event.runId !== null) {
      model.reset(event.type === 'run.started' ? { ...model.state, budgetUsd: runBudget(store, event.runId) } : loadRun(store, event.runId, event.seq - 1));
      onRunKnown?.(event.runId);
    }
    model.apply(event);
  });
  return { stop: unsubscribe };
}

/**
 * Follow a run another process writes: the event log after the last seen seq is read each time the store's
 * change signal rings (another process committed; milliseconds after the write, see store/change-signal.ts),
 * never on a timer. `onRead` runs after each read; `onTick` every `tickMs`, since a dead owner writes nothing
 * and only time tells that its lease ran out.
 */
export function followExternal(store: Store, model: DashboardModel, options: { tickMs: number; onRead: () => void; onTick: () => void }): Feed {
  const runId = model.state.runId;
  if (runId === null) throw new Error('followExternal needs a loaded run');
  const read = () => {
    model.applyAll(eventsSince(store, runId, model.state.lastSeq));
    options.onRead();
  };
  const unwatch = store.externalChanges.subscribe(read);
  const timer = setInterval(options.onTick, options.tickMs);
  timer.unref();
  // What was committed between loading the run and subscribing rang no bell.
  read();
  return {
    stop() {
      clearInterval(timer);
      unwatch();
    },
  };
}
