// What the engine's callers hand it and get back: its options, a handle on a run it works on, and what a clean-up
// did. Apart from engine.ts so the CLI, the server and the daemon can name them without the engine's imports.
import type { Logger } from 'pino';
import type { AuditedRunReport } from '../../domain/run-report.ts';
import type { Store } from '../../store/store.ts';
import type { CleanupPlan } from './cleanup.ts';

export interface EngineOptions {
  store: Store;
  home: string;
  logger?: Logger;
  /** Agents running at once across every run of this engine; each run keeps its own limit too. Default: no cap beyond the runs' own. */
  maxAgents?: number;
}

/** A run this engine works on: its id as soon as its row exists, and its end. */
export interface RunHandle {
  runId: string;
  /** The report once the run has ended and is recorded; rejects with InterruptedError or CanceledError when stopped. */
  done: Promise<AuditedRunReport>;
}

export interface RunOptions {
  /** Stops the run: aborted with a CanceledError it ends canceled, with any other reason interrupted (resumable). */
  signal?: AbortSignal;
}

export interface CleanupReport extends CleanupPlan {
  dryRun: boolean;
}
