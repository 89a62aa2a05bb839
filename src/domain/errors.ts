// The small error hierarchy of orch. Errors carry data; the CLI maps them to exit codes once, the API to HTTP statuses.

export type ErrorCode =
  | 'usage'
  | 'config_invalid'
  | 'not_a_repository'
  | 'repository_state'
  | 'ref_not_found'
  | 'target_dirty'
  | 'agent_not_found'
  | 'agent_auth'
  | 'agent_endpoint'
  | 'check_command_not_found'
  | 'worktree'
  | 'git'
  | 'process'
  | 'store'
  /** The database is damaged, or from a newer orch: nothing can be read or written until the user acts. */
  | 'store_unusable'
  /** The disk under ORCH_HOME or the repository is full (ENOSPC, SQLITE_FULL). */
  | 'disk_full'
  | 'not_found'
  | 'project_paused'
  | 'conflict'
  | 'sandbox_unavailable'
  | 'interrupted'
  | 'canceled'
  | 'internal';

export interface OrchErrorOptions {
  /** What the user can do about it, one sentence. */
  hint?: string;
  cause?: unknown;
  data?: Record<string, unknown>;
}

export class OrchError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly data: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: OrchErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.data = options.data ?? {};
  }
}

export class UsageError extends OrchError {
  constructor(message: string, options?: OrchErrorOptions) {
    super('usage', message, options);
  }
}

export class ConfigError extends OrchError {
  constructor(message: string, options?: OrchErrorOptions) {
    super('config_invalid', message, options);
  }
}

export class RepositoryError extends OrchError {}

export class WorktreeError extends OrchError {
  constructor(
    message: string,
    readonly path: string,
    options?: OrchErrorOptions,
  ) {
    super('worktree', message, { ...options, data: { path, ...options?.data } });
  }
}

export class GitError extends OrchError {
  constructor(
    message: string,
    readonly argv: readonly string[],
    readonly stderr: string,
    options?: OrchErrorOptions,
  ) {
    super('git', message, { ...options, data: { argv, stderr, ...options?.data } });
  }
}

export class AgentSetupError extends OrchError {}

export class NotFoundError extends OrchError {
  constructor(message: string, options?: OrchErrorOptions) {
    super('not_found', message, options);
  }
}

/** The run is in a state that forbids the request: another orch works on it, or it has already ended. */
export class ConflictError extends OrchError {
  constructor(message: string, options?: OrchErrorOptions) {
    super('conflict', message, options);
  }
}

export class InterruptedError extends OrchError {
  constructor(message = 'interrupted', options?: OrchErrorOptions) {
    super('interrupted', message, options);
  }
}

/** The run passed its total time limit (limits.maxRunMinutes, --max-run-minutes): it ends interrupted, resumable. */
export class RunTimeLimitError extends InterruptedError {
  constructor(readonly minutes: number) {
    super(`timed_out: the run passed its total time limit of ${minutes} minute${minutes === 1 ? '' : 's'}`);
  }
}

/** A run stopped on purpose (API cancel): it ends `canceled`, not `interrupted`, and is not resumed. */
export class CanceledError extends OrchError {
  constructor(message = 'canceled', options?: OrchErrorOptions) {
    super('canceled', message, options);
  }
}

/** Exit codes at the CLI edge: 1 for a run that ended without success, 2 for bad input, 130 for interruption. */
export function exitCodeFor(error: unknown): number {
  if (!(error instanceof OrchError)) return 70;
  switch (error.code) {
    case 'interrupted':
    case 'canceled':
      return 130;
    case 'internal':
    case 'store':
    case 'process':
      return 70;
    case 'git':
    case 'worktree':
      return 74;
    default:
      return 2;
  }
}
