// The eval's results: one JSON line per finished cell in `results.jsonl` under the eval's folder. Appended as each
// cell ends, so an eval stopped (Ctrl+C, a crash) keeps what it finished and a re-run skips those cells.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const cellResultSchema = z.object({
  cell: z.string(),
  task: z.string(),
  agent: z.string(),
  model: z.string().nullable(),
  strategy: z.string(),
  configuration: z.string(),
  rep: z.number().int(),
  /** The task's definition when it ran (see Cell.taskHash). */
  taskHash: z.string(),
  /** The model was the scripted server (an offline demo), not a real one. */
  scripted: z.boolean(),
  runId: z.string().nullable(),
  runStatus: z.string(),
  /** Something landed on the target (orch merged a result). */
  landed: z.boolean(),
  /** The hidden check passes on what orch landed (on the base when nothing landed). */
  resolved: z.boolean(),
  /** Some attempt of the run passes the hidden check: what perfect selection would have got. */
  passAtK: z.boolean(),
  attempts: z.array(z.object({ id: z.string(), n: z.number().int(), checksPassed: z.boolean().nullable(), hiddenPassed: z.boolean().nullable(), selected: z.boolean() })),
  costUsd: z.number(),
  durationMs: z.number(),
  hiddenOutput: z.string(),
  /** Why the run did not succeed (checks failed, an agent failed); null when it did. */
  error: z.string().nullable(),
  finishedAt: z.string(),
});
export type CellResult = z.infer<typeof cellResultSchema>;

export const resultsFile = (outDir: string): string => join(outDir, 'results.jsonl');

/** The results so far (the last line for a cell wins); a line cut short by a crash is skipped. */
export function readResults(outDir: string): CellResult[] {
  const file = resultsFile(outDir);
  if (!existsSync(file)) return [];
  const byCell = new Map<string, CellResult>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed = cellResultSchema.safeParse(JSON.parse(line));
      if (parsed.success) byCell.set(parsed.data.cell, parsed.data);
    } catch {
      // A line half-written when the process died: that cell runs again.
    }
  }
  return [...byCell.values()];
}

export function appendResult(outDir: string, result: CellResult): void {
  appendFileSync(resultsFile(outDir), `${JSON.stringify(result)}\n`, { mode: 0o600 });
}

export interface ConfigurationSummary {
  configuration: string;
  agent: string;
  model: string | null;
  strategy: string;
  cells: number;
  /** Share of cells whose landed result passes the hidden check. */
  passRate: number;
  /** Share of cells where some attempt passes it. */
  passAtKRate: number;
  meanAttempts: number;
  meanCostUsd: number;
  meanDurationMs: number;
  /** Runs that ended succeeded (orch was satisfied with a result), whatever the hidden check says. */
  runsSucceeded: number;
}

const mean = (values: number[]): number => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);

export function summarise(results: readonly CellResult[]): ConfigurationSummary[] {
  const groups = new Map<string, CellResult[]>();
  for (const r of results) groups.set(r.configuration, [...(groups.get(r.configuration) ?? []), r]);
  return [...groups.entries()].map(([configuration, cells]) => {
    const first = cells[0] as CellResult;
    return {
      configuration,
      agent: first.agent,
      model: first.model,
      strategy: first.strategy,
      cells: cells.length,
      passRate: mean(cells.map((c) => (c.resolved ? 1 : 0))),
      passAtKRate: mean(cells.map((c) => (c.passAtK ? 1 : 0))),
      meanAttempts: mean(cells.map((c) => c.attempts.length)),
      meanCostUsd: mean(cells.map((c) => c.costUsd)),
      meanDurationMs: mean(cells.map((c) => c.durationMs)),
      runsSucceeded: cells.filter((c) => c.error === null).length,
    };
  });
}
