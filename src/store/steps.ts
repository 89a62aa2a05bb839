// Durable keyed steps: a strategy's unit of work whose result is stored, so a resumed run replays finished
// steps from here instead of doing them again.
import { fromJson, nowIso, toJson, type StoreCore } from './database.ts';

export type StepStatus = 'started' | 'completed';

export interface StepRecord {
  key: string;
  status: StepStatus;
  input: unknown;
  result: unknown;
}

interface StepRow {
  key: string;
  status: StepStatus;
  input_json: string;
  result_json: string | null;
}

export class StepsRepo {
  constructor(private readonly core: StoreCore) {}

  find(runId: string, key: string): StepRecord | undefined {
    const row = this.core.prepare('SELECT key, status, input_json, result_json FROM steps WHERE run_id = ? AND key = ?').get(runId, key) as
      | StepRow
      | undefined;
    return row === undefined ? undefined : { key: row.key, status: row.status, input: fromJson(row.input_json), result: fromJson(row.result_json) };
  }

  start(runId: string, key: string, input: unknown): void {
    this.core.tx(() => {
      this.core
        .prepare(
          `INSERT INTO steps (run_id, key, status, input_json, started_at) VALUES (?, ?, 'started', ?, ?)
           ON CONFLICT (run_id, key) DO UPDATE SET started_at = excluded.started_at`,
        )
        .run(runId, key, toJson(input ?? null), nowIso());
      this.core.appendEvent({ runId, type: 'step.started', data: { key } });
    });
  }

  complete(runId: string, key: string, result: unknown): void {
    this.core.tx(() => {
      this.core
        .prepare(`UPDATE steps SET status = 'completed', result_json = ?, finished_at = ? WHERE run_id = ? AND key = ?`)
        .run(toJson(result ?? null), nowIso(), runId, key);
      this.core.appendEvent({ runId, type: 'step.completed', data: { key } });
    });
  }
}
