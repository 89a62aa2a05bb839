// Attempts: one agent process on one task in its own worktree. Live usage is written as it arrives.
import { NotFoundError, OrchError } from '../domain/errors.ts';
import type { AttemptReason } from '../domain/outcome.ts';
import type { Attempt, AttemptSecurity, DiffStat } from '../domain/records.ts';
import type { AttemptUsageEvent } from '../domain/usage-event.ts';
import { canTransitionAttempt, type AttemptStatus } from '../domain/status.ts';
import { fromJson, nowIso, toJson, type StoreCore } from './database.ts';

interface AttemptRow {
  id: string;
  run_id: string;
  task_key: string;
  step_key: string;
  n: number;
  agent: string;
  model: string | null;
  status: AttemptStatus;
  reason: AttemptReason | null;
  detail: string | null;
  branch: string;
  worktree: string;
  base_sha: string;
  head_sha: string | null;
  session_id: string | null;
  pid: number | null;
  turns: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  diff_json: string | null;
  security_json: string | null;
  log_path: string;
  worktree_removed: number;
  started_at: string | null;
  finished_at: string | null;
}

function toAttempt(row: AttemptRow): Attempt {
  return {
    id: row.id,
    runId: row.run_id,
    taskKey: row.task_key,
    stepKey: row.step_key,
    n: row.n,
    agent: row.agent,
    model: row.model,
    status: row.status,
    reason: row.reason,
    detail: row.detail,
    branch: row.branch,
    worktree: row.worktree,
    baseSha: row.base_sha,
    headSha: row.head_sha,
    sessionId: row.session_id,
    pid: row.pid,
    turns: row.turns,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    costUsd: row.cost_usd,
    diff: fromJson<DiffStat>(row.diff_json),
    security: fromJson<AttemptSecurity>(row.security_json),
    logPath: row.log_path,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export type NewAttempt = Pick<
  Attempt,
  'id' | 'runId' | 'taskKey' | 'stepKey' | 'n' | 'agent' | 'model' | 'branch' | 'worktree' | 'baseSha' | 'logPath'
>;

export interface AttemptUsage {
  turns: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  sessionId?: string | null;
  /** Includes turns orch priced itself that the agent has not totalled yet (see domain/usage-event.ts). */
  live?: boolean | undefined;
}

// A run's cost with its child runs', as in runs.ts: for the usage event, so views see the run's total move too.
const runTreeCost = `WITH RECURSIVE tree(id) AS (SELECT ? UNION SELECT c.id FROM runs c JOIN tree t ON c.parent_run_id = t.id)
  SELECT COALESCE((SELECT SUM(cost_usd) FROM attempts WHERE run_id IN tree), 0)
       + COALESCE((SELECT SUM(cost_usd) FROM agent_calls WHERE run_id IN tree), 0) AS cost`;

export interface AttemptEnd {
  status: Extract<AttemptStatus, 'succeeded' | 'failed' | 'interrupted' | 'canceled'>;
  reason: AttemptReason;
  detail?: string | null;
  headSha?: string | null;
  diff?: DiffStat | null;
  security?: AttemptSecurity | null;
}

export class AttemptsRepo {
  constructor(private readonly core: StoreCore) {}

  create(input: NewAttempt): Attempt {
    return this.core.tx(() => {
      this.core
        .prepare(
          `INSERT INTO attempts (id, run_id, task_key, step_key, n, agent, model, status, branch, worktree, base_sha, log_path)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?)`,
        )
        .run(input.id, input.runId, input.taskKey, input.stepKey, input.n, input.agent, input.model, input.branch, input.worktree, input.baseSha, input.logPath);
      this.core.appendEvent({
        runId: input.runId,
        attemptId: input.id,
        type: 'attempt.created',
        data: { agent: input.agent, model: input.model, branch: input.branch, taskKey: input.taskKey, n: input.n },
      });
      return this.get(input.id);
    });
  }

  find(id: string): Attempt | undefined {
    const row = this.core.prepare('SELECT * FROM attempts WHERE id = ?').get(id) as AttemptRow | undefined;
    return row === undefined ? undefined : toAttempt(row);
  }

  get(id: string): Attempt {
    const attempt = this.find(id);
    if (attempt === undefined) throw new NotFoundError(`No attempt '${id}'.`, { hint: 'See a run\'s attempts with `orch show <run>`.' });
    return attempt;
  }

  listByRun(runId: string): Attempt[] {
    return (this.core.prepare('SELECT * FROM attempts WHERE run_id = ? ORDER BY rowid').all(runId) as AttemptRow[]).map(toAttempt);
  }

  /** Attempts whose worktree orch created and has not removed yet. */
  withLiveWorktrees(runId?: string): Attempt[] {
    const rows = (
      runId === undefined
        ? this.core.prepare('SELECT * FROM attempts WHERE worktree_removed = 0').all()
        : this.core.prepare('SELECT * FROM attempts WHERE worktree_removed = 0 AND run_id = ?').all(runId)
    ) as AttemptRow[];
    return rows.map(toAttempt);
  }

  /** Every worktree path orch has recorded, removed or not (to tell its own directories from strangers). */
  allWorktreePaths(): string[] {
    return (this.core.prepare('SELECT DISTINCT worktree FROM attempts').all() as { worktree: string }[]).map((r) => r.worktree);
  }

  resolvePrefix(prefix: string): Attempt {
    const rows = this.core
      .prepare(`SELECT id FROM attempts WHERE id LIKE ? ESCAPE '\\' LIMIT 2`)
      .all(`${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) as { id: string }[];
    if (rows.length === 1 && rows[0]) return this.get(rows[0].id);
    if (rows.length > 1) throw new OrchError('usage', `'${prefix}' matches more than one attempt; give more of the id.`);
    throw new NotFoundError(`No attempt '${prefix}'.`, { hint: 'See a run\'s attempts with `orch show <run>`.' });
  }

  markRunning(id: string, pid: number | null, pidStart: string | null = null): Attempt {
    return this.core.tx(() => {
      this.assertTransition(id, 'running');
      this.core
        .prepare(`UPDATE attempts SET status = 'running', pid = ?, pid_start = ?, started_at = COALESCE(started_at, ?) WHERE id = ?`)
        .run(pid, pidStart, nowIso(), id);
      const attempt = this.get(id);
      this.core.appendEvent({ runId: attempt.runId, attemptId: id, type: 'attempt.started', data: { pid } });
      return attempt;
    });
  }

  recordUsage(id: string, usage: AttemptUsage): void {
    this.core.tx(() => {
      this.core
        .prepare(
          `UPDATE attempts SET turns = ?, input_tokens = ?, output_tokens = ?, cost_usd = ?, session_id = COALESCE(?, session_id) WHERE id = ?`,
        )
        .run(usage.turns, usage.inputTokens, usage.outputTokens, usage.costUsd, usage.sessionId ?? null, id);
      const runId = (this.core.prepare('SELECT run_id FROM attempts WHERE id = ?').get(id) as { run_id: string } | undefined)?.run_id ?? null;
      // Usage is an event too, so every view (TUI, web, API stream) sees tokens and cost move.
      const runCostUsd = runId === null ? usage.costUsd : (this.core.prepare(runTreeCost).get(runId) as { cost: number }).cost;
      const data: AttemptUsageEvent = {
        turns: usage.turns,
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        costUsd: usage.costUsd,
        live: usage.live ?? false,
        runCostUsd,
      };
      this.core.appendEvent({ runId, attemptId: id, type: 'attempt.usage', data: { ...data } });
    });
  }

  finish(id: string, end: AttemptEnd): Attempt {
    return this.core.tx(() => {
      this.assertTransition(id, end.status);
      this.core
        .prepare(
          `UPDATE attempts SET status = ?, reason = ?, detail = ?, head_sha = COALESCE(?, head_sha), diff_json = COALESCE(?, diff_json),
             security_json = COALESCE(?, security_json), pid = NULL, finished_at = ? WHERE id = ?`,
        )
        .run(end.status, end.reason, end.detail ?? null, end.headSha ?? null, end.diff ? toJson(end.diff) : null, end.security ? toJson(end.security) : null, nowIso(), id);
      const attempt = this.get(id);
      this.core.appendEvent({
        runId: attempt.runId,
        attemptId: id,
        type: 'attempt.finished',
        data: { status: end.status, reason: end.reason, detail: end.detail ?? null, diff: end.diff ?? null, costUsd: attempt.costUsd, security: end.security ?? null },
      });
      return attempt;
    });
  }

  /** What orch's defences found after the attempt ended (its checks changed git control files). */
  updateSecurity(id: string, security: AttemptSecurity): Attempt {
    return this.core.tx(() => {
      this.core.db.prepare('UPDATE attempts SET security_json = ? WHERE id = ?').run(toJson(security), id);
      return this.get(id);
    });
  }

  /** Attempts recorded as running, with the process that ran them: after a crash, what may still be alive. */
  recordedRunning(runId?: string): { id: string; runId: string; pid: number | null; pidStart: string | null }[] {
    const sql = `SELECT id, run_id, pid, pid_start FROM attempts WHERE status = 'running'${runId === undefined ? '' : ' AND run_id = ?'}`;
    const rows = (runId === undefined ? this.core.prepare(sql).all() : this.core.prepare(sql).all(runId)) as {
      id: string;
      run_id: string;
      pid: number | null;
      pid_start: string | null;
    }[];
    return rows.map((row) => ({ id: row.id, runId: row.run_id, pid: row.pid, pidStart: row.pid_start }));
  }

  /** An attempt whose orch died under it: it did not finish, and a resume may take it up again. */
  markInterrupted(id: string, detail: string): Attempt {
    return this.core.tx(() => {
      this.core.prepare(`UPDATE attempts SET status = 'interrupted', reason = 'interrupted', detail = ?, pid = NULL WHERE id = ? AND status IN ('running', 'queued')`).run(detail, id);
      const attempt = this.get(id);
      this.core.appendEvent({ runId: attempt.runId, attemptId: id, type: 'attempt.interrupted', data: { detail } });
      return attempt;
    });
  }

  markWorktreeRemoved(id: string): void {
    this.core.tx(() => {
      this.core.prepare('UPDATE attempts SET worktree_removed = 1 WHERE id = ?').run(id);
    });
  }

  private assertTransition(id: string, to: AttemptStatus): void {
    const { status } = this.get(id);
    if (status !== to && !canTransitionAttempt(status, to)) {
      throw new OrchError('internal', `Attempt ${id} is ${status}; it cannot become ${to}.`);
    }
  }
}
