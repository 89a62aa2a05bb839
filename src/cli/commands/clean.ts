// `orch clean`: remove what orch created for runs that are over — recorded worktrees, and with --branches
// their orch/ branches. Never anything orch did not record; never a running run's worktree.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { isAlive } from '../../process/registry.ts';
import { commitAll, deleteBranch, listWorktrees, openRepository, removeWorktree } from '../../git/index.ts';
import type { Attempt, Run } from '../../domain/records.ts';
import { openContext } from '../context.ts';
import { printJson, printOut } from '../output.ts';

interface CleanFlags {
  dryRun?: boolean;
  branches?: boolean;
  json?: boolean;
}

interface Planned {
  worktrees: { attemptId: string; path: string; project: string }[];
  branches: { project: string; branch: string }[];
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

function runIsLive(run: Run, ownerAlive: boolean): boolean {
  return (run.status === 'running' || run.status === 'queued') && ownerAlive;
}

export function registerClean(program: Command): void {
  program
    .command('clean')
    .description('Remove worktrees (and with --branches, branches) that orch created for runs that are over.')
    .option('--dry-run', 'show what would be removed, remove nothing')
    .option('--branches', "also delete finished runs' orch/ branches (merged work is already on its target)")
    .option('--json', 'machine-readable output')
    .action(async (flags: CleanFlags) => {
      const context = openContext();
      try {
        if (!flags.dryRun) await context.recover();
        const planned: Planned = { worktrees: [], branches: [] };
        const byRun = new Map<string, Attempt[]>();
        for (const attempt of context.store.attempts.withLiveWorktrees()) {
          byRun.set(attempt.runId, [...(byRun.get(attempt.runId) ?? []), attempt]);
        }
        const runs = context.store.runs.list({ limit: 100000 });
        for (const run of runs) {
          const owner = context.store.runs.ownerPid(run.id);
          const alive = owner !== null && owner !== process.pid && isAlive(owner);
          if (runIsLive(run, alive)) continue;
          for (const attempt of byRun.get(run.id) ?? []) planned.worktrees.push({ attemptId: attempt.id, path: attempt.worktree, project: run.projectPath });
          if (flags.branches) {
            for (const attempt of context.store.attempts.listByRun(run.id)) planned.branches.push({ project: run.projectPath, branch: attempt.branch });
          }
        }
        const unknown = unrecordedWorktrees(context.paths.worktreesRoot, new Set(context.store.attempts.allWorktreePaths()));
        if (!flags.dryRun) {
          for (const item of planned.worktrees) {
            const repo = await openRepository(item.project);
            const known = (await listWorktrees(repo)).some((w) => w.path === item.path);
            if (known) {
              // Work an agent left uncommitted (an orch killed mid-attempt) goes onto its branch first: nothing is lost.
              await commitAll(item.path, 'orch: work left in the worktree when it was cleaned');
              await removeWorktree(repo, item.path);
            }
            context.store.attempts.markWorktreeRemoved(item.attemptId);
          }
          for (const item of planned.branches) await deleteBranch(await openRepository(item.project), item.branch);
        }
        if (flags.json) return printJson({ dryRun: flags.dryRun === true, ...planned, unrecorded: unknown });
        const verb = flags.dryRun ? 'would remove' : 'removed';
        for (const w of planned.worktrees) printOut(`${verb} worktree ${w.path} (uncommitted work is committed to its branch first)`);
        for (const b of planned.branches) printOut(`${verb} branch ${b.branch} in ${b.project}`);
        for (const path of unknown) printOut(`left alone: ${path} is under ORCH_HOME but orch has no record of it; remove it by hand if you do not need it`);
        if (planned.worktrees.length + planned.branches.length + unknown.length === 0) printOut('Nothing to clean.');
      } finally {
        context.close();
      }
    });
}
