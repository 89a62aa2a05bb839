// The engine: start a run or resume one, let its strategy work through durable steps, record the end, clean up.
import { pino, type Logger } from 'pino';
import { createAgentAdapter } from '../agents/registry.ts';
import { CanceledError, InterruptedError, OrchError } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import { orchPaths, projectSlug, type OrchPaths } from '../domain/paths.ts';
import type { AuditedRunReport, RunReport } from '../domain/run-report.ts';
import type { Strategy, StrategyOutcome } from '../domain/strategy.ts';
import { ensureExcluded, openRepository } from '../git/index.ts';
import { AuditTrail } from '../report/audit.ts';
import type { Store } from '../store/store.ts';
import { RunBudget } from './budget.ts';
import { removeRunWorktrees } from './cleanup.ts';
import { loadConfig } from './config-file.ts';
import type { EngineDeps, RunScope } from './deps.ts';
import { CredentialPools } from './credential-pools.ts';
import { Limiter } from './limiter.ts';
import { MergeQueue } from '../merge/queue.ts';
import { holdLease } from './lease.ts';
import { reconcileRun } from './reconcile.ts';
import { prepareRun, type RunRequest } from './run-request.ts';
import { runSettingsSchema } from './settings.ts';
import { createStepContext } from './step-context.ts';
import { loadStrategy } from './strategy-loader.ts';

export interface EngineOptions {
  store: Store;
  home: string;
  logger?: Logger;
  /** Agents running at once across all runs of this engine; default: the first run's config (4). */
  maxAgents?: number;
}

