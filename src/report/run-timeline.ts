// The timeline of a stored run: its whole event log and its agent limit, read from the store.
import type { OrchEvent } from '../domain/records.ts';
import type { RunTimeline } from '../domain/timeline.ts';
import type { Store } from '../store/store.ts';
import { computeTimeline, eventsOfTasks } from './timeline.ts';

export function runEvents(store: Store, runId: string): OrchEvent[] {
  const events: OrchEvent[] = [];
  for (let after = 0; ; ) {
    const page = store.events.since(runId, after, 5000);
    events.push(...page);
    if (page.length < 5000) return events;
    after = page.at(-1)!.seq;
  }
}

export function runTimeline(store: Store, runId: string): RunTimeline {
  const settings = store.runs.settings(runId);
  const agentLimit = typeof settings.maxAgents === 'number' ? settings.maxAgents : null;
  // A run still going: its open phases (an agent at work) are drawn up to now.
  const live = store.runs.get(runId).status === 'running';
  return computeTimeline({ runId, events: runEvents(store, runId), agentLimit, ...(live ? { now: new Date() } : {}) });
}

/** The timeline of some tasks of a plan run (a level's): its analytics are theirs alone. */
export function tasksTimeline(store: Store, runId: string, taskKeys: readonly string[]): RunTimeline {
  const settings = store.runs.settings(runId);
  const agentLimit = typeof settings.maxAgents === 'number' ? settings.maxAgents : null;
  return computeTimeline({ runId, events: eventsOfTasks(runEvents(store, runId), taskKeys), agentLimit });
}
