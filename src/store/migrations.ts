// Schema migrations, applied in order inside one transaction; PRAGMA user_version records the last one applied.
import type Database from 'better-sqlite3';
import { OrchError } from '../domain/errors.ts';

const migrations: readonly string[] = [
  `
  CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    project_path TEXT NOT NULL,
    goal TEXT NOT NULL,
    strategy TEXT NOT NULL,
    params_json TEXT NOT NULL,
    base_ref TEXT NOT NULL,
    base_sha TEXT NOT NULL,
    target TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    owner_pid INTEGER,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    result_json TEXT
  );
  CREATE INDEX runs_by_project ON runs(project_path, created_at);

  CREATE TABLE attempts (
    id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES runs(id),
    task_key TEXT NOT NULL,
    step_key TEXT NOT NULL,
    n INTEGER NOT NULL,
    agent TEXT NOT NULL,
    model TEXT,
    status TEXT NOT NULL,
    reason TEXT,
    detail TEXT,
    branch TEXT NOT NULL,
    worktree TEXT NOT NULL,
    base_sha TEXT NOT NULL,
    head_sha TEXT,
    session_id TEXT,
    pid INTEGER,
    turns INTEGER NOT NULL DEFAULT 0,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd REAL NOT NULL DEFAULT 0,
    diff_json TEXT,
    log_path TEXT NOT NULL,
    worktree_removed INTEGER NOT NULL DEFAULT 0,
    started_at TEXT,
    finished_at TEXT
  );
  CREATE INDEX attempts_by_run ON attempts(run_id);

  CREATE TABLE verdicts (
    id TEXT PRIMARY KEY,
    attempt_id TEXT NOT NULL REFERENCES attempts(id),
    passed INTEGER NOT NULL,
    checks_json TEXT NOT NULL,
    review_json TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX verdicts_by_attempt ON verdicts(attempt_id);

  CREATE TABLE merges (
    id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES runs(id),
    attempt_id TEXT REFERENCES attempts(id),
    target TEXT NOT NULL,
    status TEXT NOT NULL,
    from_sha TEXT NOT NULL,
    to_sha TEXT,
    message TEXT NOT NULL,
    created_at TEXT NOT NULL
  );

  CREATE TABLE steps (
    run_id TEXT NOT NULL REFERENCES runs(id),
    key TEXT NOT NULL,
    status TEXT NOT NULL,
    input_json TEXT NOT NULL,
    result_json TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    PRIMARY KEY (run_id, key)
  );

  CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT,
    attempt_id TEXT,
    type TEXT NOT NULL,
    data_json TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE INDEX events_by_run ON events(run_id, seq);
  `,
  `
  ALTER TABLE runs ADD COLUMN settings_json TEXT;
  ALTER TABLE attempts ADD COLUMN pid_start TEXT;
  ALTER TABLE verdicts ADD COLUMN review_error TEXT;

  -- Every agent call that is not an attempt (reviews, comparisons, plans, conflict resolutions): their cost
  -- counts toward the run's.
  CREATE TABLE agent_calls (
    id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES runs(id),
    kind TEXT NOT NULL,
    step_key TEXT NOT NULL,
    attempt_id TEXT,
    status TEXT NOT NULL,
    turns INTEGER NOT NULL DEFAULT 0,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd REAL NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
  );
  CREATE INDEX agent_calls_by_run ON agent_calls(run_id);

  CREATE TABLE comparisons (
    id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES runs(id),
    step_key TEXT NOT NULL,
    a_attempt_id TEXT NOT NULL,
    b_attempt_id TEXT NOT NULL,
    winner_attempt_id TEXT NOT NULL,
    status TEXT NOT NULL,
    reasoning TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX comparisons_by_run ON comparisons(run_id);
  `,
  `
  -- API keys for orch serve: only a hash is kept; the key itself is shown once, at creation.
  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
  );
  `,
  `
  -- Task graphs of plan runs: a tree (parent_id) with dependencies between siblings.
  CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL REFERENCES runs(id),
    parent_id TEXT REFERENCES tasks(id),
    key TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    type TEXT NOT NULL,
    depends_on_json TEXT NOT NULL,
    files_json TEXT NOT NULL,
    acceptance TEXT NOT NULL,
    large INTEGER NOT NULL DEFAULT 0,
    depth INTEGER NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    branch TEXT,
    created_at TEXT NOT NULL,
    finished_at TEXT,
    UNIQUE (run_id, key)
  );
  CREATE INDEX tasks_by_run ON tasks(run_id);

  -- A run started from inside another run's attempt (the delegate tool) is its child.
  ALTER TABLE runs ADD COLUMN parent_run_id TEXT;
  ALTER TABLE runs ADD COLUMN parent_attempt_id TEXT;
  `,
  `
  -- The checks run on a merged tree by the refinery, and the task a merge belongs to.
  ALTER TABLE merges ADD COLUMN checks_json TEXT;
  ALTER TABLE merges ADD COLUMN task_key TEXT;
  `,
  `
  -- A run's lease: the orch process that owns it (pid and start time, so a reused pid is not mistaken for it)
  -- renews lease_until while it works; another orch may take the run over only once the lease is stale.
  ALTER TABLE runs ADD COLUMN owner_start TEXT;
  ALTER TABLE runs ADD COLUMN lease_until TEXT;

  -- Per project: patrol pauses a project after too many failed runs in a row.
  CREATE TABLE projects (
    path TEXT PRIMARY KEY,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    paused INTEGER NOT NULL DEFAULT 0,
    paused_reason TEXT,
    updated_at TEXT NOT NULL
  );
  `,
  `
  -- Run costs include their child runs' (delegation): find the children without a scan.
  CREATE INDEX runs_by_parent ON runs(parent_run_id);
  `,
  `
  -- What orch's own defences found in an attempt (git control files changed, symlinks out, secrets, escapes).
  ALTER TABLE attempts ADD COLUMN security_json TEXT;
  `,
  `
  -- How a verdict weighed its checks: against the base, held out (check files changed), flaky.
  ALTER TABLE verdicts ADD COLUMN judgement_json TEXT;
  `,
  `
  -- The portfolio: each project's backlog (outlives runs; deduplicated by source and source id), the cycles
  -- (runs of strategy cycle) with their budget reservations, and which cycle worked on which backlog task.
  CREATE TABLE backlog_tasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    type TEXT NOT NULL,
    priority INTEGER NOT NULL DEFAULT 2,
    source TEXT NOT NULL,
    source_id TEXT,
    status TEXT NOT NULL,
    reason TEXT,
    depends_on_json TEXT NOT NULL DEFAULT '[]',
    attempts INTEGER NOT NULL DEFAULT 0,
    cost_usd REAL NOT NULL DEFAULT 0,
    last_run_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX backlog_by_project ON backlog_tasks(project, status, priority);
  CREATE UNIQUE INDEX backlog_by_source ON backlog_tasks(project, source, source_id) WHERE source_id IS NOT NULL;

  CREATE TABLE cycles (
    run_id TEXT PRIMARY KEY REFERENCES runs(id),
    project TEXT NOT NULL,
    reserved_usd REAL NOT NULL,
    started_at TEXT NOT NULL,
    settled_at TEXT,
    summary TEXT,
    plan_path TEXT
  );
  CREATE INDEX cycles_by_project ON cycles(project, started_at);

  CREATE TABLE backlog_runs (
    task_id INTEGER NOT NULL REFERENCES backlog_tasks(id),
    run_id TEXT NOT NULL REFERENCES runs(id),
    task_key TEXT NOT NULL,
    status TEXT NOT NULL,
    summary TEXT NOT NULL,
    cost_usd REAL NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (task_id, run_id, task_key)
  );
  `,
];

export function migrate(db: Database.Database): void {
  // The version is read inside the write transaction: a second orch migrating at the same moment waits, then
  // finds the work done.
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > migrations.length) {
      throw new OrchError('store_unusable', `The orch database ${db.name} was written by a newer orch (schema version ${current}; this orch knows up to ${migrations.length}).`, {
        hint: `Use the newer orch that wrote it, or point this one at another database: ORCH_HOME=/another/dir orch …`,
        data: { path: db.name, version: current },
      });
    }
    for (let version = current; version < migrations.length; version++) {
      db.exec(migrations[version] ?? '');
    }
    if (current < migrations.length) db.pragma(`user_version = ${migrations.length}`);
  }).immediate();
}
