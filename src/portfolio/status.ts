// What `orch status`, the API and the dashboard show of the portfolio: is the daemon up, and per project whether
// it works or why not, its backlog counts, its spend, its last cycle and when the next one is due.
// The shapes are the domain's (domain/portfolio-api.ts).
import type { CycleSummary, PortfolioStatus, ProjectStatus } from '../domain/portfolio-api.ts';
import type { Store } from '../store/store.ts';
import { projectSpend, reserveCycle } from './budget.ts';
import type { Portfolio } from './config.ts';
import { readDaemon } from './lock.ts';

export function portfolioStatus(store: Store, portfolio: Portfolio, home: string): PortfolioStatus {
  const daemon = readDaemon(home);
  const projects = portfolio.projects.map((project): ProjectStatus => {
    const spend = projectSpend(store, project.name);
    const paused = store.projects.get(project.path);
    const reservation = reserveCycle(store, portfolio, project);
    const cycles = store.cycles.list(project.name, 100_000);
    const last = cycles[0];
    const [state, why]: [ProjectStatus['state'], string | null] = !project.enabled
      ? ['disabled', 'disabled in the portfolio file']
      : paused.paused
        ? ['paused', paused.pausedReason ?? 'paused by hand']
        : !reservation.ok
          ? ['held', reservation.reason]
          : ['active', null];
    const next = daemon?.next[project.name];
    return {
      name: project.name,
      path: project.path,
      priority: project.priority,
      state,
      why,
      tasks: store.backlog.counts(project.name),
      costTodayUsd: spend.today,
      costMonthUsd: spend.month,
      costTotalUsd: spend.total,
      budget: { dailyUsd: project.budget.dailyUsd ?? null, monthlyUsd: project.budget.monthlyUsd ?? null },
      lastCycle: last ? { runId: last.runId, status: store.runs.get(last.runId).status, startedAt: last.startedAt, summary: last.summary } : null,
      cycles: cycles.length,
      nextCycleAt: state === 'active' && next !== undefined && !Number.isNaN(Date.parse(next)) ? next : null,
    };
  });
  return { portfolio: portfolio.name, daemon: { running: daemon !== null, pid: daemon?.pid ?? null, since: daemon?.startedAt ?? null }, projects };
}

/** A project's cycles, newest first, with their runs' status and cost. */
export function cycleSummaries(store: Store, project: string, limit = 50): CycleSummary[] {
  return store.cycles.list(project, limit).map((cycle) => {
    const run = store.runs.get(cycle.runId);
    return { runId: cycle.runId, project, status: run.status, startedAt: cycle.startedAt, settledAt: cycle.settledAt, reservedUsd: cycle.reservedUsd, costUsd: run.costUsd, summary: cycle.summary, planPath: cycle.planPath };
  });
}
