// Runs: created, moved through their lifecycle (transitions checked), summed from their attempts.
import { OrchError, NotFoundError } from '../domain/errors.ts';
import type { Run } from '../domain/records.ts';
import { canTransitionRun, isRunOver, type RunStatus } from '../domain/status.ts';
import { fromJson, nowIso, toJson, type StoreCore } from './database.ts';

interface RunRow {
  id: string;
  project_path: string;
  goal: string;
  strategy: string;
  params_json: string;
  base_ref: string;
  base_sha: string;
  target: string;
  status: RunStatus;
  reason: string | null;
  owner_pid: number | null;
  created_at: string;
  finished_at: string | null;
  result_json: string | null;
  settings_json: string | null;
  parent_run_id: string | null;
  parent_attempt_id: string | null;
  cost_usd: number;
  input_tokens: number;
  output_tokens: number;
}

export interface NewRun {
  /** A child run started by an agent's delegate call. */
  parentRunId?: string | null;
  parentAttemptId?: string | null;
  /** What a resume needs to run the strategy again the same way (never secrets). */
  settings: Record<string, unknown>;
  id: string;
  projectPath: string;
  goal: string;
  strategy: string;
  params: Record<string, unknown>;
  baseRef: string;
  baseSha: string;
  target: string;
}

// Cost and tokens are derived from attempts and agent calls, never stored twice. A run's figures include those of
// its child runs (delegate calls), at every level: a child spends the parent's budget. UNION (not UNION ALL) in
// the walk down the tree stops at a cycle, should a damaged database hold one.
const runTree = `WITH RECURSIVE tree(id) AS (SELECT r.id UNION SELECT c.id FROM runs c JOIN tree t ON c.parent_run_id = t.id)`;
const treeSum = (column: string, alias: string) => `
    (${runTree} SELECT COALESCE((SELECT SUM(${column}) FROM attempts WHERE run_id IN tree), 0)
      + COALESCE((SELECT SUM(${column}) FROM agent_calls WHERE run_id IN tree), 0)) AS ${alias}`;
const selectRun = `
  SELECT r.*,${treeSum('cost_usd', 'cost_usd')},${treeSum('input_tokens', 'input_tokens')},${treeSum('output_tokens', 'output_tokens')}
  FROM runs r`;

function toRun(row: RunRow): Run {
  return {
    id: row.id,
    projectPath: row.project_path,
    goal: row.goal,
    strategy: row.strategy,
    params: fromJson<Record<string, unknown>>(row.params_json) ?? {},
    baseRef: row.base_ref,
    baseSha: row.base_sha,
    target: row.target,
    status: row.status,
    reason: row.reason,
    costUsd: row.cost_usd,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    result: fromJson<Record<string, unknown>>(row.result_json),
    parentRunId: row.parent_run_id,
    parentAttemptId: row.parent_attempt_id,
  };
}

export class RunsRepo {
  constructor(private readonly core: StoreCore) {}

  create(input: NewRun, ownerPid: number): Run {
    return this.core.tx(() => {
      this.core
        .prepare(
          `INSERT INTO runs (id, project_path, goal, strategy, params_json, base_ref, base_sha, target, status, owner_pid, created_at, settings_json, parent_run_id, parent_attempt_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?)`,
        )
        .run(
          input.id,
          input.projectPath,
          input.goal,
          input.strategy,
          toJson(input.params),
          input.baseRef,
          input.baseSha,
          input.target,
          ownerPid,
          nowIso(),
          toJson(input.settings),
          input.parentRunId ?? null,
          input.parentAttemptId ?? null,
        );
      this.core.appendEvent({
        runId: input.id,
        type: 'run.started',
        data: { goal: input.goal, strategy: input.strategy, target: input.target, baseSha: input.baseSha, parentRunId: input.parentRunId ?? null },
      });
      if (input.parentRunId) {
        this.core.appendEvent({ runId: input.parentRunId, attemptId: input.parentAttemptId ?? null, type: 'run.child_started', data: { childRunId: input.id, goal: input.goal } });
      }
      return this.get(input.id);
    });
  }

  find(id: string): Run | undefined {
    const row = this.core.prepare(`${selectRun} WHERE r.id = ?`).get(id) as RunRow | undefined;
    return row === undefined ? undefined : toRun(row);
  }

  get(id: string): Run {
    const run = this.find(id);
    if (run === undefined) throw new NotFoundError(`No run '${id}'.`, { hint: 'List runs with `orch runs`.' });
    return run;
  }

