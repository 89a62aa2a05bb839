// The dashboard's state holder: events go in as fast as they come; the view samples it at its own pace.
import type { OrchEvent } from '../domain/records.ts';
import { reduce, reduceAll } from './reducer.ts';
import { initialState, type DashboardState } from './state.ts';

export class DashboardModel {
  state: DashboardState;
  /** A line from orch itself rather than the run (e.g. that Ctrl+C is stopping the agents). */
  notice: string | null = null;
  /** Bumped on every change: the view re-renders only when it moved. */
  version = 0;

  constructor(state: DashboardState = initialState) {
    this.state = state;
  }

  apply(event: OrchEvent): void {
    this.set(reduce(this.state, event));
  }

  applyAll(events: readonly OrchEvent[]): void {
    if (events.length > 0) this.set(reduceAll(this.state, events));
  }

  /** Replace the state wholesale (a replay of the run's history). */
  reset(state: DashboardState): void {
    this.set(state);
  }

  setBudget(usd: number | null): void {
    this.set({ ...this.state, budgetUsd: usd });
  }

  setNotice(text: string | null): void {
    this.notice = text;
    this.version++;
  }

  private set(next: DashboardState): void {
    if (next === this.state) return;
    this.state = next;
    this.version++;
  }
}
