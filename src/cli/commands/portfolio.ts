// The portfolio's commands (seed 001's, fitted to orch's CLI): `orch start` (the daemon), `orch status`,
// `orch cycle --project` (one cycle now), `orch tasks --project [--status]`, `orch add-task --project`.
// Pausing and resuming a project is `orch project pause|unpause --project <name>` (orch's `resume` takes a run).
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { backlogStatuses, backlogTaskTypes, newBacklogTaskSchema, type BacklogStatus } from '../../domain/backlog.ts';
import { UsageError } from '../../domain/errors.ts';
import { resolveOrchHome } from '../../domain/paths.ts';
import { defaultPortfolioPath, findProject, loadPortfolio, type Portfolio } from '../../portfolio/config.ts';
import { openContext } from '../context.ts';
import { printErr, printJson, printOut } from '../output.ts';
import { usd } from '../../report/markdown.ts';
import { issueOfTask } from '../../portfolio/sources/github-issues.ts';

interface PortfolioFlags {
  portfolio?: string;
  json?: boolean;
}

export const portfolioPath = (flags: { portfolio?: string | undefined }): string => resolve(flags.portfolio ?? defaultPortfolioPath(resolveOrchHome()));

const withPortfolio = (command: Command): Command => command.option('--portfolio <path>', 'the portfolio file (default: $ORCH_HOME/portfolio.jsonc)');

function openPortfolio(flags: PortfolioFlags): { portfolio: Portfolio; path: string } {
  const path = portfolioPath(flags);
  return { portfolio: loadPortfolio(path), path };
}

export function registerStart(program: Command): void {
  withPortfolio(program.command('start'))
    .option('--max-agents <n>', "agents at once across the portfolio (over the file's maxAgents)")
    .action(async (flags: PortfolioFlags & { maxAgents?: string }) => {
      const { portfolio, path } = openPortfolio(flags);
      const { portfolioLogger } = await import('../portfolio-logger.ts');
      const { Engine } = await import('../../engine/run/engine.ts');
      const { openOrchStore } = await import('../../engine/run/preflight.ts');
      const { PortfolioDaemon } = await import('../../portfolio/daemon.ts');
      const { interruptOnSignals } = await import('../signals.ts');
      const { numberFlag } = await import('../number-flag.ts');
      const { maxAgentsRange } = await import('../../domain/ranges.ts');
      const maxAgents = numberFlag('--max-agents', flags.maxAgents, maxAgentsRange) ?? portfolio.maxAgents;
      const home = resolveOrchHome();
      const store = openOrchStore(home);
      const logger = portfolioLogger(portfolio.logLevel);
      const engine = new Engine({ store, home, logger, maxAgents });
      const daemon = new PortfolioDaemon({ engine, portfolio, portfolioPath: path, home, logger });
      const { promise: stopped, resolve: stop } = Promise.withResolvers<NodeJS.Signals>();
      const signals = interruptOnSignals((signal) => stop(signal));
      try {
        await daemon.start();
        printErr(`orch: portfolio daemon up (pid ${process.pid}, ${portfolio.projects.length} project(s), ${maxAgents} agent(s) at once); Ctrl+C stops it`);
        const signal = await stopped;
        printErr(`orch: ${signal}: no new cycle starts; running cycles are interrupted and resume at the next orch start`);
        await daemon.stop(`received ${signal}`);
      } finally {
        signals.dispose();
        store.close();
      }
    });
}

