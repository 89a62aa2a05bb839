// The engine: start a run, let its strategy work through durable steps, record the end, clean up.
import { pino, type Logger } from 'pino';
import { createAgentAdapter } from '../agents/registry.ts';
import { InterruptedError } from '../domain/errors.ts';
import { newId } from '../domain/ids.ts';
import { orchPaths, projectSlug, type OrchPaths } from '../domain/paths.ts';
import type { Attempt, Merge, Run, Verdict } from '../domain/records.ts';
import type { StrategyOutcome } from '../domain/strategy.ts';
import { ensureExcluded } from '../git/index.ts';
import { AuditTrail } from '../report/audit.ts';
import type { Store } from '../store/store.ts';
import { builtinStrategy } from '../strategies/registry.ts';
import { removeRunWorktrees } from './cleanup.ts';
import type { EngineDeps, RunScope } from './deps.ts';
import { prepareRun, type RunRequest } from './run-request.ts';
import { createStepContext } from './step-context.ts';

export interface RunReport {
  run: Run;
  attempts: Attempt[];
  verdicts: Verdict[];
  merges: Merge[];
  auditDir: string;
}

export interface EngineOptions {
  store: Store;
  home: string;
  logger?: Logger;
}

export class Engine {
  readonly store: Store;
  readonly paths: OrchPaths;
  private readonly logger: Logger;

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.paths = orchPaths(options.home);
    this.logger = options.logger ?? pino({ level: 'silent' });
  }

  /** Validate the request (nothing is written if it is bad), then run it to its end. */
  async run(request: RunRequest, signal: AbortSignal, onStarted?: (runId: string) => void): Promise<RunReport> {
    const prepared = await prepareRun(request);
    const strategy = builtinStrategy(prepared.strategy);
    const params = strategy.params.parse(prepared.params);
    const deps: EngineDeps = {
      store: this.store,
      paths: this.paths,
      logger: this.logger,
      config: prepared.config,
      adapterFor: (agent) => createAgentAdapter(agent, prepared.config),
    };

    await ensureExcluded(prepared.repo, '/.orch/');
    const runId = newId('run');
    const run = this.store.runs.create(
      {
        id: runId,
        projectPath: prepared.repo.root,
        goal: prepared.goal,
        strategy: prepared.strategy,
        params: prepared.params,
        baseRef: prepared.baseRef,
        baseSha: prepared.baseSha,
        target: prepared.target,
      },
      process.pid,
    );
    onStarted?.(runId);
    const audit = new AuditTrail(prepared.repo.root, runId);
    audit.goal(run);

    const scope: RunScope = {
      deps,
      repo: prepared.repo,
      projectSlug: projectSlug(prepared.repo.root),
      runId,
      goal: prepared.goal,
      target: prepared.target,
      baseSha: prepared.baseSha,
      settings: prepared.settings,
      signal,
    };

    let outcome: StrategyOutcome;
    try {
      outcome = await strategy.execute(createStepContext(scope, audit), prepared.goal, params);
      if (signal.aborted) throw new InterruptedError();
    } catch (error) {
      const interrupted = signal.aborted || error instanceof InterruptedError;
      const reason = interrupted ? 'interrupted by the user' : `internal error: ${(error as Error).message}`;
      this.store.runs.transition(runId, interrupted ? 'interrupted' : 'failed', { reason });
      await this.finish(scope, audit);
      if (interrupted) throw new InterruptedError(`Run ${runId} was interrupted; resume it with: orch resume ${runId}`, { data: { runId } });
      throw error;
    }

    this.store.runs.transition(runId, outcome.status, {
      reason: outcome.summary,
      result: { summary: outcome.summary, winner: outcome.winner ?? null, merge: outcome.merge ?? null },
    });
    return this.finish(scope, audit);
  }

  private async finish(scope: RunScope, audit: AuditTrail): Promise<RunReport> {
    if (!scope.settings.keepWorktrees) await removeRunWorktrees(scope);
    const report = this.report(scope.runId);
    audit.result(report.run, report.attempts, report.verdicts, report.merges);
    return { ...report, auditDir: audit.dir };
  }

  report(runId: string): Omit<RunReport, 'auditDir'> {
    return {
      run: this.store.runs.get(runId),
      attempts: this.store.attempts.listByRun(runId),
      verdicts: this.store.judgements.verdictsByRun(runId),
      merges: this.store.judgements.mergesByRun(runId),
    };
  }
}
