// Reading the event log: the one feed for the TUI, the API stream, `orch logs` and the audit trail.
import type { OrchEvent } from '../domain/records.ts';
import type { NewEvent, StoreCore } from './database.ts';

interface EventRow {
  seq: number;
  run_id: string | null;
  attempt_id: string | null;
  type: string;
  data_json: string;
  at: string;
}

const toEvent = (row: EventRow): OrchEvent => ({
  seq: row.seq,
  runId: row.run_id,
  attemptId: row.attempt_id,
  type: row.type,
  data: JSON.parse(row.data_json) as Record<string, unknown>,
  at: row.at,
});

export class EventsRepo {
  constructor(private readonly core: StoreCore) {}

  append(event: NewEvent): OrchEvent {
    return this.core.tx(() => this.core.appendEvent(event));
  }

  /** Events after `afterSeq`, oldest first; of one run, or of all runs when runId is null. */
  since(runId: string | null, afterSeq = 0, limit = 1000): OrchEvent[] {
    const rows = (
      runId === null
        ? this.core.prepare('SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?').all(afterSeq, limit)
        : this.core.prepare('SELECT * FROM events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?').all(runId, afterSeq, limit)
    ) as EventRow[];
    return rows.map(toEvent);
  }

  /** The events of one type of a run, oldest first (few: the worker that took each attempt, say). */
  ofType(runId: string, type: string): OrchEvent[] {
    const rows = this.core.prepare('SELECT * FROM events WHERE run_id = ? AND type = ? ORDER BY seq').all(runId, type) as EventRow[];
    return rows.map(toEvent);
  }

  subscribe(listener: (event: OrchEvent) => void): () => void {
    return this.core.subscribe(listener);
  }
}