export function registerStatus(program: Command): void {
  withPortfolio(program.command('status'))
    .option('--json', 'machine-readable output')
    .action(async (flags: PortfolioFlags) => {
      const { portfolio } = openPortfolio(flags);
      const { portfolioStatus } = await import('../../portfolio/status.ts');
      const context = await openContext({ engine: false });
      try {
        const status = portfolioStatus(context.store, portfolio, context.home);
        if (flags.json === true) return printJson(status);
        printOut(`portfolio ${status.portfolio}: daemon ${status.daemon.running ? `up (pid ${status.daemon.pid ?? '?'}, since ${status.daemon.since ?? '?'})` : 'down (start it with: orch start)'}`);
        for (const p of status.projects) {
          printOut(`\n${p.name} (${p.path}, priority ${p.priority}): ${p.state}${p.why ? ` — ${p.why}` : ''}`);
          printOut(`  tasks: ${p.tasks.pending} pending, ${p.tasks.running} running, ${p.tasks.done} done, ${p.tasks.failed} failed, ${p.tasks.deferred} deferred, ${p.tasks.blocked} blocked`);
          const cap = p.budget.dailyUsd === null ? '' : ` of ${usd(p.budget.dailyUsd)} a day`;
          printOut(`  cost: ${usd(p.costTodayUsd)} today${cap}, ${usd(p.costTotalUsd)} in total; ${p.cycles} cycle(s)`);
          printOut(`  last cycle: ${p.lastCycle ? `${p.lastCycle.runId} ${p.lastCycle.status}${p.lastCycle.summary ? ` — ${p.lastCycle.summary}` : ''}` : 'none yet'}`);
          printOut(`  next cycle: ${p.nextCycleAt ?? (status.daemon.running ? 'none scheduled' : 'when the daemon runs')}`);
        }
      } finally {
        context.close();
      }
    });
}

export function registerCycle(program: Command): void {
  withPortfolio(program.command('cycle'))
    .requiredOption('--project <name>', 'the portfolio project')
    .option('--json', 'print the cycle report as JSON')
    .action(async (flags: PortfolioFlags & { project: string }) => {
      const { portfolio } = openPortfolio(flags);
      const project = findProject(portfolio, flags.project);
      const { startCycle, settleCycle, trackRunningBacklog } = await import('../../portfolio/cycles.ts');
      const { IssueNews } = await import('../../portfolio/issue-news.ts');
      const { interruptOnSignals } = await import('../signals.ts');
      const context = await openContext({ maxAgents: portfolio.maxAgents });
      const signals = interruptOnSignals(() => printErr('orch: stopping the cycle (resumable: orch resume <run>) …'));
      const untrack = trackRunningBacklog(context.store);
      const news = new IssueNews(context.store, portfolio.projects, { warn: (message, error) => printErr(`orch: ${message}: ${(error as Error).message}`) });
      const untrackIssues = news.track();
      try {
        await context.recover();
        const started = await startCycle(context.engine, portfolio, project, { configDir: join(context.home, 'portfolio'), signal: signals.signal });
        if (started.status === 'refused') throw new UsageError(`No cycle of ${project.name} started: ${started.reason}.`);
        printErr(`orch: cycle ${started.handle.runId} of ${project.name} started (reserved ${usd(started.reservedUsd)})`);
        const report = await started.handle.done.catch((error: unknown) => error);
        const summary = ['succeeded', 'failed', 'canceled'].includes(context.store.runs.get(started.handle.runId).status) ? settleCycle(context.store, started.handle.runId) : null;
        if (summary !== null) news.cycleEnded(started.handle.runId);
        await news.flush();
        if (report instanceof Error) throw report;
        if (flags.json === true) printJson({ runId: started.handle.runId, summary, cycle: context.store.cycles.get(started.handle.runId), report });
        else printOut(`cycle ${started.handle.runId}: ${summary ?? 'not settled'}`);
        if (context.store.runs.get(started.handle.runId).status !== 'succeeded') process.exitCode = 1;
      } finally {
        untrack();
        untrackIssues();
        signals.dispose();
        context.close();
      }
    });
}

function statusFlag(value: string | undefined): BacklogStatus | undefined {
  if (value === undefined) return undefined;
  if (!(backlogStatuses as readonly string[]).includes(value)) throw new UsageError(`--status must be one of ${backlogStatuses.join(', ')}, not '${value}'.`);
  return value as BacklogStatus;
}

