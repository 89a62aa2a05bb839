// The engine: the one owner of a run's lifecycle. The CLI, the API server and (later) a daemon start, resume,
// cancel, stop and clean up runs through it alone; the strategy works through durable steps, the engine records
// the end and cleans up.
import { pino, type Logger } from 'pino';
import { createAgentAdapter } from '../../agents/registry.ts';
import { agentRecord } from '../../domain/agent-records.ts';
import type { OrchConfig } from '../../domain/config.ts';
import { CanceledError, ConflictError, InterruptedError, OrchError, RunTimeLimitError } from '../../domain/errors.ts';
import { diskFullError, isDiskFull, isDiskFullAt } from '../../store/sqlite-errors.ts';
import { LocalExecutor } from '../../executor/local-executor.ts';
import { lazyQueueExecutor } from '../../distributed/lazy-queue-executor.ts';
import { newId } from '../../domain/ids.ts';
import { orchPaths, type OrchPaths } from '../../domain/paths.ts';
import type { Run } from '../../domain/records.ts';
import type { AuditedRunReport, RunReport } from '../../domain/run-report.ts';
import { canCancelRun, isRunFinal } from '../../domain/status.ts';
import type { Strategy, StrategyOutcome } from '../../domain/strategy.ts';
import { ensureExcluded, excludeSetupFiles, openRepository, type Repository } from '../../git/index.ts';
import { AuditTrail } from '../../report/audit.ts';
import type { Store } from '../../store/store.ts';
import { applyCleanup, planCleanup, removeRunWorktrees } from './cleanup.ts';
import { delegateParent } from '../core/delegate-parent.ts';
import { loadRunConfig } from './config-file.ts';
import type { EngineDeps, RunScope } from '../core/deps.ts';
import { CredentialPools } from '../core/credential-pools.ts';
import { runTimeline } from '../../report/run-timeline.ts';
import { Limiter, runSlots } from '../core/limiter.ts';
import { MergeQueue } from '../../merge/queue.ts';
import { holdLease, leaseOwner } from './lease.ts';
import { LiveRuns, type LiveRun } from './live-runs.ts';
import { reconcileRun } from './reconcile.ts';
import { prepareRun, type RunRequest } from './run-request.ts';
import { createRunScope } from './run-scope.ts';
import { runSettingsSchema, type RunSettings } from '../core/settings.ts';
import { baselineChecks } from '../steps/baseline-step.ts';
import { updatePullRequestBranch } from '../steps/pr-branch-step.ts';
import type { BranchToUpdate, BranchUpdate } from '../../github/index.ts';
import { checksNote } from './checks-note.ts';
import { deliverToRemote } from './delivery.ts';
import { describeJudging, judgingSummary } from './run-summary.ts';
import { createStepContext } from '../steps/step-context.ts';
import { loadStrategy } from './strategy-loader.ts';
import { runReport } from '../../store/run-report.ts';
import { runFeedbackRound, type FeedbackRoundRequest, type FeedbackRoundResult } from './feedback-round.ts';
import type { CleanupReport, EngineOptions, RunHandle, RunOptions } from './engine-types.ts';

export type { CleanupReport, EngineOptions, RunHandle, RunOptions } from './engine-types.ts';

interface Launch {
  entry: LiveRun;
  run: Run;
  repo: Repository;
  config: OrchConfig;
  settings: RunSettings;
  agentEnv: Record<string, string>;
  strategy: Strategy<unknown>;
  params: Record<string, unknown>;
  signal: AbortSignal | undefined;
}

