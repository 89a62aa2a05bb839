// Verdicts (checks + review of an attempt) and merges (a chosen attempt integrated into its target).
import { newId } from '../domain/ids.ts';
import type { CheckResult, Merge, Review, Verdict } from '../domain/records.ts';
import { fromJson, nowIso, toJson, type StoreCore } from './database.ts';

interface VerdictRow {
  id: string;
  attempt_id: string;
  passed: number;
  checks_json: string;
  review_json: string | null;
  created_at: string;
}

interface MergeRow {
  id: string;
  run_id: string;
  attempt_id: string;
  target: string;
  status: Merge['status'];
  from_sha: string;
  to_sha: string | null;
  message: string;
  created_at: string;
}

const toVerdict = (row: VerdictRow): Verdict => ({
  id: row.id,
  attemptId: row.attempt_id,
  passed: row.passed === 1,
  checks: fromJson<CheckResult[]>(row.checks_json) ?? [],
  review: fromJson<Review>(row.review_json),
  createdAt: row.created_at,
});

const toMerge = (row: MergeRow): Merge => ({
  id: row.id,
  runId: row.run_id,
  attemptId: row.attempt_id,
  target: row.target,
  status: row.status,
  fromSha: row.from_sha,
  toSha: row.to_sha,
  message: row.message,
  createdAt: row.created_at,
});

export class JudgementsRepo {
  constructor(private readonly core: StoreCore) {}

  addVerdict(runId: string, input: Omit<Verdict, 'id' | 'createdAt'>): Verdict {
    return this.core.tx(() => {
      const id = newId('vrd');
      this.core.db
        .prepare('INSERT INTO verdicts (id, attempt_id, passed, checks_json, review_json, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(id, input.attemptId, input.passed ? 1 : 0, toJson(input.checks), input.review ? toJson(input.review) : null, nowIso());
      this.core.appendEvent({
        runId,
        attemptId: input.attemptId,
        type: 'verdict.recorded',
        data: {
          passed: input.passed,
          checks: input.checks.map((c) => ({ name: c.name, passed: c.passed, exitCode: c.exitCode, durationMs: c.durationMs })),
          review: input.review,
        },
      });
      return toVerdict(this.core.db.prepare('SELECT * FROM verdicts WHERE id = ?').get(id) as VerdictRow);
    });
  }

  verdictsByRun(runId: string): Verdict[] {
    return (
      this.core.db
        .prepare('SELECT v.* FROM verdicts v JOIN attempts a ON a.id = v.attempt_id WHERE a.run_id = ? ORDER BY v.rowid')
        .all(runId) as VerdictRow[]
    ).map(toVerdict);
  }

  addMerge(input: Omit<Merge, 'id' | 'createdAt'>): Merge {
    return this.core.tx(() => {
      const id = newId('mrg');
      this.core.db
        .prepare(
          'INSERT INTO merges (id, run_id, attempt_id, target, status, from_sha, to_sha, message, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(id, input.runId, input.attemptId, input.target, input.status, input.fromSha, input.toSha, input.message, nowIso());
      this.core.appendEvent({
        runId: input.runId,
        attemptId: input.attemptId,
        type: 'merge.recorded',
        data: { status: input.status, target: input.target, fromSha: input.fromSha, toSha: input.toSha, message: input.message },
      });
      return toMerge(this.core.db.prepare('SELECT * FROM merges WHERE id = ?').get(id) as MergeRow);
    });
  }

  mergesByRun(runId: string): Merge[] {
    return (this.core.db.prepare('SELECT * FROM merges WHERE run_id = ? ORDER BY rowid').all(runId) as MergeRow[]).map(toMerge);
  }
}
