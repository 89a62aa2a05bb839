// Removing what orch created, and only that: the worktrees recorded for attempts, and (when asked) the branches
// of runs nobody works on any more. A run's end removes its own worktrees; `orch clean` (or the API, or a
// daemon) removes what runs that are over left behind. Never anything orch did not record.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Attempt } from '../../domain/records.ts';
import { commitAll, deleteBranch, listWorktrees, openRepository, removeWorktree, type Repository } from '../../git/index.ts';
import type { Store } from '../../store/store.ts';

const finishedAndCommitted = (attempt: Attempt): boolean =>
  attempt.headSha !== null && (attempt.status === 'succeeded' || attempt.status === 'failed' || attempt.status === 'canceled');

/** A run's recorded worktrees, at its end. Branches stay, so no attempt's work is ever lost. */
export async function removeRunWorktrees(store: Store, logger: Logger, repo: Repository, runId: string): Promise<void> {
  for (const attempt of store.attempts.withLiveWorktrees(runId)) {
    try {
      // Anything left uncommitted (an attempt stopped mid-way) goes onto its branch before the directory goes. A
      // finished attempt's runner committed already; what came after (check artifacts) is not the agent's work.
      if (!finishedAndCommitted(attempt) && existsSync(attempt.worktree)) await commitAll(attempt.worktree, `orch: work left in the worktree of ${attempt.id}`);
      await removeWorktree(repo, attempt.worktree);
      store.attempts.markWorktreeRemoved(attempt.id);
    } catch (error) {
      // Keep the record so `orch clean` finds it later; never guess at deleting something else.
      logger.warn({ attempt: attempt.id, err: error }, 'could not remove worktree');
    }
  }
}

export interface CleanupPlan {
  worktrees: { attemptId: string; path: string; project: string }[];
  branches: { project: string; branch: string }[];
  /** Directories under ORCH_HOME/worktrees that no attempt names: reported, never removed. */
  unrecorded: string[];
}

/** Directories under ORCH_HOME/worktrees/<project>/ that no attempt record names. */
function unrecordedWorktrees(root: string, recorded: ReadonlySet<string>): string[] {
  if (!existsSync(root)) return [];
  const found: string[] = [];
  for (const project of readdirSync(root, { withFileTypes: true })) {
    if (!project.isDirectory()) continue;
    for (const entry of readdirSync(join(root, project.name), { withFileTypes: true })) {
      const path = join(root, project.name, entry.name);
      if (entry.isDirectory() && !recorded.has(path)) found.push(path);
    }
  }
  return found;
}

/**
 * What a clean-up removes: the recorded worktrees of every run nobody works on (`workedOn`: the engine's live
 * runs and live leases), and with `branches` those runs' attempt branches.
 */
export function planCleanup(store: Store, worktreesRoot: string, options: { branches: boolean }, workedOn: (runId: string) => boolean): CleanupPlan {
  const plan: CleanupPlan = { worktrees: [], branches: [], unrecorded: [] };
  const byRun = new Map<string, Attempt[]>();
  for (const attempt of store.attempts.withLiveWorktrees()) byRun.set(attempt.runId, [...(byRun.get(attempt.runId) ?? []), attempt]);
  for (const run of store.runs.list({ limit: 100_000 })) {
    if (workedOn(run.id)) continue;
    for (const attempt of byRun.get(run.id) ?? []) plan.worktrees.push({ attemptId: attempt.id, path: attempt.worktree, project: run.projectPath });
    if (options.branches) {
      for (const attempt of store.attempts.listByRun(run.id)) plan.branches.push({ project: run.projectPath, branch: attempt.branch });
    }
  }
  plan.unrecorded = unrecordedWorktrees(worktreesRoot, new Set(store.attempts.allWorktreePaths()));
  return plan;
}

export async function applyCleanup(store: Store, plan: CleanupPlan): Promise<void> {
  for (const item of plan.worktrees) {
    const repo = await openRepository(item.project);
    if ((await listWorktrees(repo)).some((w) => w.path === item.path)) {
      // Work an agent left uncommitted (an orch killed mid-attempt) goes onto its branch first: nothing is lost.
      await commitAll(item.path, 'orch: work left in the worktree when it was cleaned');
      await removeWorktree(repo, item.path);
    }
    store.attempts.markWorktreeRemoved(item.attemptId);
  }
  for (const item of plan.branches) await deleteBranch(await openRepository(item.project), item.branch);
}
