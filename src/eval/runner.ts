// Running an eval: the cells not yet in the results file, as many at once as the agent limit lets work, each
// recorded as it ends. Stopped (Ctrl+C), it keeps what finished; run again, it does only the rest.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCell, type CellContext } from './cell.ts';
import { renderHtmlReport } from './html-report.ts';
import { configurationLabel, type Cell } from './matrix.ts';
import { appendResult, readResults, summarise, type CellResult, type ConfigurationSummary } from './results.ts';
import { checkTaskBases, readTaskBases } from './task-bases.ts';
import { prepareSources } from './task-repo.ts';

export interface EvalRun extends Omit<CellContext, 'sources' | 'onStarted'> {
  cells: Cell[];
  cacheDir: string;
  /** Cells worked on at once. */
  parallel: number;
  onProgress(line: string): void;
}

export interface EvalOutcome {
  /** Tasks whose hidden check passes on the base already: they measure nothing. */
  passingBases: string[];
  results: CellResult[];
  summaries: ConfigurationSummary[];
  ran: number;
  skipped: number;
  interrupted: boolean;
  scripted: boolean;
  reportPath: string;
}

export function writeReport(outDir: string, suite: string, results: CellResult[], passingBases: string[]): string {
  const path = join(outDir, 'report.html');
  const html = renderHtmlReport({ suite, scripted: results.some((r) => r.scripted), summaries: summarise(results), results, passingBases, generatedAt: new Date().toISOString() });
  writeFileSync(path, html);
  return path;
}

export async function runEval(run: EvalRun): Promise<EvalOutcome> {
  mkdirSync(run.outDir, { recursive: true, mode: 0o700 });
  // A cell is done when a result for it is recorded for the task as it is defined now (an edited task runs again).
  const key = (cell: string, taskHash: string) => `${cell}#${taskHash}`;
  const ids = new Set(run.cells.map((c) => key(c.id, c.taskHash)));
  const done = new Set(readResults(run.outDir).map((r) => key(r.cell, r.taskHash)));
  const pending = run.cells.filter((c) => !done.has(key(c.id, c.taskHash)));
  const skipped = run.cells.length - pending.length;
  if (skipped > 0) run.onProgress(`${skipped} of ${run.cells.length} runs already done (in ${run.outDir}/results.jsonl): skipped`);
  const pendingTasks = [...new Map(pending.map((c) => [c.task.id, c.task])).values()];
  const sources = pending.length === 0 ? new Map<string, string>() : await prepareSources(run.suite, pendingTasks, run.cacheDir);
  const bases = await checkTaskBases({ suite: run.suite, sources, outDir: run.outDir, sandbox: run.hiddenSandbox, signal: run.signal }, pendingTasks);
  for (const task of pendingTasks) {
    if (bases[task.id]?.passesOnBase === true) run.onProgress(`warning: task ${task.id}'s hidden check already passes on its base ${task.base}: it measures nothing (every run counts as solving it)`);
  }
  // A cell that fails outright (a clone that cannot be made) stops the others too: their runs end interrupted and
  // stay unrecorded, so the next eval does them again.
  const stop = new AbortController();
  const signal = AbortSignal.any([run.signal, stop.signal]);
  const context: CellContext = {
    ...run,
    sources,
    signal,
    onStarted: (cell, runId, resumed) => run.onProgress(`▶ ${cell.task.id} · ${configurationLabel(cell)} · rep ${cell.rep + 1}: run ${runId} ${resumed ? 'resumed where it stopped' : 'started'}`),
  };

  let ran = 0;
  const queue = [...pending];
  const worker = async (): Promise<void> => {
    for (let cell = queue.shift(); cell !== undefined && !signal.aborted; cell = queue.shift()) {
      const result = await runCell(context, cell).catch((error: unknown) => {
        stop.abort(error);
        throw error;
      });
      if (result === null) return;
      appendResult(run.outDir, result);
      ran++;
      const attempts = result.attempts.map((a) => (a.hiddenPassed === true ? '✔' : '✘')).join('');
      run.onProgress(`${result.resolved ? '✔' : '✘'} ${cell.task.id} · ${result.configuration} · rep ${cell.rep + 1}: run ${result.runId ?? '-'} ${result.runStatus}, hidden check ${result.resolved ? 'passes' : 'fails'} (attempts ${attempts || 'none'})`);
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(run.parallel, pending.length)) }, worker));
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed !== undefined) throw failed.reason;

  const results = readResults(run.outDir).filter((r) => ids.has(key(r.cell, r.taskHash)));
  const order = new Map(run.cells.map((c, i) => [c.id, i]));
  results.sort((a, b) => (order.get(a.cell) ?? 0) - (order.get(b.cell) ?? 0));
  const passingBases = Object.entries(readTaskBases(run.outDir)).filter(([id, base]) => base.passesOnBase && run.cells.some((c) => c.task.id === id)).map(([id]) => id);
  const reportPath = writeReport(run.outDir, run.suite.name, results, passingBases);
  return { passingBases, results, summaries: summarise(results), ran, skipped, interrupted: run.signal.aborted, scripted: results.some((r) => r.scripted), reportPath };
}