export class Engine {
  readonly store: Store;
  readonly paths: OrchPaths;
  private readonly logger: Logger;
  private readonly limiter: Limiter;
  private readonly mergeQueue = new MergeQueue();
  private readonly live = new LiveRuns();
  private credentials: CredentialPools | undefined;

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.paths = orchPaths(options.home);
    this.logger = options.logger ?? pino({ level: 'silent' });
    this.limiter = new Limiter(options.maxAgents ?? Number.POSITIVE_INFINITY);
  }

  /** Validate the request (nothing is written if it is bad), record the run, and start it in the background. */
  async startRun(request: RunRequest, options: RunOptions = {}): Promise<RunHandle> {
    // A child run's depth and budget come from its parent's stored row, never from the caller.
    const parent = request.parent === undefined ? undefined : delegateParent(this.store, request.parent);
    if (parent !== undefined) request = { ...request, maxRunCostUsd: Math.min(request.maxRunCostUsd ?? parent.budgetUsd, parent.budgetUsd) };
    const prepared = await prepareRun(request, this.credentialPools(), (root) => {
      const project = this.store.projects.get(root);
      return project.paused ? (project.pausedReason ?? 'paused by hand') : null;
    });
    if (parent !== undefined) {
      prepared.parent = { runId: parent.runId, attemptId: parent.attemptId, depth: parent.depth };
      prepared.settings.delegate = { ...prepared.settings.delegate, depth: parent.depth, maxDepth: parent.maxDepth, maxChildUsd: parent.maxChildUsd };
    }
    await ensureExcluded(prepared.repo, '/.orch/');
    // What the run's agents always leave in a worktree (a cache) is excluded now, before any attempt starts.
    const agents = new Set([...prepared.settings.agents.map((choice) => choice.agent), prepared.settings.review.agent]);
    for (const pattern of new Set([...agents].flatMap((agent) => agentRecord(agent)?.worktreeExcludes ?? []))) await ensureExcluded(prepared.repo, pattern);
    // So are the setup files copied into worktrees (.env): never committed, so never merged.
    await excludeSetupFiles(prepared.repo, prepared.settings.copyFiles);
    const run = this.store.runs.create(
      {
        id: newId('run'),
        projectPath: prepared.repo.root,
        goal: prepared.goal,
        strategy: prepared.strategy.name,
        params: prepared.params,
        baseRef: prepared.baseRef,
        baseSha: prepared.baseSha,
        target: prepared.target,
        settings: prepared.settings,
        parentRunId: prepared.parent?.runId ?? null,
        parentAttemptId: prepared.parent?.attemptId ?? null,
      },
      process.pid,
    );
    this.store.events.append({ runId: run.id, type: 'run.note', data: { message: checksNote(prepared.settings) } });
    try {
      new AuditTrail(prepared.repo.root, run.id).goal(run);
    } catch (error) {
      // Recorded as over, so that nothing waits for a run that never began.
      this.store.runs.transition(run.id, 'failed', { reason: `the audit trail could not be written: ${(error as Error).message}` });
      throw error;
    }
    const { repo, config, settings, agentEnv, strategy, params } = prepared;
    return this.launch({ entry: this.live.claim(run.id), run, repo, config, settings, agentEnv, strategy, params, signal: options.signal });
  }

  /**
   * Take a stopped run up again in the background, with the settings (and config file) it was started with:
   * finished steps replay from the store, the rest run. Resolves once it is running again.
   */
  async resumeRun(runId: string, options: RunOptions & { agentEnv?: Record<string, string> } = {}): Promise<RunHandle> {
    const entry = this.live.claim(runId);
    try {
      const run = this.store.runs.get(runId);
      if (isRunFinal(run.status)) throw new ConflictError(`Run ${runId} is ${run.status}; there is nothing to resume.`);
      const repo = await openRepository(run.projectPath);
      const settings = runSettingsSchema.parse(this.store.runs.settings(runId));
      const config = loadRunConfig(repo.root, runId, settings.configPath);
      const strategy = await loadStrategy(settings.strategySource);
      // Takes the lease (or says which orch works on the run) and stops what a dead orch left running.
      await reconcileRun(this.store, runId, this.logger);
      const resumed = this.store.runs.transition(runId, 'running', { ownerPid: process.pid });
      this.store.events.append({ runId, type: 'run.resumed', data: { pid: process.pid } });
      return this.launch({ entry, run: resumed, repo, config, settings, agentEnv: options.agentEnv ?? {}, strategy, params: run.params, signal: options.signal });
    } catch (error) {
      entry.release();
      throw error;
    }
  }

  /**
   * After a run delivered its pull request and the target moved under it on GitHub: merge the target into the pull
   * request's branch with the run's resolver agent and checks, and push the branch (steps/pr-branch-step.ts).
   */
  async updatePullRequestBranch(runId: string, pull: BranchToUpdate, options: { signal?: AbortSignal; agentEnv?: Record<string, string> } = {}): Promise<BranchUpdate> {
    return this.withEndedRun(runId, options.signal ?? new AbortController().signal, options.agentEnv ?? {}, (scope) => updatePullRequestBranch(scope, pull));
  }

  /**
   * A feedback round on a run that has ended (its pull request got a review requesting changes, or a failing
   * check): see feedback-round.ts. The run's report and audit trail are written again with the round in them.
   */
  async feedbackRound(runId: string, request: FeedbackRoundRequest, signal?: AbortSignal): Promise<{ result: FeedbackRoundResult; report: AuditedRunReport }> {
    const entry = this.live.claim(runId);
    try {
      const stop = signal === undefined ? entry.controller.signal : AbortSignal.any([entry.controller.signal, signal]);
      return await this.withEndedRun(runId, stop, {}, async (scope) => {
        const result = await runFeedbackRound(scope, request);
        return { result, report: this.writeResult(scope.audit) };
      });
    } finally {
      entry.release();
    }
  }

  /** Work on a run that has ended (its pull request's afterlife): its scope as it was started, its executor closed after. */
  private async withEndedRun<T>(runId: string, signal: AbortSignal, agentEnv: Record<string, string>, work: (scope: RunScope) => Promise<T>): Promise<T> {
    const run = this.store.runs.get(runId);
    const repo = await openRepository(run.projectPath);
    const settings = runSettingsSchema.parse(this.store.runs.settings(runId));
    const deps = this.deps(loadRunConfig(repo.root, runId, settings.configPath), settings);
    try {
      return await work(createRunScope({ deps, repo, run, settings, agentEnv, signal }));
    } finally {
      await deps.executor.close?.();
    }
  }

  /** Start a run and wait for its end (the library's and a child run's way). */
  async run(request: RunRequest, signal?: AbortSignal): Promise<AuditedRunReport> {
    return (await this.startRun(request, signal === undefined ? {} : { signal })).done;
  }

  /** Resume a run and wait for its end. */
  async resume(runId: string, signal?: AbortSignal, agentEnv: Record<string, string> = {}): Promise<AuditedRunReport> {
    return (await this.resumeRun(runId, { agentEnv, ...(signal === undefined ? {} : { signal }) })).done;
  }

  /**
   * Cancel a run: one this process works on stops and ends canceled; one that stopped (interrupted, failed, or
   * left running by an orch that died) is closed for good, its worktrees removed by the usual policy. A run that
   * already ended for good, or that another live orch works on, is a ConflictError. Resolves with the run.
   */
  async cancel(runId: string, reason = 'canceled'): Promise<Run> {
    const entry = this.live.get(runId);
    if (entry !== undefined) {
      entry.controller.abort(new CanceledError(reason));
      await entry.settled;
      return this.store.runs.get(runId);
    }
    const run = this.store.runs.get(runId);
    if (!canCancelRun(run.status)) throw new ConflictError(`Run ${runId} already ended ${run.status}; there is nothing to cancel.`);
    await reconcileRun(this.store, runId, this.logger);
    this.store.runs.transition(runId, 'canceled', { reason });
    const settings = runSettingsSchema.safeParse(this.store.runs.settings(runId));
    // Attempts of a queue run may still run on workers though their coordinator is gone: they are told to stop.
    if (settings.success && settings.data.executor.kind === 'queue') {
      const open = this.store.attempts.listByRun(runId).filter((attempt) => !['succeeded', 'failed', 'canceled'].includes(attempt.status));
      const { stopRemoteAttempts } = await import('../../distributed/stop-remote.ts');
      await stopRemoteAttempts(settings.data.executor.redis, open, { cause: 'canceled', detail: reason }).catch((error: unknown) =>
        this.logger.warn({ run: runId, err: error }, 'could not tell the workers to stop'),
      );
    }
    try {
      const repo = await openRepository(run.projectPath);
      if (settings.success && !settings.data.keepWorktrees) await removeRunWorktrees(this.store, this.logger, repo, runId);
      this.writeResult(new AuditTrail(repo.root, runId));
    } catch (error) {
      // The repository may be gone; the run is canceled all the same, and `orch clean` finds what is left.
      this.logger.warn({ run: runId, err: error }, 'could not clean up after canceling a run');
    }
    return this.store.runs.get(runId);
  }

  /** Stop every run of this process (they end interrupted, resumable) and wait until each end is recorded. */
  stopAll(reason = 'orch is stopping'): Promise<void> {
    return this.live.stopAll(new InterruptedError(reason));
  }

  isLive(runId: string): boolean {
    return this.live.get(runId) !== undefined;
  }

  /** How many runs this process works on now. */
  get liveRuns(): number {
    return this.live.size;
  }

  /** Remove what orch created for runs nobody works on any more (see cleanup.ts); `dryRun` only says what. */
  async clean(options: { dryRun?: boolean; branches?: boolean } = {}): Promise<CleanupReport> {
    const workedOn = (runId: string) => this.isLive(runId) || leaseOwner(this.store, runId) !== 'nobody';
    const plan = planCleanup(this.store, this.paths.worktreesRoot, { branches: options.branches === true }, workedOn);
    if (options.dryRun !== true) await applyCleanup(this.store, plan);
    return { dryRun: options.dryRun === true, ...plan };
  }

  /** Loaded once per engine: rotation and cooldowns are shared by every run of this process. */
  credentialPools(): CredentialPools {
    this.credentials ??= CredentialPools.load(this.paths.credentials);
    return this.credentials;
  }

  report(runId: string): RunReport {
    return runReport(this.store, runId);
  }

  private launch({ entry, run, repo, config, settings, agentEnv, strategy, params, signal }: Launch): RunHandle {
    const stop = signal === undefined ? entry.controller.signal : AbortSignal.any([entry.controller.signal, signal]);
    const deps = this.deps(config, settings);
    const scope = createRunScope({ deps, repo, run, settings, agentEnv, signal: stop });
    // The executor's connections (a queue's) go once the run's end is recorded.
    const done = this.execute(scope, strategy, params).finally(() => deps.executor.close?.());
    // The end is logged here and the promise marked as handled: a caller in the background may never await it.
    void done.then(
      () => entry.release(),
      (error: unknown) => {
        this.logEnd(run.id, error);
        entry.release();
      },
    );
    return { runId: run.id, done };
  }

  private deps(config: OrchConfig, settings: RunSettings): EngineDeps {
    const adapterFor = (agent: string) => createAgentAdapter(agent, config);
    const credentials = this.credentialPools();
    return {
      credentials,
      store: this.store,
      paths: this.paths,
      logger: this.logger,
      config,
      limiter: runSlots(this.limiter, settings.maxAgents ?? config.limits.maxAgents, settings.priority ?? 0),
      mergeQueue: this.mergeQueue,
      adapterFor,
      executor:
        settings.executor.kind === 'queue'
          ? lazyQueueExecutor({ redisUrl: settings.executor.redis, priority: settings.executor.priority, logger: this.logger })
          : new LocalExecutor({ adapterFor, credentials, agentStateDir: (agent) => this.paths.agentState(agent), logger: this.logger }),
    };
  }

  private async execute(outer: RunScope, strategy: Strategy<unknown>, rawParams: Record<string, unknown>): Promise<AuditedRunReport> {
    // The run's own stop, beside the caller's: a strategy that fails stops what it left working.
    const own = new AbortController();
    const releaseLease = holdLease(this.store, outer.runId, (error) => own.abort(isDiskFullAt(this.paths.home, error) ? diskFullError(this.paths.home, error) : error));
    const scope: RunScope = { ...outer, signal: AbortSignal.any([outer.signal, own.signal]) };
    // The run's total time limit: past it the run stops as if interrupted (resumable), its attempts timed_out.
    const minutes = outer.settings.maxRunMinutes;
    const timeLimit = minutes === undefined ? undefined : setTimeout(() => own.abort(new RunTimeLimitError(minutes)), minutes * 60_000);
    try {
      return await this.executeHeld(scope, strategy, rawParams, own);
    } finally {
      clearTimeout(timeLimit);
      releaseLease();
    }
  }

  private async executeHeld(scope: RunScope, strategy: Strategy<unknown>, rawParams: Record<string, unknown>, own: AbortController): Promise<AuditedRunReport> {
    const { runId, signal } = scope;
    let outcome: StrategyOutcome;
    try {
      const params = strategy.params.parse(rawParams);
      // The base's checks start with the run, beside the agents: a red base is reported up front.
      void baselineChecks(scope, scope.baseSha).catch(() => undefined);
      outcome = await strategy.execute(createStepContext(scope), scope.goal, params);
      if (signal.aborted) throw new InterruptedError();
    } catch (error) {
      // Decided before the run's own stop below, which would look like an interruption.
      const canceled = signal.reason instanceof CanceledError;
      // A full disk stops the run where it is, resumable once there is room: it is not the work's failure.
      const diskFull = !canceled && (isDiskFullAt(this.paths.home, error) || isDiskFull(signal.reason));
      const interrupted = !canceled && (signal.aborted || error instanceof InterruptedError || diskFull);
      // Whatever the strategy left running stops and settles before the run is recorded as over.
      if (scope.inflight.size > 0) {
        own.abort(new InterruptedError('the strategy failed'));
        await Promise.allSettled([...scope.inflight]);
      }
      if (canceled) {
        this.store.runs.transition(runId, 'canceled', { reason: signal.reason.message });
        await this.finish(scope);
        throw new CanceledError(`Run ${runId} was canceled.`, { data: { runId } });
      }
      const timedOut = signal.reason instanceof RunTimeLimitError ? signal.reason : null;
      const reason = diskFull ? 'the disk is full' : timedOut !== null ? timedOut.message : interrupted ? 'interrupted' : `internal error: ${(error as Error).message}`;
      if (diskFull) {
        // The end may not fit on the disk either: then the lease runs out and the next start marks it interrupted.
        const full = diskFullError(this.paths.home, isDiskFullAt(this.paths.home, error) ? error : signal.reason);
        try {
          this.store.runs.transition(runId, 'interrupted', { reason });
          await this.finish(scope);
        } catch (cause) {
          this.logger.warn({ run: runId, err: cause }, 'could not record the end of a run stopped by a full disk');
        }
        throw new OrchError('disk_full', `${full.message} Run ${runId} stopped and can go on.`, {
          cause: error,
          hint: `Free some space on the disk, then: orch resume ${runId}`,
          data: { runId },
        });
      }
      this.store.runs.transition(runId, interrupted ? 'interrupted' : 'failed', { reason });
      await this.finish(scope);
      if (timedOut !== null) throw new InterruptedError(`Run ${runId} passed its total time limit of ${timedOut.minutes} minutes and stopped (timed_out); resume it with: orch resume ${runId}`, { data: { runId, reason: 'timed_out' } });
      if (interrupted) throw new InterruptedError(`Run ${runId} was interrupted; resume it with: orch resume ${runId}`, { data: { runId } });
      throw error;
    }
    const baseline = await baselineChecks(scope, scope.baseSha).catch(() => null);
    const judging = judgingSummary(this.store.judgements.verdictsByRun(runId), outcome, baseline);
    const reason = judging.attemptsJudged > 0 ? `${outcome.summary} ${describeJudging(judging)}` : outcome.summary;
    this.store.runs.transition(runId, outcome.status, {
      reason,
      result: { summary: outcome.summary, winner: outcome.winner ?? null, selection: outcome.selection ?? null, merge: outcome.merge ?? null, judging },
    });
    await deliverToRemote(scope);
    // Patrol: a project whose runs keep failing pauses itself rather than burn money.
    const project = this.store.projects.recordRunEnd(scope.repo.root, outcome.status === 'failed', scope.deps.config.patrol.pauseAfterFailures);
    if (project.paused && outcome.status === 'failed') {
      this.store.events.append({ runId, type: 'run.note', data: { message: `project ${project.pausedReason ?? 'paused'}; unpause it with: orch project unpause` } });
    }
    return this.finish(scope);
  }

  private async finish(scope: RunScope): Promise<AuditedRunReport> {
    // An interrupted run keeps its worktrees: a resume goes on in them (agent sessions need the same directory).
    const interrupted = this.store.runs.get(scope.runId).status === 'interrupted';
    if (!scope.settings.keepWorktrees && !interrupted) await removeRunWorktrees(this.store, this.logger, scope.repo, scope.runId);
    return this.writeResult(scope.audit);
  }

  private writeResult(audit: AuditTrail): AuditedRunReport {
    const report = this.report(audit.runId);
    const timeline = runTimeline(this.store, audit.runId);
    audit.result(report.run, report.attempts, report.verdicts, report.merges, report.comparisons, report.children, timeline);
    audit.timeline(timeline);
    return { ...report, auditDir: audit.dir };
  }

  private logEnd(runId: string, error: unknown): void {
    if (error instanceof OrchError && (error.code === 'canceled' || error.code === 'interrupted')) {
      this.logger.info({ run: runId, code: error.code }, 'run stopped');
    } else {
      this.logger.error({ run: runId, err: error }, 'run failed with an error');
    }
  }
}