export class Engine {
  readonly store: Store;
  readonly paths: OrchPaths;
  private readonly logger: Logger;
  private limiter: Limiter | undefined;
  private readonly mergeQueue = new MergeQueue();
  private credentials: CredentialPools | undefined;

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.paths = orchPaths(options.home);
    this.logger = options.logger ?? pino({ level: 'silent' });
    if (options.maxAgents !== undefined) this.limiter = new Limiter(options.maxAgents);
  }

  /** Validate the request (nothing is written if it is bad), then run it to its end. */
  async run(request: RunRequest, signal: AbortSignal, onStarted?: (runId: string) => void): Promise<AuditedRunReport> {
    const prepared = await prepareRun(request, this.credentialPools(), (root) => {
      const project = this.store.projects.get(root);
      return project.paused ? (project.pausedReason ?? 'paused by hand') : null;
    });
    await ensureExcluded(prepared.repo, '/.orch/');
    const runId = newId('run');
    const run = this.store.runs.create(
      {
        id: runId,
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
    onStarted?.(runId);
    const audit = new AuditTrail(prepared.repo.root, runId);
    audit.goal(run);
    const scope: RunScope = {
      deps: this.deps(prepared.config),
      repo: prepared.repo,
      projectSlug: projectSlug(prepared.repo.root),
      runId,
      goal: prepared.goal,
      target: prepared.target,
      baseSha: prepared.baseSha,
      settings: prepared.settings,
      agentEnv: prepared.agentEnv,
      signal,
      budget: new RunBudget(prepared.settings.budget, 0),
      audit,
      keyPrefix: '',
      taskKey: 'main',
      refinery: false,
      inflight: new Set(),
    };
    return this.execute(scope, prepared.strategy, prepared.params);
  }

  /** Run a run's strategy again from the top: finished steps replay from the store, the rest run. */
  async resume(runId: string, signal: AbortSignal, agentEnv: Record<string, string> = {}): Promise<AuditedRunReport> {
    const run = this.store.runs.get(runId);
    if (run.status === 'succeeded' || run.status === 'canceled') {
      throw new OrchError('usage', `Run ${runId} is ${run.status}; there is nothing to resume.`);
    }
    const repo = await openRepository(run.projectPath);
    const config = loadConfig(repo.root);
    const settings = runSettingsSchema.parse(this.store.runs.settings(runId));
    const strategy = await loadStrategy(settings.strategySource);
    await reconcileRun(this.store, runId, this.logger);
    this.store.runs.transition(runId, 'running', { ownerPid: process.pid });
    const scope: RunScope = {
      deps: this.deps(config),
      repo,
      projectSlug: projectSlug(repo.root),
      runId,
      goal: run.goal,
      target: run.target,
      baseSha: run.baseSha,
      settings,
      agentEnv,
      signal,
      budget: new RunBudget(settings.budget, run.costUsd),
      audit: new AuditTrail(repo.root, runId),
      keyPrefix: '',
      taskKey: 'main',
      refinery: false,
      inflight: new Set(),
    };
    this.store.events.append({ runId, type: 'run.resumed', data: { pid: process.pid } });
    return this.execute(scope, strategy, run.params);
  }

  private deps(config: EngineDeps['config']): EngineDeps {
    this.limiter ??= new Limiter(config.limits.maxAgents);
    return {
      credentials: this.credentialPools(),
      store: this.store,
      paths: this.paths,
      logger: this.logger,
      config,
      limiter: this.limiter,
      mergeQueue: this.mergeQueue,
      adapterFor: (agent) => createAgentAdapter(agent, config),
    };
  }

  /** Loaded once per engine: rotation and cooldowns are shared by every run of this process. */
  credentialPools(): CredentialPools {
    this.credentials ??= CredentialPools.load(this.paths.credentials);
    return this.credentials;
  }

  private async execute(outer: RunScope, strategy: Strategy<unknown>, rawParams: Record<string, unknown>): Promise<AuditedRunReport> {
    const releaseLease = holdLease(this.store, outer.runId);
    // The run's own stop, beside the caller's: a strategy that fails stops what it left working.
    const own = new AbortController();
    const scope: RunScope = { ...outer, signal: AbortSignal.any([outer.signal, own.signal]) };
    try {
      return await this.executeHeld(scope, strategy, rawParams, own);
    } finally {
      releaseLease();
    }
  }

  private async executeHeld(scope: RunScope, strategy: Strategy<unknown>, rawParams: Record<string, unknown>, own: AbortController): Promise<AuditedRunReport> {
    const { runId, signal } = scope;
    let outcome: StrategyOutcome;
    try {
      const params = strategy.params.parse(rawParams);
      outcome = await strategy.execute(createStepContext(scope), scope.goal, params);
      if (signal.aborted) throw new InterruptedError();
    } catch (error) {
      // Decided before the run's own stop below, which would look like an interruption.
      const canceled = signal.reason instanceof CanceledError;
      const interrupted = !canceled && (signal.aborted || error instanceof InterruptedError);
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
      const reason = interrupted ? 'interrupted' : `internal error: ${(error as Error).message}`;
      this.store.runs.transition(runId, interrupted ? 'interrupted' : 'failed', { reason });
      await this.finish(scope);
      if (interrupted) throw new InterruptedError(`Run ${runId} was interrupted; resume it with: orch resume ${runId}`, { data: { runId } });
      throw error;
    }
    this.store.runs.transition(runId, outcome.status, {
      reason: outcome.summary,
      result: { summary: outcome.summary, winner: outcome.winner ?? null, selection: outcome.selection ?? null, merge: outcome.merge ?? null },
    });
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
    if (!scope.settings.keepWorktrees && !interrupted) await removeRunWorktrees(scope);
    const report = this.report(scope.runId);
    scope.audit.result(report.run, report.attempts, report.verdicts, report.merges, report.comparisons, report.children);
    return { ...report, auditDir: scope.audit.dir };
  }

  report(runId: string): RunReport {
    return {
      run: this.store.runs.get(runId),
      attempts: this.store.attempts.listByRun(runId),
      verdicts: this.store.judgements.verdictsByRun(runId),
      comparisons: this.store.judgements.comparisonsByRun(runId),
      merges: this.store.judgements.mergesByRun(runId),
      children: this.store.runs.children(runId),
      tasks: this.store.tasks.listByRun(runId),
      project: this.store.projects.get(this.store.runs.get(runId).projectPath),
    };
  }

}
