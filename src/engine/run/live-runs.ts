// The runs this process works on: one stop button (AbortController) each, and a promise that settles once the
// run's end is recorded. The engine's start, resume, cancel and stop-all go through here, whoever calls them
// (the CLI, the API server, a daemon).
import { ConflictError } from '../../domain/errors.ts';

export interface LiveRun {
  readonly controller: AbortController;
  /** Settles (never rejects) once the run's end is recorded, or once a resume that failed to start gave it up. */
  readonly settled: Promise<void>;
  /** Mark the run as done here; the entry goes. */
  release(): void;
}

export class LiveRuns {
  private readonly runs = new Map<string, LiveRun>();

  /** Claim a run for this process before anything awaits, so two resumes in one process cannot both start it. */
  claim(runId: string): LiveRun {
    if (this.runs.has(runId)) throw new ConflictError(`Run ${runId} is already running in this orch process.`);
    const { promise, resolve } = Promise.withResolvers<void>();
    const entry: LiveRun = {
      controller: new AbortController(),
      settled: promise,
      release: () => {
        if (this.runs.get(runId) === entry) this.runs.delete(runId);
        resolve();
      },
    };
    this.runs.set(runId, entry);
    return entry;
  }

  get(runId: string): LiveRun | undefined {
    return this.runs.get(runId);
  }

  get size(): number {
    return this.runs.size;
  }

  /** Stop every run with `reason` and wait until each has recorded its end. */
  async stopAll(reason: Error): Promise<void> {
    const entries = [...this.runs.values()];
    for (const entry of entries) entry.controller.abort(reason);
    await Promise.all(entries.map((entry) => entry.settled));
  }
}
