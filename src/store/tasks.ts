// The task graph of a plan run: tasks as the planner proposed them, and where each one stands.
import { newId } from '../domain/ids.ts';
import type { Task, TaskStatus } from '../domain/records.ts';
import { fromJson, nowIso, toJson, type StoreCore } from './database.ts';

interface TaskRow {
  id: string;
  run_id: string;
  parent_id: string | null;
  key: string;
  title: string;
  description: string;
  type: string;
  depends_on_json: string;
  files_json: string;
  acceptance: string;
  large: number;
  depth: number;
  status: TaskStatus;
  reason: string | null;
  branch: string | null;
  created_at: string;
  finished_at: string | null;
}

const toTask = (row: TaskRow): Task => ({
  id: row.id,
  runId: row.run_id,
  parentId: row.parent_id,
  key: row.key,
  title: row.title,
  description: row.description,
  type: row.type,
  dependsOn: fromJson<string[]>(row.depends_on_json) ?? [],
  files: fromJson<string[]>(row.files_json) ?? [],
  acceptance: row.acceptance,
  large: row.large === 1,
  depth: row.depth,
  status: row.status,
  reason: row.reason,
  branch: row.branch,
  createdAt: row.created_at,
  finishedAt: row.finished_at,
});

export type NewTask = Omit<Task, 'id' | 'status' | 'reason' | 'branch' | 'createdAt' | 'finishedAt'>;

export class TasksRepo {
  constructor(private readonly core: StoreCore) {}

  /** Record a planned level of tasks at once; a task already recorded (a resumed run) is kept as it is. */
  addMany(tasks: readonly NewTask[]): Task[] {
    return this.core.tx(() => {
      for (const task of tasks) {
        const info = this.core
          .prepare(
            `INSERT OR IGNORE INTO tasks (id, run_id, parent_id, key, title, description, type, depends_on_json, files_json, acceptance, large, depth, status, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
          )
          .run(newId('tsk'), task.runId, task.parentId, task.key, task.title, task.description, task.type, toJson(task.dependsOn), toJson(task.files), task.acceptance, task.large ? 1 : 0, task.depth, nowIso());
        if (info.changes > 0) {
          this.core.appendEvent({ runId: task.runId, type: 'task.planned', data: { key: task.key, title: task.title, dependsOn: task.dependsOn, depth: task.depth, large: task.large } });
        }
      }
      return tasks.map((task) => this.byKey(task.runId, task.key));
    });
  }

  byKey(runId: string, key: string): Task {
    const row = this.core.prepare('SELECT * FROM tasks WHERE run_id = ? AND key = ?').get(runId, key) as TaskRow | undefined;
    if (row === undefined) throw new Error(`no task '${key}' in run ${runId}`);
    return toTask(row);
  }

  listByRun(runId: string): Task[] {
    return (this.core.prepare('SELECT * FROM tasks WHERE run_id = ? ORDER BY rowid').all(runId) as TaskRow[]).map(toTask);
  }

  setStatus(runId: string, key: string, status: TaskStatus, details: { reason?: string | null; branch?: string | null } = {}): Task {
    return this.core.tx(() => {
      const finished = status === 'merged' || status === 'failed' || status === 'blocked' ? nowIso() : null;
      this.core
        .prepare('UPDATE tasks SET status = ?, reason = ?, branch = COALESCE(?, branch), finished_at = ? WHERE run_id = ? AND key = ?')
        .run(status, details.reason ?? null, details.branch ?? null, finished, runId, key);
      this.core.appendEvent({ runId, type: `task.${status}`, data: { key, reason: details.reason ?? null, branch: details.branch ?? null } });
      return this.byKey(runId, key);
    });
  }
}
