// The portfolio daemon: one more owner of runs beside the CLI and the server. Every enabled project gets cycles
// on its schedule; at most one cycle per project runs at a time (a tick that comes meanwhile is skipped and
// logged); the portfolio's agent limit is the engine's, and ticks that fall due together start by priority.
// Stopping interrupts running cycles (resumable); the next start resumes them and settles what ended.
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Engine, RunHandle } from '../engine/run/engine.ts';
import { recoverOnStart } from '../engine/run/reconcile.ts';
import type { Portfolio, PortfolioProject } from './config.ts';
import { isCycleOver, openCycle, settleCycle, startCycle, trackRunningBacklog } from './cycles.ts';
import { IssueNews } from './issue-news.ts';
import { DaemonLock } from './lock.ts';
import { firstTick, nextTick } from './schedule.ts';

export interface DaemonOptions {
  engine: Engine;
  portfolio: Portfolio;
  portfolioPath: string;
  home: string;
  logger: Logger;
}

export class PortfolioDaemon {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly watching = new Map<string, Promise<void>>();
  private readonly next: Record<string, string> = {};
  private readonly due: PortfolioProject[] = [];
  private draining = false;
  private stopping = false;
  private lock: DaemonLock | undefined;
  private untrack: (() => void) | undefined;
  private untrackIssues: (() => void) | undefined;
  private readonly news: IssueNews;

  constructor(private readonly options: DaemonOptions) {
    this.news = new IssueNews(options.engine.store, options.portfolio.projects, { warn: (message, error) => options.logger.warn({ err: error }, message) });
  }


  private get store() {
    return this.options.engine.store;
  }

  async start(): Promise<void> {
    const { home, portfolioPath, portfolio, logger } = this.options;
    this.lock = DaemonLock.acquire(home, portfolioPath);
    try {
      this.untrack = trackRunningBacklog(this.store);
      this.untrackIssues = this.news.track();
      const recovery = await recoverOnStart(this.store, logger);
      if (recovery.interruptedRuns.length > 0) logger.info({ runs: recovery.interruptedRuns }, 'runs left running by an orch that died are interrupted now');
      await this.takeUpCycles();
      for (const project of portfolio.projects) {
        if (!project.enabled) {
          this.next[project.name] = 'disabled in the portfolio';
          continue;
        }
        const last = this.store.cycles.list(project.name, 1)[0];
        this.arm(project, firstTick(project, new Date(), last ? new Date(last.startedAt) : null));
      }
      this.publish();
      logger.info({ portfolio: portfolio.name, projects: portfolio.projects.length, maxAgents: portfolio.maxAgents }, 'portfolio daemon started');
    } catch (error) {
      this.untrack?.();
      this.untrackIssues?.();
      this.lock.release();
      throw error;
    }
  }

  /** Stop starting cycles, interrupt the running ones (they stay resumable), release the lock. */
  async stop(reason = 'the daemon is stopping'): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.options.logger.info({ reason, cycles: this.watching.size }, 'daemon stopping: running cycles are interrupted and resume at the next start');
    await this.options.engine.stopAll(reason);
    await Promise.allSettled(this.watching.values());
    await this.news.flush();
    this.untrack?.();
    this.untrackIssues?.();
    this.lock?.release();
  }

  /** Cycles a previous daemon left: settle those whose run is over, resume the interrupted ones. */
  private async takeUpCycles(): Promise<void> {
    for (const cycle of this.store.cycles.unsettled()) {
      const project = this.options.portfolio.projects.find((p) => p.name === cycle.project);
      const run = this.store.runs.get(cycle.runId);
      if (isCycleOver(run.status)) {
        this.options.logger.info({ project: cycle.project, run: run.id, summary: settleCycle(this.store, run.id) }, 'cycle settled');
        this.news.cycleEnded(run.id);
        continue;
      }
      if (project === undefined) {
        this.options.logger.warn({ project: cycle.project, run: run.id }, 'an interrupted cycle belongs to a project no longer in the portfolio; resume it with orch resume');
        continue;
      }
      try {
        const handle = await this.options.engine.resumeRun(run.id);
        this.options.logger.info({ project: project.name, run: run.id }, 'interrupted cycle resumed');
        this.watch(project, handle);
      } catch (error) {
        this.options.logger.error({ project: project.name, run: run.id, err: error }, 'could not resume an interrupted cycle');
      }
    }
  }

  private arm(project: PortfolioProject, at: Date): void {
    if (this.stopping) return;
    clearTimeout(this.timers.get(project.name));
    this.next[project.name] = at.toISOString();
    // Timers cap at about 24.8 days; a later tick re-arms on waking.
    const wait = Math.min(Math.max(0, at.getTime() - Date.now()), 2 ** 31 - 1);
    this.timers.set(
      project.name,
      setTimeout(() => this.tick(project, at), wait),
    );
    this.publish();
  }

  private tick(project: PortfolioProject, at: Date): void {
    if (this.stopping) return;
    if (at.getTime() > Date.now() + 1000) return this.arm(project, at);
    const last = this.store.cycles.list(project.name, 1)[0];
    this.arm(project, nextTick(project, new Date(), last ? new Date(last.startedAt) : null));
    const running = this.watching.has(project.name) ? openCycle(this.store, project.name) : null;
    if (running !== null) {
      this.options.logger.info({ project: project.name, run: running }, 'tick skipped: the previous cycle of this project is still running');
      return;
    }
    this.due.push(project);
    // Ticks that fall due together start by priority (lower number first), one after the other: each cycle's
    // reservation is recorded before the next one reserves.
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.due.length > 0 && !this.stopping) {
        this.due.sort((a, b) => a.priority - b.priority);
        const project = this.due.shift();
        if (project !== undefined) await this.begin(project);
      }
    } finally {
      this.draining = false;
    }
  }

  private async begin(project: PortfolioProject): Promise<void> {
    const { engine, portfolio, home, logger } = this.options;
    try {
      const started = await startCycle(engine, portfolio, project, { configDir: join(home, 'portfolio') });
      if (started.status === 'refused') {
        logger.info({ project: project.name, reason: started.reason }, 'no cycle started');
        return;
      }
      logger.info({ project: project.name, run: started.handle.runId, reservedUsd: started.reservedUsd }, 'cycle started');
      this.watch(project, started.handle);
    } catch (error) {
      logger.error({ project: project.name, err: error }, 'the cycle could not start');
    }
  }

  private watch(project: PortfolioProject, handle: RunHandle): void {
    const { logger } = this.options;
    const watcher = handle.done
      .then(
        () => undefined,
        (error: unknown) => error,
      )
      .then((error) => {
        const status = this.store.runs.get(handle.runId).status;
        if (!isCycleOver(status)) {
          logger.info({ project: project.name, run: handle.runId, status }, 'cycle stopped before its end; it resumes at the next start');
          return;
        }
        if (error !== undefined) logger.warn({ project: project.name, run: handle.runId, err: error }, 'cycle ended with an error');
        logger.info({ project: project.name, run: handle.runId, summary: settleCycle(this.store, handle.runId) }, 'cycle ended');
        this.news.cycleEnded(handle.runId);
      })
      .catch((error: unknown) => logger.error({ project: project.name, run: handle.runId, err: error }, 'could not settle the cycle'))
      .finally(() => {
        this.watching.delete(project.name);
        this.publish();
      });
    this.watching.set(project.name, watcher);
  }

  private publish(): void {
    if (this.stopping) return;
    try {
      this.lock?.update({ ...this.next });
    } catch (error) {
      this.options.logger.warn({ err: error }, 'could not write the daemon state file');
    }
  }
}
