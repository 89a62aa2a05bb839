// A cell's orch run: started in a fresh clone, or — when an earlier eval was stopped in the middle of it — resumed
// where it stopped (its finished attempts are not done again). A marker beside the clone names the cell's run.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditedRunReport } from '../domain/run-report.ts';
import type { RunHandle } from '../engine/run/engine.ts';
import { startScriptedAnthropicServer, type ScriptedAnthropicServer } from '../testkit/index.ts';
import { readScripts, runConfig, type CellContext } from './cell-setup.ts';
import type { Cell } from './matrix.ts';
import { cloneForCell, evalTarget } from './task-repo.ts';

interface Marker {
  runId: string;
  baseSha: string;
  taskHash: string;
}

export interface CellRun {
  /** Null when the eval was stopped before the run ended. */
  report: AuditedRunReport | null;
  baseSha: string;
  root: string;
  cellDir: string;
  scripted: boolean;
  resumed: boolean;
  durationMs: number;
}

function readMarker(path: string): Marker | null {
  try {
    const marker = JSON.parse(readFileSync(path, 'utf8')) as Partial<Marker>;
    return typeof marker.runId === 'string' && typeof marker.baseSha === 'string' && typeof marker.taskHash === 'string'
      ? { runId: marker.runId, baseSha: marker.baseSha, taskHash: marker.taskHash }
      : null;
  } catch {
    return null;
  }
}

/** The cell's interrupted run, if there is one to take up (its clone still there, its status interrupted, its task
 * defined as it is now). */
function interruptedRun(ctx: CellContext, cell: Cell, cellDir: string, root: string): Marker | null {
  const marker = readMarker(join(cellDir, 'run.json'));
  if (marker === null || marker.taskHash !== cell.taskHash || !existsSync(root)) return null;
  try {
    return ctx.engine.store.runs.get(marker.runId).status === 'interrupted' ? marker : null;
  } catch {
    return null;
  }
}

function scriptedServer(ctx: CellContext, cell: Cell): Promise<ScriptedAnthropicServer> | null {
  return cell.task.script === undefined ? null : startScriptedAnthropicServer({ scripts: readScripts(ctx.suite, cell.task.script) });
}

export async function runCellRun(ctx: CellContext, cell: Cell): Promise<CellRun> {
  const cellDir = join(ctx.outDir, 'cells', cell.slug);
  const root = join(cellDir, 'repo');
  const earlier = interruptedRun(ctx, cell, cellDir, root);
  const baseSha = earlier?.baseSha ?? (await cloneForCell(cell.task, ctx.sources.get(cell.task.id) ?? cell.task.repo, root));
  const server = await scriptedServer(ctx, cell);
  const started = Date.now();
  try {
    const configPath = runConfig(ctx, cell, cellDir);
    const agentEnv: Record<string, string> = server === null ? {} : { ANTHROPIC_BASE_URL: server.url, ANTHROPIC_API_KEY: 'scripted-eval-key', ANTHROPIC_AUTH_TOKEN: '', CLAUDE_CONFIG_DIR: join(cellDir, 'claude') };
    let handle: RunHandle;
    if (earlier !== null) {
      handle = await ctx.engine.resumeRun(earlier.runId, { signal: ctx.signal, agentEnv });
    } else {
      handle = await ctx.engine.startRun(
        {
          repoPath: root,
          goal: cell.task.goal,
          strategy: cell.strategy.name,
          params: cell.strategy.params,
          agent: cell.agent,
          ...(cell.model === null ? {} : { model: cell.model }),
          target: evalTarget,
          ...(cell.task.testCmd === undefined ? {} : { testCmd: cell.task.testCmd }),
          ...(configPath === undefined ? {} : { configPath }),
          ...(ctx.sandbox === undefined ? {} : { sandbox: ctx.sandbox }),
          ...(ctx.review ? { review: true } : {}),
          agentEnv,
        },
        { signal: ctx.signal },
      );
      writeFileSync(join(cellDir, 'run.json'), `${JSON.stringify({ runId: handle.runId, baseSha, taskHash: cell.taskHash } satisfies Marker)}\n`);
    }
    ctx.onStarted?.(cell, handle.runId, earlier !== null);
    // Stopped (Ctrl+C), the run ends interrupted and `done` rejects: the cell is left for the next eval to resume.
    const report = await handle.done.catch((error: unknown) => {
      if (ctx.signal.aborted) return null;
      throw error;
    });
    const over = report === null || report.run.status === 'interrupted' || ctx.signal.aborted;
    return { report: over ? null : report, baseSha, root, cellDir, scripted: server !== null, resumed: earlier !== null, durationMs: Date.now() - started };
  } finally {
    await server?.close();
  }
}
