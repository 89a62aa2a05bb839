// Project state kept by patrol: consecutive failed runs, and whether the project has paused itself.
import type { ProjectState } from '../domain/records.ts';
import type { StoreCore } from './database.ts';
import { nowIso } from './database.ts';

export type { ProjectState };

interface ProjectRow {
  path: string;
  consecutive_failures: number;
  paused: number;
  paused_reason: string | null;
}

export class ProjectsRepo {
  constructor(private readonly core: StoreCore) {}

  get(path: string): ProjectState {
    const row = this.core.prepare('SELECT * FROM projects WHERE path = ?').get(path) as ProjectRow | undefined;
    return row === undefined
      ? { path, consecutiveFailures: 0, paused: false, pausedReason: null }
      : { path: row.path, consecutiveFailures: row.consecutive_failures, paused: row.paused === 1, pausedReason: row.paused_reason };
  }

  /** Record how a run ended; pause the project when `pauseAfter` runs in a row have failed. */
  recordRunEnd(path: string, failed: boolean, pauseAfter: number): ProjectState {
    return this.core.tx(() => {
      const before = this.get(path);
      const failures = failed ? before.consecutiveFailures + 1 : 0;
      const pause = failed && !before.paused && pauseAfter > 0 && failures >= pauseAfter;
      const reason = pause ? `paused after ${failures} failed runs in a row` : before.pausedReason;
      this.core
        .prepare(
          `INSERT INTO projects (path, consecutive_failures, paused, paused_reason, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (path) DO UPDATE SET consecutive_failures = excluded.consecutive_failures, paused = excluded.paused,
             paused_reason = excluded.paused_reason, updated_at = excluded.updated_at`,
        )
        .run(path, failures, before.paused || pause ? 1 : 0, reason, nowIso());
      if (pause) this.core.appendEvent({ runId: null, type: 'project.paused', data: { path, reason } });
      return this.get(path);
    });
  }

  setPaused(path: string, paused: boolean, reason: string | null): ProjectState {
    return this.core.tx(() => {
      this.core
        .prepare(
          `INSERT INTO projects (path, consecutive_failures, paused, paused_reason, updated_at) VALUES (?, 0, ?, ?, ?)
           ON CONFLICT (path) DO UPDATE SET paused = excluded.paused, paused_reason = excluded.paused_reason,
             consecutive_failures = CASE WHEN excluded.paused = 0 THEN 0 ELSE consecutive_failures END, updated_at = excluded.updated_at`,
        )
        .run(path, paused ? 1 : 0, reason, nowIso());
      this.core.appendEvent({ runId: null, type: paused ? 'project.paused' : 'project.unpaused', data: { path, reason } });
      return this.get(path);
    });
  }
}
