// `orch runs` and `orch show <run>`: reading the record.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../domain/errors.ts';
import { nearestGitTop, openRepository } from '../../git/index.ts';
import { diffSummary, resultMarkdown, usd } from '../../report/markdown.ts';
import { runTimeline } from '../../report/run-timeline.ts';
import { timelineSummaryMarkdown, timelineText } from '../../report/timeline-text.ts';
import { listLimitRange } from '../../domain/ranges.ts';
import { openContext } from '../context.ts';
import { numberFlag } from '../number-flag.ts';
import { printJson, printOut } from '../output.ts';
import { runReport } from '../../store/run-report.ts';
import type { Store } from '../../store/store.ts';

/**
 * The project whose runs `orch runs` lists: the repository around the working directory. A directory with runs on
 * record that holds the nearest `.git` is taken as it is (no git process: this is most of what `orch runs` would
 * spend); anything else is asked of git.
 */
async function projectOf(store: Store): Promise<string | undefined> {
  const nearest = nearestGitTop(process.cwd());
  if (nearest !== undefined && store.runs.list({ projectPath: nearest, limit: 1 }).length > 0) return nearest;
  try {
    return (await openRepository(process.cwd())).root;
  } catch {
    return undefined; // outside a repository: list every project's runs
  }
}

export function registerInspect(program: Command): void {
  program
    .command('runs')
    .option('--repo <path>', "the repository whose runs to list (default: the current directory's)")
    .option('--all', 'runs of every project')
    .option('--limit <n>', 'how many', '20')
    .option('--json', 'machine-readable output')
    .action(async (flags: { all?: boolean; repo?: string; limit: string; json?: boolean }) => {
      const limit = numberFlag('--limit', flags.limit, listLimitRange) ?? 20;
      if (flags.all && flags.repo !== undefined) throw new UsageError('--all and --repo contradict each other.', { hint: 'Give one: --repo <path> for one repository, --all for every one.' });
      // A repository named with --repo must be one (its error says why); the current directory may be anything.
      const named = flags.repo !== undefined ? (await openRepository(resolve(flags.repo))).root : undefined;
      const context = await openContext({ engine: false });
      try {
        const projectPath = flags.all ? undefined : (named ?? (await projectOf(context.store)));
        await context.recover();
        const runs = context.store.runs.list({ ...(projectPath ? { projectPath } : {}), limit });
        if (flags.json) return printJson(runs);
        const state = projectPath ? context.store.projects.get(projectPath) : undefined;
        if (state?.paused) printOut(`This project is PAUSED (${state.pausedReason ?? 'by hand'}); no run starts until: orch project unpause\n`);
        if (runs.length === 0) return printOut('No runs yet. Start one with: orch run "<goal>"');
        for (const run of runs) {
          printOut(`${run.id}  ${run.status.padEnd(11)} ${usd(run.costUsd).padStart(8)}  ${run.createdAt.slice(0, 19)}  ${run.goal.split('\n')[0]?.slice(0, 60) ?? ''}`);
        }
      } finally {
        context.close();
      }
    });

  program
    .command('show')
    .argument('<run>', 'run id (a unique prefix will do)')
    .option('--timeline', "the run in time: a lane per attempt and task, its phases, wall and agent time, parallel efficiency, critical path, slowest check, most expensive attempt")
    .option('--json', 'machine-readable output')
    .action(async (runId: string, flags: { json?: boolean; timeline?: boolean }) => {
      const context = await openContext({ engine: false });
      try {
        const run = context.store.runs.resolvePrefix(runId);
        if (flags.timeline) {
          const timeline = runTimeline(context.store, run.id);
          return flags.json ? printJson(timeline) : printOut(timelineText(timeline));
        }
        const report = runReport(context.store, run.id);
        if (flags.json) return printJson(report);
        printOut(resultMarkdown(report.run, report.attempts, report.verdicts, report.merges, report.comparisons, report.children) + timelineSummaryMarkdown(runTimeline(context.store, run.id)));
        for (const attempt of report.attempts) {
          const ranOn = report.workers.filter((w) => w.attemptId === attempt.id).map((w) => `${w.worker} (${w.host})`);
          const where = ranOn.length === 0 ? '' : `  worker: ${ranOn.join(' → ')}`;
          printOut(`${attempt.id}: ${attempt.branch}  ${diffSummary(attempt)}${where}  logs: orch logs ${attempt.id}`);
        }
      } finally {
        context.close();
      }
    });
}
