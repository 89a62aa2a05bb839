// The backlog of each portfolio project: tasks that outlive runs, deduplicated by (source, source id).
import { canMoveBacklogTask, type BacklogStatus, type BacklogTask, type BacklogTaskType } from '../domain/backlog.ts';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import { fromJson, nowIso, toJson, type StoreCore } from './database.ts';

interface Row {
  id: number;
  project: string;
  title: string;
  description: string;
  type: BacklogTaskType;
  priority: number;
  source: string;
  source_id: string | null;
  status: BacklogStatus;
  reason: string | null;
  depends_on_json: string;
  attempts: number;
  cost_usd: number;
  last_run_id: string | null;
  created_at: string;
  updated_at: string;
}

const toTask = (row: Row): BacklogTask => ({
  id: row.id,
  project: row.project,
  title: row.title,
  description: row.description,
  type: row.type,
  priority: row.priority,
  source: row.source,
  sourceId: row.source_id,
  status: row.status,
  reason: row.reason,
  dependsOn: fromJson<number[]>(row.depends_on_json) ?? [],
  attempts: row.attempts,
  costUsd: row.cost_usd,
  lastRunId: row.last_run_id,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** What a new task is made of: the rest (status, counts, times) the store sets. */
export type NewBacklogTask = Pick<BacklogTask, 'project' | 'title' | 'description' | 'type' | 'priority' | 'source' | 'sourceId' | 'dependsOn'>;

export class BacklogRepo {
  constructor(private readonly core: StoreCore) {}

  /** Add a task; one whose (source, source id) is already known is left as it is (an idempotent import). */
  add(task: NewBacklogTask): { task: BacklogTask; created: boolean } {
    return this.core.tx(() => {
      if (task.sourceId !== null) {
        const known = this.core.prepare('SELECT * FROM backlog_tasks WHERE project = ? AND source = ? AND source_id = ?').get(task.project, task.source, task.sourceId) as Row | undefined;
        if (known !== undefined) return { task: toTask(known), created: false };
      }
      const now = nowIso();
      const info = this.core
        .prepare(
          `INSERT INTO backlog_tasks (project, title, description, type, priority, source, source_id, status, depends_on_json, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
        )
        .run(task.project, task.title, task.description, task.type, task.priority, task.source, task.sourceId, toJson(task.dependsOn), now, now);
      const created = this.get(Number(info.lastInsertRowid));
      this.core.appendEvent({ runId: null, type: 'backlog.added', data: { project: task.project, id: created.id, title: created.title, source: task.source } });
      return { task: created, created: true };
    });
  }

  get(id: number): BacklogTask {
    const row = this.core.prepare('SELECT * FROM backlog_tasks WHERE id = ?').get(id) as Row | undefined;
    if (row === undefined) throw new NotFoundError(`There is no backlog task ${id}.`);
    return toTask(row);
  }

  list(project: string, status?: BacklogStatus): BacklogTask[] {
    const rows = (
      status === undefined
        ? this.core.prepare('SELECT * FROM backlog_tasks WHERE project = ? ORDER BY priority, id').all(project)
        : this.core.prepare('SELECT * FROM backlog_tasks WHERE project = ? AND status = ? ORDER BY priority, id').all(project, status)
    ) as Row[];
    return rows.map(toTask);
  }

  counts(project: string): Record<BacklogStatus, number> {
    const counts: Record<BacklogStatus, number> = { pending: 0, running: 0, done: 0, failed: 0, deferred: 0, blocked: 0 };
    for (const row of this.core.prepare('SELECT status, COUNT(*) AS n FROM backlog_tasks WHERE project = ? GROUP BY status').all(project) as { status: BacklogStatus; n: number }[]) counts[row.status] = row.n;
    return counts;
  }

  /** Move a task along its lifecycle (domain/backlog.ts); a move the lifecycle does not allow is a ConflictError. */
  setStatus(id: number, status: BacklogStatus, reason: string | null = null): BacklogTask {
    return this.core.tx(() => {
      const task = this.get(id);
      if (!canMoveBacklogTask(task.status, status)) throw new ConflictError(`Backlog task ${id} is ${task.status}; it cannot become ${status}.`);
      this.core.prepare('UPDATE backlog_tasks SET status = ?, reason = ?, updated_at = ? WHERE id = ?').run(status, reason, nowIso(), id);
      this.core.appendEvent({ runId: null, type: 'backlog.status', data: { project: task.project, id, status, reason } });
      return this.get(id);
    });
  }

  edit(id: number, changes: { title?: string | undefined; description?: string | undefined; type?: BacklogTaskType | undefined; priority?: number | undefined }): BacklogTask {
    return this.core.tx(() => {
      const task = this.get(id);
      this.core
        .prepare('UPDATE backlog_tasks SET title = ?, description = ?, type = ?, priority = ?, updated_at = ? WHERE id = ?')
        .run(changes.title ?? task.title, changes.description ?? task.description, changes.type ?? task.type, changes.priority ?? task.priority, nowIso(), id);
      return this.get(id);
    });
  }

  /** What one cycle did to a task: its result, its cost added, the run linked (attempts and verdicts are the run's). */
  recordCycleResult(id: number, runId: string, taskKey: string, status: BacklogStatus, summary: string, costUsd: number): BacklogTask {
    return this.core.tx(() => {
      const inserted = this.core
        .prepare('INSERT OR IGNORE INTO backlog_runs (task_id, run_id, task_key, status, summary, cost_usd, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(id, runId, taskKey, status, summary, costUsd, nowIso());
      // Settling the same cycle twice (a crash between the two writes) counts it once.
      if (inserted.changes === 0) return this.get(id);
      const task = this.get(id);
      const next = canMoveBacklogTask(task.status, status) ? status : task.status;
      this.core
        .prepare('UPDATE backlog_tasks SET status = ?, reason = ?, attempts = attempts + 1, cost_usd = cost_usd + ?, last_run_id = ?, updated_at = ? WHERE id = ?')
        .run(next, summary.slice(0, 2000), costUsd, runId, nowIso(), id);
      this.core.appendEvent({ runId, type: 'backlog.status', data: { project: task.project, id, status: next, reason: summary.slice(0, 500) } });
      return this.get(id);
    });
  }

  /** Every cycle's result for a task, oldest first. */
  history(id: number): { runId: string; taskKey: string; status: BacklogStatus; summary: string; costUsd: number; createdAt: string }[] {
    return (this.core.prepare('SELECT * FROM backlog_runs WHERE task_id = ? ORDER BY created_at').all(id) as { run_id: string; task_key: string; status: BacklogStatus; summary: string; cost_usd: number; created_at: string }[]).map((r) => ({
      runId: r.run_id,
      taskKey: r.task_key,
      status: r.status,
      summary: r.summary,
      costUsd: r.cost_usd,
      createdAt: r.created_at,
    }));
  }
}
