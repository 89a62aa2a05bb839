// One cell of the matrix: a normal orch run in a throwaway clone, then the hidden check on what it landed and on
// every attempt's commit (pass@k: would a perfect selection have found a passing attempt?).
import { join } from 'node:path';
import { git } from '../git/index.ts';
import type { CellContext } from './cell-setup.ts';
import { runCellRun } from './cell-run.ts';
import { runHiddenCheck, type HiddenOutcome } from './hidden-check.ts';
import { configurationLabel, type Cell } from './matrix.ts';
import type { CellResult } from './results.ts';
import { suitePath } from './suite.ts';
import { evalTarget } from './task-repo.ts';

export type { CellContext } from './cell-setup.ts';
export { readScripts } from './cell-setup.ts';

async function tipOf(root: string): Promise<string> {
  return (await git(['rev-parse', `refs/heads/${evalTarget}`], { cwd: root })).stdout.trim();
}

export async function runCell(ctx: CellContext, cell: Cell): Promise<CellResult | null> {
  const { report, baseSha, root, cellDir, scripted, durationMs } = await runCellRun(ctx, cell);
  if (report === null) return null;

  const hidden = new Map<string, Promise<HiddenOutcome>>();
  const patch = cell.task.hidden.patch === undefined ? null : suitePath(ctx.suite, cell.task.hidden.patch);
  const judge = (sha: string): Promise<HiddenOutcome> => {
    let outcome = hidden.get(sha);
    if (outcome === undefined) {
      // One at a time: each check gets the machine to itself, as it would alone.
      const previous = Promise.all(hidden.values()).catch(() => undefined);
      const scratch = join(cellDir, `hidden-${hidden.size}`);
      outcome = previous.then(() => runHiddenCheck({ root, sha, check: cell.task.hidden, patch, scratch, sandbox: cell.task.hidden.network ? { ...ctx.hiddenSandbox, network: 'host' } : ctx.hiddenSandbox, signal: ctx.signal }));
      hidden.set(sha, outcome);
    }
    return outcome;
  };
  const tip = await tipOf(root);
  const landed = await judge(tip);
  const merged = new Set(report.merges.filter((m) => m.status === 'merged' && m.attemptId !== null).map((m) => m.attemptId));
  const attempts = await Promise.all(
    // An attempt the eval's own Ctrl+C stopped (and the resume did again) is not one of the run's k.
    report.attempts.filter((a) => a.status !== 'interrupted').map(async (attempt) => {
      const changed = attempt.headSha !== null && attempt.headSha !== baseSha;
      const verdict = report.verdicts.filter((v) => v.attemptId === attempt.id).at(-1);
      return {
        id: attempt.id,
        n: attempt.n,
        checksPassed: verdict?.passed ?? null,
        hiddenPassed: changed && attempt.headSha !== null ? (await judge(attempt.headSha)).passed : null,
        selected: merged.has(attempt.id),
      };
    }),
  );
  return {
    cell: cell.id,
    task: cell.task.id,
    agent: cell.agent,
    model: cell.model,
    strategy: cell.strategy.label,
    configuration: configurationLabel(cell),
    rep: cell.rep,
    taskHash: cell.taskHash,
    scripted,
    runId: report.run.id,
    runStatus: report.run.status,
    landed: tip !== baseSha,
    resolved: landed.passed,
    passAtK: attempts.some((a) => a.hiddenPassed === true),
    attempts,
    costUsd: report.run.costUsd,
    durationMs,
    hiddenOutput: landed.output,
    error: report.run.status === 'succeeded' ? null : (report.run.reason ?? report.run.status),
    finishedAt: new Date().toISOString(),
  };
}
