// Reading what an orch process (another process, under test) has stored so far, without disturbing it: a
// read-only connection to its ORCH_HOME's database. For tests that wait until orch has recorded something.
import { join } from 'node:path';
import Database from 'better-sqlite3';

export interface StoredAttempt {
  stepKey: string;
  status: string;
  sessionId: string | null;
}

/** The attempts of a run as orch has stored them; empty while the database or the run is not there yet. */
export function storedAttempts(home: string, runId: string): StoredAttempt[] {
  let db: Database.Database;
  try {
    db = new Database(join(home, 'orch.db'), { readonly: true, fileMustExist: true });
  } catch {
    return [];
  }
  try {
    return db.prepare('SELECT step_key AS stepKey, status, session_id AS sessionId FROM attempts WHERE run_id = ? ORDER BY n').all(runId) as StoredAttempt[];
  } finally {
    db.close();
  }
}

/** How many tasks a run's plans have stored so far; 0 while the database or the run is not there yet. */
export function storedTaskCount(home: string, runId: string): number {
  let db: Database.Database;
  try {
    db = new Database(join(home, 'orch.db'), { readonly: true, fileMustExist: true });
  } catch {
    return 0;
  }
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM tasks WHERE run_id = ?').get(runId) as { n: number }).n;
  } finally {
    db.close();
  }
}

/** A run's status as orch has stored it; undefined while the database or the run is not there yet. */
export function storedRunStatus(home: string, runId: string): string | undefined {
  let db: Database.Database;
  try {
    db = new Database(join(home, 'orch.db'), { readonly: true, fileMustExist: true });
  } catch {
    return undefined;
  }
  try {
    return (db.prepare('SELECT status FROM runs WHERE id = ?').get(runId) as { status: string } | undefined)?.status;
  } finally {
    db.close();
  }
}
