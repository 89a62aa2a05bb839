// `orch project status|pause|unpause`: the project's patrol state. A project pauses itself after too many
// failed runs in a row (patrol.pauseAfterFailures), and no run starts until someone unpauses it.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { openRepository } from '../../git/index.ts';
import { openContext } from '../context.ts';
import { UsageError } from '../../domain/errors.ts';
import { printJson, printOut } from '../output.ts';

export function registerProject(program: Command): void {
  const project = program.command('project');
  // --project names a portfolio project (seed 001's `orch pause --project`); --repo a repository by path.
  const withProject = (action: (root: string, json: boolean) => Promise<void>) => async (flags: { repo?: string; project?: string; portfolio?: string; json?: boolean }) => {
    if (flags.project !== undefined && flags.repo !== undefined) throw new UsageError('Pass --project or --repo, not both.');
    let path = resolve(flags.repo ?? '.');
    if (flags.project !== undefined) {
      const { findProject, loadPortfolio } = await import('../../portfolio/config.ts');
      const { portfolioPath } = await import('./portfolio.ts');
      path = findProject(loadPortfolio(portfolioPath(flags)), flags.project).path;
    }
    const repo = await openRepository(path);
    await action(repo.root, flags.json === true);
  };
  project
    .command('status')
    .description('Whether the project is paused, and how many runs in a row have failed.')
    .option('--repo <path>', 'the repository (default: the current directory)')
    .option('--project <name>', 'a portfolio project, by name')
    .option('--portfolio <path>', 'the portfolio file for --project (default: $ORCH_HOME/portfolio.jsonc)')
    .option('--json', 'machine-readable output')
    .action(
      withProject(async (root, json) => {
        const context = await openContext({ engine: false });
        try {
          const state = context.store.projects.get(root);
          if (json) return printJson(state);
          printOut(`${root}: ${state.paused ? `PAUSED (${state.pausedReason ?? 'by hand'})` : 'active'}; ${state.consecutiveFailures} failed run(s) in a row`);
        } finally {
          context.close();
        }
      }),
    );
  for (const [name, paused] of [
    ['pause', true],
    ['unpause', false],
  ] as const) {
    project
      .command(name)
      .description(paused ? 'Stop new runs from starting in this project.' : 'Let runs start again (and reset the failure count).')
      .option('--repo <path>', 'the repository (default: the current directory)')
    .option('--project <name>', 'a portfolio project, by name')
    .option('--portfolio <path>', 'the portfolio file for --project (default: $ORCH_HOME/portfolio.jsonc)')
      .option('--json', 'machine-readable output')
      .action(
        withProject(async (root, json) => {
          const context = await openContext({ engine: false });
          try {
            const state = context.store.projects.setPaused(root, paused, paused ? 'paused by hand' : null);
            if (json) return printJson(state);
            printOut(`${root}: ${state.paused ? 'paused' : 'active again'}`);
          } finally {
            context.close();
          }
        }),
      );
  }
}
