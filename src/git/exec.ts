// The one door to git: argv only, a sanitised environment, typed failures. Every other file in src/git goes through it.
import { existsSync } from 'node:fs';
import { GitError, InterruptedError } from '../domain/errors.ts';
import { TailBuffer } from '../process/run.ts';
import { supervise } from '../process/supervise.ts';

export interface GitOptions {
  cwd: string;
  /** Variables merged over the inherited environment (after sanitising, so they cannot redirect git either). */
  env?: Record<string, string>;
  /** Written to git's stdin. */
  input?: string;
  /** Return non-zero exits as data instead of throwing. Signals, timeouts and spawn failures still throw. */
  allowFailure?: boolean;
  /** Keep only the first this-many characters of stdout and stop git once they are read. */
  maxStdoutChars?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface GitResult {
  argv: readonly string[];
  /** Lines joined with '\n', without the final newline (the process module streams lines). */
  stdout: string;
  stderr: string;
  exitCode: number;
  /** stdout was cut at maxStdoutChars. */
  truncated: boolean;
}

// `git rev-parse --local-env-vars`: each of these points git at another repository, index or config.
// A caller running orch from a git hook has some of them set; none may leak into orch's git calls.
const redirectingVars = [
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_CONFIG',
  'GIT_CONFIG_PARAMETERS',
  'GIT_CONFIG_COUNT',
  'GIT_OBJECT_DIRECTORY',
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_IMPLICIT_WORK_TREE',
  'GIT_GRAFT_FILE',
  'GIT_INDEX_FILE',
  'GIT_NO_REPLACE_OBJECTS',
  'GIT_REPLACE_REF_BASE',
  'GIT_PREFIX',
  'GIT_SHALLOW_FILE',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
];

/**
 * Prefix for orch's bookkeeping in its own worktrees: no user hooks. `commit --no-verify` skips only pre-commit and
 * commit-msg; prepare-commit-msg, post-commit and post-checkout would still run, and a hook that reads /dev/tty
 * (commitizen) stops a background process group for good.
 */
export const noHooks: readonly string[] = ['-c', 'core.hooksPath=/dev/null'];

let baseEnv: NodeJS.ProcessEnv | undefined;

/**
 * The environment of every git call orch makes. The inherited part is read and sanitised once, at the first call:
 * orch never changes its own environment afterwards, and filtering it per call cost more than some git calls.
 */
export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  baseEnv ??= sanitised(process.env);
  return Object.keys(extra).length === 0 ? baseEnv : sanitised({ ...baseEnv, ...extra });
}

function sanitised(source: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...source };
  for (const name of redirectingVars) delete env[name];
  for (const name of Object.keys(env)) if (/^GIT_CONFIG_(KEY|VALUE)_\d+$/.test(name)) delete env[name];
  // No hooks and no fsmonitor in any git call orch makes. Attempt worktrees share .git/config and .git/hooks with
  // the user's checkout: an agent could plant a hook or `core.fsmonitor` there, and orch must never run it —
  // least of all in the user's own tree (status, the fast-forward).
  env.GIT_CONFIG_COUNT = '4';
  env.GIT_CONFIG_KEY_0 = 'core.hooksPath';
  env.GIT_CONFIG_VALUE_0 = '/dev/null';
  env.GIT_CONFIG_KEY_1 = 'core.fsmonitor';
  env.GIT_CONFIG_VALUE_1 = 'false';
  // No automatic housekeeping after orch's commits (a `git maintenance run --auto` per attempt): the user's own
  // git, in their own time, does it.
  env.GIT_CONFIG_KEY_2 = 'maintenance.auto';
  env.GIT_CONFIG_VALUE_2 = 'false';
  env.GIT_CONFIG_KEY_3 = 'gc.auto';
  env.GIT_CONFIG_VALUE_3 = '0';
  env.GIT_TERMINAL_PROMPT = '0';
  // Read-only commands (status) must not take the index lock or rewrite the index of the user's tree.
  env.GIT_OPTIONAL_LOCKS = '0';
  env.LC_ALL = 'C';
  return env;
}

export async function git(args: readonly string[], options: GitOptions): Promise<GitResult> {
  const argv = ['git', ...args];
  const limit = options.maxStdoutChars;
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const stdout: string[] = [];
  const stderr = new TailBuffer(64 * 1024);
  let size = 0;
  let truncated = false;

  const result = await supervise({
    argv,
    cwd: options.cwd,
    env: gitEnv(options.env),
    ...(options.input === undefined ? {} : { stdin: options.input }),
    ...(options.timeoutMs === undefined ? {} : { totalTimeoutMs: options.timeoutMs }),
    killGraceMs: 1000,
    signal,
    onLine: (stream, line) => {
      if (stream === 'stderr') return stderr.push(line);
      if (truncated) return;
      // `size` is the length of stdout.join('\n') so far.
      const separator = stdout.length === 0 ? 0 : 1;
      if (limit !== undefined && size + separator + line.length > limit) {
        const room = limit - size - separator;
        if (room >= 0) stdout.push(line.slice(0, room));
        truncated = true;
        stop.abort();
        return;
      }
      stdout.push(line);
      size += separator + line.length;
    },
  });

  const err = stderr.text();
  if (result.spawnError !== undefined) {
    // spawn reports a missing cwd as ENOENT too; say which one it was.
    if (!existsSync(options.cwd)) {
      throw new GitError(`Cannot run git in '${options.cwd}': the directory does not exist.`, argv, err, { cause: result.spawnError });
    }
    throw new GitError(`git could not be started (${result.spawnError.code ?? result.spawnError.message}). Install git and make sure it is on PATH.`, argv, err, {
      cause: result.spawnError,
    });
  }
  if (truncated) return { argv, stdout: stdout.join('\n'), stderr: err, exitCode: 0, truncated };
  if (result.canceled) throw new InterruptedError(`git ${args[0] ?? ''} was canceled`);
  if (result.exitCode === null) {
    const why = result.timedOut ? 'timed out' : `was killed by ${result.signal ?? 'a signal'}`;
    throw new GitError(`git ${args[0] ?? ''} ${why}`, argv, err);
  }
  const done = { argv, stdout: stdout.join('\n'), stderr: err, exitCode: result.exitCode, truncated };
  if (result.exitCode !== 0 && options.allowFailure !== true) throw failure(done);
  return done;
}

/** The error for a git exit that the caller did not expect. */
export function failure({ argv, exitCode, stderr }: GitResult): GitError {
  const first = stderr.split('\n').find((line) => line.trim() !== '') ?? '';
  return new GitError(`git ${subcommand(argv)} failed (exit ${exitCode})${first ? `: ${first}` : ''}`, argv, stderr, {
    data: { exitCode },
  });
}

/** `git -c a=b worktree add …` -> 'worktree add'. */
function subcommand(argv: readonly string[]): string {
  let i = 1;
  while (argv[i] === '-c' || argv[i] === '-C') i += 2;
  return argv.slice(i, i + 2).filter((arg) => !arg.startsWith('-')).join(' ');
}