export function registerTasks(program: Command): void {
  withPortfolio(program.command('tasks'))
    .requiredOption('--project <name>', 'the portfolio project')
    .option('--status <status>', `only tasks in this status (${backlogStatuses.join(', ')})`)
    .option('--defer <id>', 'defer this task (it stays out of cycles until set pending again)')
    .option('--reopen <id>', 'set this deferred or failed task pending again')
    .option('--json', 'machine-readable output')
    .action(async (flags: PortfolioFlags & { project: string; status?: string; defer?: string; reopen?: string }) => {
      const status = statusFlag(flags.status);
      const { portfolio } = openPortfolio(flags);
      const project = findProject(portfolio, flags.project);
      const context = await openContext({ engine: false });
      try {
        for (const [id, to] of [
          [flags.defer, 'deferred'],
          [flags.reopen, 'pending'],
        ] as const) {
          if (id === undefined) continue;
          const task = context.store.backlog.get(taskId(id));
          if (task.project !== project.name) throw new UsageError(`Task ${id} belongs to project ${task.project}, not ${project.name}.`);
          context.store.backlog.setStatus(task.id, to, to === 'deferred' ? 'deferred by hand' : null);
        }
        const tasks = context.store.backlog.list(project.name, status);
        if (flags.json === true) return printJson(tasks.map((t) => ({ ...t, issue: issueOfTask(t) })));
        if (tasks.length === 0) return printOut(`no ${status ?? ''} tasks in ${project.name}`.replace('  ', ' '));
        for (const t of tasks) {
          const issue = issueOfTask(t);
          printOut(`${String(t.id).padStart(4)}  ${t.status.padEnd(8)}  ${t.type.padEnd(6)} p${t.priority}  ${t.title}${issue === null ? '' : `  (#${issue.number} ${issue.url})`}${t.attempts > 0 ? `  (${t.attempts} cycle(s), ${usd(t.costUsd)})` : ''}`);
          if (t.status === 'deferred' && t.reason !== null) printOut(`        ${t.reason}`);
        }
      } finally {
        context.close();
      }
    });
}

function taskId(value: string): number {
  const id = Number(value);
  if (!Number.isInteger(id) || id < 1) throw new UsageError(`A task id is a positive whole number, not '${value}'.`);
  return id;
}

export function registerAddTask(program: Command): void {
  withPortfolio(program.command('add-task'))
    .requiredOption('--project <name>', 'the portfolio project')
    .requiredOption('--title <text>', 'what to do, in one line')
    .option('--desc <text>', 'the details')
    .option('--type <type>', `${backlogTaskTypes.join(', ')}`, 'code')
    .option('--priority <n>', '1 (most urgent) to 9', '2')
    .option('--depends-on <ids>', 'ids of tasks that must be done first, comma-separated')
    .option('--json', 'machine-readable output')
    .action(async (flags: PortfolioFlags & { project: string; title: string; desc?: string; type: string; priority: string; dependsOn?: string }) => {
      const { portfolio } = openPortfolio(flags);
      const project = findProject(portfolio, flags.project);
      const parsed = newBacklogTaskSchema.safeParse({
        title: flags.title,
        description: flags.desc ?? '',
        type: flags.type,
        priority: Number(flags.priority),
        dependsOn: flags.dependsOn === undefined ? [] : flags.dependsOn.split(',').map((s) => Number(s.trim())),
      });
      if (!parsed.success) throw new UsageError(`The task is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'task'}: ${i.message}`).join('; ')}.`);
      const context = await openContext({ engine: false });
      try {
        for (const dep of parsed.data.dependsOn) {
          const other = context.store.backlog.get(dep);
          if (other.project !== project.name) throw new UsageError(`Task ${dep} belongs to project ${other.project}, not ${project.name}.`);
        }
        const { task } = context.store.backlog.add({ project: project.name, ...parsed.data, source: 'manual', sourceId: null });
        if (flags.json === true) return printJson(task);
        printOut(`added task ${task.id} to ${project.name}: ${task.title}`);
      } finally {
        context.close();
      }
    });
}
