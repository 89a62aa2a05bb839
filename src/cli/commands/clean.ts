// `orch clean`: remove what orch created for runs that are over — recorded worktrees, and with --branches
// their orch/ branches. The policy (what may go, what must stay) is the engine's (engine/run/cleanup.ts); this
// command prints what it did.
import type { Command } from 'commander';
import { openContext } from '../context.ts';
import { printJson, printOut } from '../output.ts';

interface CleanFlags {
  dryRun?: boolean;
  branches?: boolean;
  json?: boolean;
}

export function registerClean(program: Command): void {
  program
    .command('clean')
    .option('--dry-run', 'show what would be removed, remove nothing')
    .option('--branches', "also delete finished runs' orch/ branches (merged work is already on its target)")
    .option('--json', 'machine-readable output')
    .action(async (flags: CleanFlags) => {
      const context = await openContext();
      try {
        if (!flags.dryRun) await context.recover();
        const cleaned = await context.engine.clean({ dryRun: flags.dryRun === true, branches: flags.branches === true });
        if (flags.json) return printJson(cleaned);
        const verb = flags.dryRun ? 'would remove' : 'removed';
        for (const w of cleaned.worktrees) printOut(`${verb} worktree ${w.path} (uncommitted work is committed to its branch first)`);
        for (const b of cleaned.branches) printOut(`${verb} branch ${b.branch} in ${b.project}`);
        for (const path of cleaned.unrecorded) printOut(`left alone: ${path} is under ORCH_HOME but orch has no record of it; remove it by hand if you do not need it`);
        if (cleaned.worktrees.length + cleaned.branches.length + cleaned.unrecorded.length === 0) printOut('Nothing to clean.');
      } finally {
        context.close();
      }
    });
}
