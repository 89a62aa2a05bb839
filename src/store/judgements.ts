// Verdicts (checks + review of an attempt) and merges (a chosen attempt integrated into its target).
import { newId } from '../domain/ids.ts';
import type { AgentCallUsage, CheckResult, Comparison, Judgement, Merge, Review, Verdict } from '../domain/records.ts';
import { fromJson, nowIso, toJson, type StoreCore } from './database.ts';

interface VerdictRow {
  id: string;
  attempt_id: string;
  passed: number;
  checks_json: string;
  review_json: string | null;
  review_error: string | null;
  judgement_json: string | null;
  created_at: string;
}

interface ComparisonRow {
  id: string;
  run_id: string;
  step_key: string;
  a_attempt_id: string;
  b_attempt_id: string;
  winner_attempt_id: string;
  status: Comparison['status'];
  reasoning: string;
  created_at: string;
}

interface MergeRow {
  id: string;
  run_id: string;
  attempt_id: string | null;
  target: string;
  status: Merge['status'];
  from_sha: string;
  to_sha: string | null;
  message: string;
  created_at: string;
  checks_json: string | null;
  task_key: string | null;
}

const toVerdict = (row: VerdictRow): Verdict => ({
  id: row.id,
  attemptId: row.attempt_id,
  passed: row.passed === 1,
  checks: fromJson<CheckResult[]>(row.checks_json) ?? [],
  review: fromJson<Review>(row.review_json),
  reviewError: row.review_error,
  judgement: fromJson<Judgement>(row.judgement_json),
  createdAt: row.created_at,
});

const toComparison = (row: ComparisonRow): Comparison => ({
  id: row.id,
  runId: row.run_id,
  stepKey: row.step_key,
  aAttemptId: row.a_attempt_id,
  bAttemptId: row.b_attempt_id,
  winnerAttemptId: row.winner_attempt_id,
  status: row.status,
  reasoning: row.reasoning,
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
  checks: fromJson<CheckResult[]>(row.checks_json) ?? [],
  taskKey: row.task_key,
  createdAt: row.created_at,
});

export class JudgementsRepo {
  constructor(private readonly core: StoreCore) {}

  /** `checksNote` says, for the event's readers, why `checks` is empty (never stored: the event says it once). */
  addVerdict(runId: string, input: Omit<Verdict, 'id' | 'createdAt'>, checksNote?: string): Verdict {
    return this.core.tx(() => {
      const id = newId('vrd');
      this.core
        .prepare('INSERT INTO verdicts (id, attempt_id, passed, checks_json, review_json, review_error, judgement_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(id, input.attemptId, input.passed ? 1 : 0, toJson(input.checks), input.review ? toJson(input.review) : null, input.reviewError, input.judgement ? toJson(input.judgement) : null, nowIso());
      this.core.appendEvent({
        runId,
        attemptId: input.attemptId,
        type: 'verdict.recorded',
        data: {
          passed: input.passed,
          ...(input.checks.length === 0 && checksNote !== undefined ? { checksNote } : {}),
          checks: input.checks.map((c) => ({ name: c.name, passed: c.passed, exitCode: c.exitCode, durationMs: c.durationMs, flaky: c.flaky === true })),
          review: input.review,
          reviewError: input.reviewError,
          judgement: input.judgement ? { summary: input.judgement.summary, protectedFiles: input.judgement.protectedFiles, baseRed: input.judgement.baseRed, flaky: input.judgement.flaky } : null,
        },
      });
      return toVerdict(this.core.prepare('SELECT * FROM verdicts WHERE id = ?').get(id) as VerdictRow);
    });
  }

  verdictsByRun(runId: string): Verdict[] {
    return (
      this.core
        .prepare('SELECT v.* FROM verdicts v JOIN attempts a ON a.id = v.attempt_id WHERE a.run_id = ? ORDER BY v.rowid')
        .all(runId) as VerdictRow[]
    ).map(toVerdict);
  }

  addMerge(input: Omit<Merge, 'id' | 'createdAt' | 'checks' | 'taskKey'> & { checks?: CheckResult[]; taskKey?: string | null }): Merge {
    return this.core.tx(() => {
      const id = newId('mrg');
      this.core
        .prepare(
          'INSERT INTO merges (id, run_id, attempt_id, target, status, from_sha, to_sha, message, checks_json, task_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(id, input.runId, input.attemptId, input.target, input.status, input.fromSha, input.toSha, input.message, toJson(input.checks ?? []), input.taskKey ?? null, nowIso());
      this.core.appendEvent({
        runId: input.runId,
        attemptId: input.attemptId,
        type: 'merge.recorded',
        data: {
          status: input.status, target: input.target, fromSha: input.fromSha, toSha: input.toSha, message: input.message, taskKey: input.taskKey ?? null,
          checks: (input.checks ?? []).map((c) => ({ name: c.name, passed: c.passed, durationMs: c.durationMs })),
        },
      });
      return toMerge(this.core.prepare('SELECT * FROM merges WHERE id = ?').get(id) as MergeRow);
    });
  }

  addComparison(input: Omit<Comparison, 'id' | 'createdAt'>): Comparison {
    return this.core.tx(() => {
      const id = newId('cmp');
      this.core
        .prepare(
          `INSERT INTO comparisons (id, run_id, step_key, a_attempt_id, b_attempt_id, winner_attempt_id, status, reasoning, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, input.runId, input.stepKey, input.aAttemptId, input.bAttemptId, input.winnerAttemptId, input.status, input.reasoning, nowIso());
      this.core.appendEvent({ runId: input.runId, type: 'comparison.recorded', data: { ...input } });
      return toComparison(this.core.prepare('SELECT * FROM comparisons WHERE id = ?').get(id) as ComparisonRow);
    });
  }

  comparisonsByRun(runId: string): Comparison[] {
    return (this.core.prepare('SELECT * FROM comparisons WHERE run_id = ? ORDER BY rowid').all(runId) as ComparisonRow[]).map(toComparison);
  }

  /** Record the cost of an agent call that is not an attempt (a review, a comparison, a plan). */
  addAgentCall(input: { runId: string; kind: string; stepKey: string; attemptId: string | null; status: string; usage: AgentCallUsage }): void {
    this.core.tx(() => {
      this.core
        .prepare(
          `INSERT INTO agent_calls (id, run_id, kind, step_key, attempt_id, status, turns, input_tokens, output_tokens, cost_usd, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(newId('cal'), input.runId, input.kind, input.stepKey, input.attemptId, input.status, input.usage.turns, input.usage.inputTokens, input.usage.outputTokens, input.usage.costUsd, nowIso());
      this.core.appendEvent({ runId: input.runId, attemptId: input.attemptId, type: 'agent_call.recorded', data: { kind: input.kind, stepKey: input.stepKey, status: input.status, ...input.usage } });
    });
  }

  mergesByRun(runId: string): Merge[] {
    return (this.core.prepare('SELECT * FROM merges WHERE run_id = ? ORDER BY rowid').all(runId) as MergeRow[]).map(toMerge);
  }
}
