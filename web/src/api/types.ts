// The shapes the API sends: the domain records themselves (type-only, nothing of the server is bundled).
import type { Attempt, Comparison, Merge, OrchEvent, ProjectState, Run, Task, Verdict } from '../../../src/domain/records.ts';

export type { Attempt, CheckResult, Comparison, DiffStat, Merge, OrchEvent, Review, Run, Task, Verdict } from '../../../src/domain/records.ts';
export type { AttemptStatus, RunStatus } from '../../../src/domain/status.ts';

export interface RunDetail {
  run: Run;
  attempts: Attempt[];
  verdicts: Verdict[];
  comparisons: Comparison[];
  merges: Merge[];
  /** The project's patrol state; older servers do not send it. */
  project?: ProjectState;
}

/** What the task graph needs of a task (the API sends whole Task records). */
export type TaskNode = Pick<Task, 'id' | 'key' | 'title' | 'status' | 'dependsOn' | 'parentId'> & Partial<Pick<Task, 'reason' | 'type'>>;

export interface FileStat {
  path: string;
  oldPath?: string;
  insertions: number;
  deletions: number;
  binary: boolean;
}

export interface AttemptDiff {
  attemptId: string;
  baseSha: string;
  headSha: string | null;
  /** The patch, cut at the server's limit. */
  text: string;
  truncated: boolean;
  stat: { filesChanged: number; insertions: number; deletions: number; files: FileStat[] } | null;
}

export interface LogLine {
  /** When the line was written, epoch ms. */
  t: number;
  s: 'stdout' | 'stderr';
  line: string;
}

export interface LogPage {
  lines: LogLine[];
  /** Pass as ?after= to read on. */
  next: number;
  /** The attempt is over and every line has been read. */
  done: boolean;
}

/** The server's error answer. */
export interface ErrorBody {
  error: { code: string; message: string; hint?: string; issues?: { path: string; message: string }[] };
}

export interface StartRunBody {
  repo: string;
  goal: string;
  strategy?: string;
  params?: Record<string, unknown>;
  agent?: string;
  agents?: string;
  model?: string;
  review?: boolean;
  base?: string;
  target?: string;
  testCmd?: string;
  lintCmd?: string;
}

export type EventHandler = (event: OrchEvent) => void;