  /** Runs newest first; a unique id prefix also finds a run (as git does with shas). */
  list(options: { projectPath?: string; limit?: number } = {}): Run[] {
    const rows = (
      options.projectPath === undefined
        ? this.core.prepare(`${selectRun} ORDER BY r.created_at DESC, r.id DESC LIMIT ?`).all(options.limit ?? 50)
        : this.core
            .prepare(`${selectRun} WHERE r.project_path = ? ORDER BY r.created_at DESC, r.id DESC LIMIT ?`)
            .all(options.projectPath, options.limit ?? 50)
    ) as RunRow[];
    return rows.map(toRun);
  }

  /** What the run's child runs (delegate calls, at every level) have spent, the run's own spending left out. */
  childrenCostUsd(id: string): number {
    const row = this.core
      .prepare(
        `WITH RECURSIVE tree(id) AS (SELECT id FROM runs WHERE parent_run_id = ? UNION SELECT c.id FROM runs c JOIN tree t ON c.parent_run_id = t.id)
         SELECT COALESCE((SELECT SUM(cost_usd) FROM attempts WHERE run_id IN tree), 0)
              + COALESCE((SELECT SUM(cost_usd) FROM agent_calls WHERE run_id IN tree), 0) AS cost`,
      )
      .get(id) as { cost: number };
    return row.cost;
  }

  /** Runs started by delegate calls of this run's agents. */
  children(id: string): Run[] {
    return (this.core.prepare(`${selectRun} WHERE r.parent_run_id = ? ORDER BY r.created_at`).all(id) as RunRow[]).map(toRun);
  }

  resolvePrefix(prefix: string): Run {
    const rows = this.core
      .prepare(`SELECT id FROM runs WHERE id LIKE ? ESCAPE '\\' LIMIT 2`)
      .all(`${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) as { id: string }[];
    if (rows.length === 1 && rows[0]) return this.get(rows[0].id);
    if (rows.length > 1) throw new OrchError('usage', `'${prefix}' matches more than one run; give more of the id.`);
    throw new NotFoundError(`No run '${prefix}'.`, { hint: 'List runs with `orch runs`.' });
  }

  /** The settings a run was started with, for resume. */
  settings(id: string): Record<string, unknown> {
    const row = this.core.prepare('SELECT settings_json FROM runs WHERE id = ?').get(id) as { settings_json: string | null } | undefined;
    return fromJson<Record<string, unknown>>(row?.settings_json ?? null) ?? {};
  }

  /** Take or renew the run's lease for this process (pid and start time), valid for `forMs`. */
  renewLease(id: string, pid: number, pidStart: string | null, forMs: number): void {
    this.core.tx(() => {
      this.core
        .prepare('UPDATE runs SET owner_pid = ?, owner_start = ?, lease_until = ? WHERE id = ?')
        .run(pid, pidStart, new Date(Date.now() + forMs).toISOString(), id);
    });
  }

  lease(id: string): { ownerPid: number | null; ownerStart: string | null; leaseUntil: string | null } {
    const row = this.core.prepare('SELECT owner_pid, owner_start, lease_until FROM runs WHERE id = ?').get(id) as
      | { owner_pid: number | null; owner_start: string | null; lease_until: string | null }
      | undefined;
    return { ownerPid: row?.owner_pid ?? null, ownerStart: row?.owner_start ?? null, leaseUntil: row?.lease_until ?? null };
  }

  /** Runs recorded as in progress (running or queued), of every project. */
  inProgress(): Run[] {
    return (this.core.prepare(`${selectRun} WHERE r.status IN ('running', 'queued')`).all() as RunRow[]).map(toRun);
  }

  /** The pid of the orch process that owns (or last owned) the run. */
  ownerPid(id: string): number | null {
    const row = this.core.prepare('SELECT owner_pid FROM runs WHERE id = ?').get(id) as { owner_pid: number | null } | undefined;
    return row?.owner_pid ?? null;
  }

  transition(id: string, to: RunStatus, details: { reason?: string | null; result?: Record<string, unknown>; ownerPid?: number } = {}): Run {
    return this.core.tx(() => {
      const run = this.get(id);
      if (run.status !== to && !canTransitionRun(run.status, to)) {
        throw new OrchError('usage', `Run ${id} is ${run.status}; it cannot become ${to}.`);
      }
      const finished = isRunOver(to) ? nowIso() : null;
      this.core
        .prepare(
          `UPDATE runs SET status = ?, reason = ?, finished_at = ?, result_json = COALESCE(?, result_json),
             owner_pid = COALESCE(?, owner_pid) WHERE id = ?`,
        )
        .run(to, details.reason ?? null, finished, details.result ? toJson(details.result) : null, details.ownerPid ?? null, id);
      this.core.appendEvent({ runId: id, type: `run.${to}`, data: { reason: details.reason ?? null } });
      return this.get(id);
    });
  }
}
