// The Executor contract: what the coordinator (the engine) hands an executor to run one attempt, what the executor
// reports back while it runs, and what it returns. Everything here is plain data that survives JSON, so an executor
// may run in another process or on another machine (a queue worker) with the strategy code unchanged.
import type { SandboxRequest } from '../sandbox/index.ts';
import type { AttemptReason } from '../domain/outcome.ts';
import type { DiffStat } from '../domain/records.ts';
import type { AttemptStatus } from '../domain/status.ts';
import type { ControlChange } from '../git/control-guard.ts';

/** Tokens and money an attempt used so far (all its invocations together). */
export interface Usage {
  turns: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** When and how often a failed invocation is tried again (the run's settings carry these). */
export interface RetryLimits {
  /** Waits before each retry of a transient failure; past the last one the attempt fails. */
  delaysMs: number[];
  /** How long a rate-limited credential rests when the agent did not say. */
  cooldownMs: number;
  /** The longest the attempt waits, in all, for every credential to be rate-limited no more. */
  maxRateLimitWaitMs: number;
  /** Retries of an agent stopped for printing nothing within the idle limit. */
  stuck: number;
}

/** An MCP server offered to the agent (orch's own `delegate` tool), as the command that starts it. */
export interface McpServerSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/** Everything needed to run one attempt: no functions, no store, nothing that lives only in the coordinator. */
export interface AttemptSpec {
  runId: string;
  attemptId: string;
  agent: string;
  model: string | null;
  /** The repository the attempt's worktree is added to (its root, git dir and common dir). */
  repo: { root: string; gitDir: string; commonDir: string };
  worktree: string;
  branch: string;
  /** Diffs are measured from here. */
  baseSha: string;
  /** Where a new worktree starts (the base, or an earlier attempt's head). */
  startSha: string;
  /** The worktree exists already (a resumed or continued session): do not create it. */
  reuseWorktree: boolean;
  prompt: string;
  /** Continue this agent session (the worktree must be the one it ran in). */
  resumeSessionId: string | null;
  /** The prompt of a retry that goes on in the agent's own session. */
  continuePrompt: string;
  /** Untracked setup files of the checkout (`.env`) copied into the worktree, never committed (config worktree.copy). */
  copyFiles: string[];
  /** The message of the commit that keeps whatever the agent left in the worktree. */
  commitMessage: string;
  /** What earlier invocations of this attempt used, and the session they left (a resumed attempt adds to it). */
  before: Usage & { sessionId: string | null };
  limits: {
    maxTurns: number | null;
    /** Passed to agents that enforce a budget themselves; the coordinator enforces it for the rest. */
    attemptUsd: number | null;
    totalTimeoutMs: number;
    idleTimeoutMs: number;
    retries: RetryLimits;
  };
  /** Environment for the agent beyond the executor's own. May hold secrets: never log or store a spec. */
  env: Record<string, string>;
  /** MCP servers to offer the agent (agents that take them), and the tool names it may call. */
  mcp: { servers: Record<string, McpServerSpec>; tools: string[] } | null;
  /** Where the agent runs: the OS sandbox's request (plain data), `mode: 'none'` for the user's own rights. */
  sandbox: SandboxRequest;
}

/** What an executor reports while an attempt runs, in order. */
export type AttemptEvent =
  | { type: 'worktree'; path: string; branch: string }
  /** Which credential an invocation uses (reported when the pool has more than one). Names only, never values. */
  | { type: 'credential'; credential: string }
  | { type: 'cooldown'; credential: string; forMs: number }
  /** Every credential is resting after a rate limit: the attempt waits this long before it tries again. */
  | { type: 'credential_wait'; forMs: number }
  /** The agent process started. `pidStart` names the process for good (see process/registry.ts). A null pid: the
   * agent runs on another machine (a queue worker), where this one must never signal it. */
  | { type: 'spawned'; pid: number | null; pidStart: string | null }
  | { type: 'session'; sessionId: string }
  /** The attempt's usage so far, all invocations together: at every model turn, and when the agent totals it (at
   * most a few times a second). `live`: it includes turns orch priced itself that the agent has not totalled yet. */
  | { type: 'usage'; usage: Usage; live: boolean }
  /** A short summary of something the agent did (a tool call, text, a retry of its own, its result). */
  | { type: 'activity'; data: Record<string, unknown> }
  /** One line of the agent's output, secrets removed: the coordinator keeps the attempt's log. */
  | { type: 'output'; t: number; stream: 'stdout' | 'stderr'; line: string }
  /** An invocation ended and another follows. */
  | { type: 'retry'; reason: AttemptReason; delayMs: number; afterCredential: string }
  /** The repository's git control files changed while the attempt ran, and were put back; `alongside`: the other
   * attempts running at that moment (any of them may have done it). */
  | { type: 'tampered'; changes: ControlChange[]; alongside: string[] }
  /** Which machine took the attempt (a queue executor's worker); `delivery` counts from 1, more when a worker died. */
  | { type: 'worker'; worker: string; host: string; delivery: number }
  /** A tool call named a path outside the worktree (see tool-escape.ts: a heuristic, it blocks nothing). */
  | { type: 'escape'; tool: string; path: string }
  /** What the agent's process tree used at one moment (process/resources.ts): memory, and CPU since the last sample. */
  | { type: 'resources'; rssBytes: number; cpuPercent: number; processes: number };

/** Where an executor reports. Calls are synchronous and may abort the attempt's signal (a budget decision). */
export interface AttemptSink {
  emit(event: AttemptEvent): void;
}

export interface AttemptResult {
  status: Extract<AttemptStatus, 'succeeded' | 'failed' | 'interrupted' | 'canceled'>;
  reason: AttemptReason;
  detail: string | null;
  /** The branch's head after whatever the agent left was committed. */
  headSha: string;
  diff: DiffStat;
  /** Every change to the repository's git control files found (and undone) while the attempt ran. */
  gitChanges: ControlChange[];
  usage: Usage;
  sessionId: string | null;
}

/** Why the coordinator stopped an attempt: the reason it aborts the attempt's signal with. Plain data. */
export interface StopRequest {
  /** timed_out: the run passed its total time limit (limits.maxRunMinutes); the attempt ends interrupted, resumable. */
  cause: 'budget' | 'canceled' | 'interrupted' | 'timed_out';
  detail: string;
}

export function isStopRequest(value: unknown): value is StopRequest {
  const cause = (value as Partial<StopRequest> | null)?.cause;
  return cause === 'budget' || cause === 'canceled' || cause === 'interrupted' || cause === 'timed_out';
}

/**
 * Runs attempts. `signal` is the coordinator's stop (the run canceled or interrupted, a budget passed): abort it
 * with a StopRequest. Rejects only for orch's own failures (the worktree could not be made); everything the agent
 * does, fails included, ends in an AttemptResult.
 */
export interface Executor {
  runAttempt(spec: AttemptSpec, sink: AttemptSink, signal: AbortSignal): Promise<AttemptResult>;
  /** Attempts run elsewhere and outlive this process: an attempt left running is re-attached, not restarted. */
  readonly remote?: boolean;
  /** Let go of what the executor holds (connections); called when its run ends. */
  close?(): Promise<void>;
}

export function statusForReason(reason: AttemptReason): AttemptResult['status'] {
  if (reason === 'completed') return 'succeeded';
  if (reason === 'interrupted' || reason === 'canceled') return reason;
  return 'failed';
}
