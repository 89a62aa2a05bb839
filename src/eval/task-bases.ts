// Each task's hidden check on its own base, once per eval folder: a check that already passes there measures
// nothing (any run "solves" the task by landing nothing), so the eval says so up front and in the report.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxRequest } from '../sandbox/index.ts';
import { runHiddenCheck } from './hidden-check.ts';
import { suitePath, type EvalTask, type Suite } from './suite.ts';
import { cloneForCell } from './task-repo.ts';

export interface TaskBase {
  baseSha: string;
  /** The hidden check passes before any agent worked: the task is broken (or already done). */
  passesOnBase: boolean;
}

export interface TaskBaseRequest {
  suite: Suite;
  sources: Map<string, string>;
  outDir: string;
  sandbox: SandboxRequest;
  signal?: AbortSignal | undefined;
}

const file = (outDir: string) => join(outDir, 'task-bases.json');

export function readTaskBases(outDir: string): Record<string, TaskBase> {
  if (!existsSync(file(outDir))) return {};
  try {
    return JSON.parse(readFileSync(file(outDir), 'utf8')) as Record<string, TaskBase>;
  } catch {
    return {};
  }
}

/** The tasks' bases, checked where not known yet (a task whose base ref moved is checked again). */
export async function checkTaskBases(request: TaskBaseRequest, tasks: readonly EvalTask[]): Promise<Record<string, TaskBase>> {
  const known = readTaskBases(request.outDir);
  for (const task of tasks) {
    const source = request.sources.get(task.id);
    if (source === undefined) continue;
    const dir = join(request.outDir, 'tasks', task.id);
    const root = join(dir, 'repo');
    const baseSha = await cloneForCell(task, source, root);
    if (known[task.id]?.baseSha === baseSha) continue;
    const patch = task.hidden.patch === undefined ? null : suitePath(request.suite, task.hidden.patch);
    const sandbox: SandboxRequest = task.hidden.network ? { ...request.sandbox, network: 'host' } : request.sandbox;
    const outcome = await runHiddenCheck({ root, sha: baseSha, check: task.hidden, patch, scratch: join(dir, 'hidden'), sandbox, signal: request.signal });
    known[task.id] = { baseSha, passesOnBase: outcome.passed };
    writeFileSync(file(request.outDir), `${JSON.stringify(known, null, 2)}\n`);
  }
  return known;
}
