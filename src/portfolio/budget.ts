// The portfolio's money: what each project and the whole portfolio spent this UTC day and month, and the
// reservation a cycle takes before it starts. A cycle's reservation is its run budget (maxRunCostUsd), so
// parallel attempts cannot spend past it; a cycle that has not been settled counts at the larger of its
// reservation and what it spent, so two cycles starting together cannot both take the same dollars.
import type { Store } from '../store/store.ts';
import type { Portfolio, PortfolioProject } from './config.ts';

export interface Spend {
  today: number;
  month: number;
  total: number;
}

const dayStart = (now: Date): string => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())).toISOString();
const monthStart = (now: Date): string => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString();

export function projectSpend(store: Store, project: string, now = new Date()): Spend {
  const day = dayStart(now);
  const month = monthStart(now);
  const spend: Spend = { today: 0, month: 0, total: 0 };
  for (const cycle of store.cycles.list(project, 100_000)) {
    const cost = store.runs.get(cycle.runId).costUsd;
    const counted = cycle.settledAt === null ? Math.max(cost, cycle.reservedUsd) : cost;
    spend.total += counted;
    if (cycle.startedAt >= month) spend.month += counted;
    if (cycle.startedAt >= day) spend.today += counted;
  }
  return spend;
}

export interface Reservation {
  ok: boolean;
  usd: number;
  /** Why no cycle may start (which cap is spent, and when it opens again). */
  reason: string | null;
}

/** What one cycle may spend at most if nothing stops it: every task's cap, with one more for the planner and judge. */
export function cycleEstimate(project: PortfolioProject): number {
  const perTask = project.maxBudgetPerTask * (project.worker.n ?? 1) * (project.worker.rounds ?? 1);
  return perTask * ((project.maxTasksPerCycle ?? project.maxWorkers) + 1);
}

const nextDay = (now: Date): string => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1)).toISOString();
const nextMonth = (now: Date): string => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();

/** The reservation for a cycle of `project` now, or why none can be made. `pending` is reserved but not yet recorded. */
export function reserveCycle(store: Store, portfolio: Portfolio, project: PortfolioProject, pending = 0, now = new Date()): Reservation {
  const mine = projectSpend(store, project.name, now);
  const all = portfolio.projects.map((p) => projectSpend(store, p.name, now));
  const sum = (pick: (s: Spend) => number) => all.reduce((total, s) => total + pick(s), 0) + pending;
  const caps = [
    { left: project.budget.dailyUsd === undefined ? Infinity : project.budget.dailyUsd - mine.today, cap: project.budget.dailyUsd, what: `daily budget of ${project.name}`, until: nextDay(now) },
    { left: project.budget.monthlyUsd === undefined ? Infinity : project.budget.monthlyUsd - mine.month, cap: project.budget.monthlyUsd, what: `monthly budget of ${project.name}`, until: nextMonth(now) },
    { left: portfolio.budget.dailyUsd === undefined ? Infinity : portfolio.budget.dailyUsd - sum((s) => s.today), cap: portfolio.budget.dailyUsd, what: "the portfolio's daily budget", until: nextDay(now) },
    { left: portfolio.budget.monthlyUsd === undefined ? Infinity : portfolio.budget.monthlyUsd - sum((s) => s.month), cap: portfolio.budget.monthlyUsd, what: "the portfolio's monthly budget", until: nextMonth(now) },
  ];
  for (const cap of caps) {
    if (cap.left <= 0.0001) return { ok: false, usd: 0, reason: `${cap.what} is spent ($${(cap.cap ?? 0).toFixed(2)}); cycles start again at ${cap.until}` };
  }
  const usd = Math.min(cycleEstimate(project), ...caps.map((c) => c.left));
  return { ok: true, usd: Math.round(usd * 10_000) / 10_000, reason: null };
}
