// The runs this server process is executing: one AbortController each, so the API can cancel them and a
// shutdown can stop them all (they end `interrupted` and can be resumed, as after Ctrl+C in `orch run`).
import type { Logger } from 'pino';
import { CanceledError, InterruptedError, OrchError } from '../domain/errors.ts';
import type { Run } from '../domain/records.ts';
import type { Engine } from '../engine/engine.ts';
import { reconcileRun } from '../engine/reconcile.ts';
import type { RunRequest } from '../engine/run-request.ts';
import { isAlive } from '../process/registry.ts';
import { HttpError } from './errors.ts';

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

interface LiveRun {
  controller: AbortController;
  /** Settles (never rejects) when the engine is done with the run. */
  settled: Promise<void>;
}

export class RunManager {
  private readonly live = new Map<string, LiveRun>();

  constructor(
    private readonly engine: Engine,
    private readonly logger: Logger,
  ) {}

  isLive(runId: string): boolean {
    return this.live.has(runId);
  }

  get size(): number {
    return this.live.size;
  }

  /** Start a run in the background. Resolves with its id once its row exists; rejects if the request is bad. */
  start(request: RunRequest): Promise<string> {
    const controller = new AbortController();
    return new Promise<string>((resolve, reject) => {
      let runId: string | undefined;
      const entry: LiveRun = { controller, settled: Promise.resolve() };
      entry.settled = this.engine
        .run(request, controller.signal, (id) => {
          runId = id;
          this.live.set(id, entry);
          resolve(id);
        })
        .then(
          () => undefined,
          (error: unknown) => {
            if (runId === undefined) reject(asError(error));
            else this.ended(runId, error);
          },
        )
        .finally(() => {
          if (runId !== undefined) this.live.delete(runId);
        });
    });
  }

  /** Resume a run in the background. Resolves once it is running again; rejects if it cannot be resumed. */
  resume(runId: string): Promise<void> {
    if (this.live.has(runId)) throw new HttpError(409, 'conflict', `Run ${runId} is already running in this server.`);
    const run = this.engine.store.runs.get(runId);
    if (run.status === 'succeeded' || run.status === 'canceled') {
      throw new HttpError(409, 'conflict', `Run ${runId} is ${run.status}; there is nothing to resume.`);
    }
    this.assertNotOwnedElsewhere(run);
    const controller = new AbortController();
    const entry: LiveRun = { controller, settled: Promise.resolve() };
    this.live.set(runId, entry);
    return new Promise<void>((resolve, reject) => {
      let resumed = false;
      const unsubscribe = this.engine.store.events.subscribe((event) => {
        if (event.runId !== runId || event.type !== 'run.resumed') return;
        resumed = true;
        unsubscribe();
        resolve();
      });
      entry.settled = this.engine
        .resume(runId, controller.signal)
        .then(
          () => undefined,
          (error: unknown) => {
            if (resumed) this.ended(runId, error);
            else reject(asError(error));
          },
        )
        .finally(() => {
          unsubscribe();
          this.live.delete(runId);
        });
    });
  }

  /** Cancel a run: stop it if it runs here, else mark it canceled. Resolves with the run as it ended. */
  async cancel(runId: string): Promise<Run> {
    const entry = this.live.get(runId);
    if (entry !== undefined) {
      entry.controller.abort(new CanceledError('canceled through the API'));
      await entry.settled;
      return this.engine.store.runs.get(runId);
    }
    const run = this.engine.store.runs.get(runId);
    if (run.status === 'succeeded' || run.status === 'failed' || run.status === 'canceled') {
      throw new HttpError(409, 'conflict', `Run ${runId} is already over (${run.status}).`);
    }
    if (run.status === 'running') {
      this.assertNotOwnedElsewhere(run);
      // Its orch died under it: stop any agent it left behind before the run is closed.
      await reconcileRun(this.engine.store, runId, this.logger);
    }
    return this.engine.store.runs.transition(runId, 'canceled', { reason: 'canceled through the API' });
  }

  /** Stop every run of this server (they end interrupted) and wait for them to be recorded. */
  async stopAll(): Promise<void> {
    const entries = [...this.live.values()];
    for (const entry of entries) entry.controller.abort(new InterruptedError('orch serve is stopping'));
    await Promise.all(entries.map((entry) => entry.settled));
  }

  private assertNotOwnedElsewhere(run: Run): void {
    const owner = this.engine.store.runs.ownerPid(run.id);
    if (run.status === 'running' && owner !== null && owner !== process.pid && isAlive(owner)) {
      throw new HttpError(409, 'conflict', `Run ${run.id} is running in another orch process (pid ${owner}).`, {
        hint: `Stop it there (kill -INT ${owner}).`,
      });
    }
  }

  private ended(runId: string, error: unknown): void {
    if (error instanceof OrchError && (error.code === 'canceled' || error.code === 'interrupted')) {
      this.logger.info({ run: runId, code: error.code }, 'run stopped');
    } else {
      this.logger.error({ run: runId, err: error }, 'run failed with an error');
    }
  }
}
