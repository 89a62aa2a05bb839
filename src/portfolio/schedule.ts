// When a project's next cycle is due: a cron pattern (croner) or a fixed interval counted from its last cycle's
// start. At daemon start a tick missed while it was down is due at once — once, however many were missed.
import { Cron } from 'croner';
import type { PortfolioProject } from './config.ts';

/** The first tick strictly after `after`. */
export function nextTick(project: PortfolioProject, after: Date, lastStart: Date | null): Date {
  if (project.schedule !== undefined) {
    const cron = new Cron(project.schedule, { paused: true });
    const next = cron.nextRun(after);
    cron.stop();
    return next ?? new Date(8.64e15);
  }
  const interval = project.cycleIntervalMinutes * 60_000;
  if (lastStart === null) return new Date(after.getTime() + interval);
  const periods = Math.floor((after.getTime() - lastStart.getTime()) / interval) + 1;
  return new Date(lastStart.getTime() + Math.max(1, periods) * interval);
}

/** The first tick at daemon start: now if one was due while the daemon was down (or there was never a cycle). */
export function firstTick(project: PortfolioProject, now: Date, lastStart: Date | null): Date {
  if (lastStart === null) return project.schedule === undefined ? now : nextTick(project, now, null);
  const due = nextTick(project, lastStart, lastStart);
  return due.getTime() <= now.getTime() ? now : due;
}
