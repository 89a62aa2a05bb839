// Cycles of portfolio projects: each one is a run (strategy `cycle`); this table adds the project's name, the
// budget reserved before it started, and whether its results have been written back into the backlog.
import type { Cycle } from '../domain/backlog.ts';
import { nowIso, type StoreCore } from './database.ts';

interface Row {
  run_id: string;
  project: string;
  reserved_usd: number;
  started_at: string;
  settled_at: string | null;
  summary: string | null;
  plan_path: string | null;
}

const toCycle = (row: Row): Cycle => ({
  runId: row.run_id,
  project: row.project,
  reservedUsd: row.reserved_usd,
  startedAt: row.started_at,
  settledAt: row.settled_at,
  summary: row.summary,
  planPath: row.plan_path,
});

export class CyclesRepo {
  constructor(private readonly core: StoreCore) {}

  record(runId: string, project: string, reservedUsd: number): Cycle {
    return this.core.tx(() => {
      this.core.prepare('INSERT INTO cycles (run_id, project, reserved_usd, started_at) VALUES (?, ?, ?, ?)').run(runId, project, reservedUsd, nowIso());
      this.core.appendEvent({ runId, type: 'cycle.started', data: { project, reservedUsd } });
      return this.get(runId);
    });
  }

  get(runId: string): Cycle {
    const row = this.core.prepare('SELECT * FROM cycles WHERE run_id = ?').get(runId) as Row;
    return toCycle(row);
  }

  find(runId: string): Cycle | undefined {
    const row = this.core.prepare('SELECT * FROM cycles WHERE run_id = ?').get(runId) as Row | undefined;
    return row === undefined ? undefined : toCycle(row);
  }

  /** A project's cycles, newest first. */
  list(project: string, limit = 50): Cycle[] {
    return (this.core.prepare('SELECT * FROM cycles WHERE project = ? ORDER BY started_at DESC, rowid DESC LIMIT ?').all(project, limit) as Row[]).map(toCycle);
  }

  /** Cycles whose end has not been written back yet (running, or left by a daemon that died). */
  unsettled(): Cycle[] {
    return (this.core.prepare('SELECT * FROM cycles WHERE settled_at IS NULL ORDER BY started_at').all() as Row[]).map(toCycle);
  }

  settle(runId: string, summary: string, planPath: string | null): Cycle {
    return this.core.tx(() => {
      this.core.prepare('UPDATE cycles SET settled_at = ?, summary = ?, plan_path = ? WHERE run_id = ? AND settled_at IS NULL').run(nowIso(), summary, planPath, runId);
      this.core.appendEvent({ runId, type: 'cycle.settled', data: { summary } });
      return this.get(runId);
    });
  }
}
