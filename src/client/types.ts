// What the API takes and answers, as plain types for client code (the server checks the same shapes with zod;
// a test keeps the two equal).
import type { Attempt, Comparison, Merge, ProjectState, Run, Task, Verdict } from '../domain/records.ts';
import type { RunStatus } from '../domain/status.ts';

export type { Attempt, Comparison, Merge, OrchEvent, Run, Task, Verdict } from '../domain/records.ts';
export type { RunStatus } from '../domain/status.ts';

export interface StartRunBody {
  /** Absolute path of the repository, on the server's machine. */
  repo: string;
  goal: string;
  strategy?: string | undefined;
  params?: Record<string, unknown> | undefined;
  agent?: string | undefined;
  agents?: string | undefined;
  model?: string | undefined;
  review?: boolean | undefined;
  select?: string | undefined;
  base?: string | undefined;
  target?: string | undefined;
  testCmd?: string | undefined;
  lintCmd?: string | undefined;
  /** Merge even when no check runs and no reviewer passes the change. */
  allowUnchecked?: boolean | undefined;
  timeoutSeconds?: number | undefined;
  idleTimeoutSeconds?: number | undefined;
  maxCostUsd?: number | undefined;
  maxRunCostUsd?: number | undefined;
}

export interface ListRunsQuery {
  status?: RunStatus;
  limit?: number;
  /** Absolute path of a repository. */
  project?: string;
}

export interface RunReport {
  run: Run;
  attempts: Attempt[];
  verdicts: Verdict[];
  comparisons: Comparison[];
  merges: Merge[];
  /** Runs started by this run's agents through the delegate tool. */
  children: Run[];
  /** A plan run's task graph (empty for other strategies). */
  tasks: Task[];
  /** The project's patrol state: paused after too many failed runs in a row. */
  project: ProjectState;
}

export interface AttemptDetail {
  attempt: Attempt;
  verdicts: Verdict[];
}

export interface AttemptDiff {
  attemptId: string;
  baseSha: string;
  headSha: string | null;
  text: string;
  truncated: boolean;
  stat: {
    filesChanged: number;
    insertions: number;
    deletions: number;
    files: { path: string; oldPath?: string | undefined; insertions: number; deletions: number; binary: boolean }[];
  } | null;
}

export interface AttemptLogs {
  lines: { t: number; s: 'stdout' | 'stderr'; line: string }[];
  /** Pass as `after` to read on. */
  next: number;
  /** The attempt is over and every line has been read. */
  done: boolean;
}

export interface ApiErrorBody {
  error: { code: string; message: string; hint?: string; issues?: { path: string; message: string }[] };
}
