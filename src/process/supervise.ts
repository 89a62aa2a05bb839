// Supervised child processes: argv only, own process group, line streaming, total and idle timeouts,
// SIGTERM then SIGKILL to the whole group, and registration so that orch's own exit takes children with it.
import { GroupKiller } from './kill.ts';
import { trackGroup, untrackGroup } from './registry.ts';
import { startChild, type StreamName } from './spawner.ts';

export type { StreamName } from './spawner.ts';

export interface SuperviseOptions {
  argv: readonly string[];
  cwd: string;
  /** The complete environment of the child (callers merge over process.env themselves). */
  env?: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed. Absent: stdin is closed at once. */
  stdin?: string;
  /** Kill the process after this long in total. */
  totalTimeoutMs?: number;
  /** Kill the process after this long without a line of output. */
  idleTimeoutMs?: number;
  /** Time between SIGTERM and SIGKILL. */
  killGraceMs?: number;
  signal?: AbortSignal;
  onLine?: (stream: StreamName, line: string) => void;
  onSpawn?: (pid: number) => void;
}

/** Why supervise stopped a process: the total timeout, the idle timeout, or the caller's AbortSignal. */
export type StopCause = 'timeout' | 'idle' | 'abort';

export interface ProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** What made supervise stop the process, decided once: the first cause wins (an abort during the kill grace
   * of an idle process does not turn it into a cancel). Undefined: the process ended by itself. */
  stoppedBy: StopCause | undefined;
  /** stoppedBy === 'timeout' (the total timeout fired first). */
  timedOut: boolean;
  /** stoppedBy === 'idle' (no output for idleTimeoutMs, first). */
  idledOut: boolean;
  /** stoppedBy === 'abort' (the caller's AbortSignal fired first). */
  canceled: boolean;
  durationMs: number;
  pid: number | undefined;
  /** Set when the program could not be started at all (ENOENT, EACCES). */
  spawnError: NodeJS.ErrnoException | undefined;
}

const defaultKillGraceMs = 3000;

/** Run a program to its end. Never rejects for the program's own failures: they are in the result. */
export function supervise(options: SuperviseOptions): Promise<ProcessResult> {
  const started = Date.now();
  const [command, ...args] = options.argv;
  if (command === undefined) throw new TypeError('supervise: argv is empty');

  return new Promise((resolve) => {
    let stoppedBy: StopCause | undefined;
    let settled = false;
    let idleTimer: NodeJS.Timeout | undefined;
    let pid: number | undefined;
    let killer: GroupKiller | undefined;

    /** The one place a stop is decided: the first cause is kept, later ones only find the process stopping. */
    const stop = (cause: StopCause) => {
      stoppedBy ??= cause;
      killer?.terminate(); // not started yet (on the spawner thread): terminated the moment its pid arrives
    };

    const armIdle = () => {
      if (options.idleTimeoutMs === undefined) return;
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => stop('idle'), options.idleTimeoutMs);
    };
    armIdle();
    const totalTimer =
      options.totalTimeoutMs === undefined
        ? undefined
        : setTimeout(() => stop('timeout'), options.totalTimeoutMs);

    const onAbort = () => stop('abort');
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (exitCode: number | null, exitSignal: NodeJS.Signals | null, spawnError?: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      clearTimeout(idleTimer);
      clearTimeout(totalTimer);
      options.signal?.removeEventListener('abort', onAbort);
      // The leader is gone; anything left in its group (a backgrounded grandchild) goes too, without waiting out
      // the grace. No /proc scan: a stopped process was scanned when it was stopped.
      killer?.kill({ scan: false });
      if (pid !== undefined) untrackGroup(pid);
      resolve({
        exitCode,
        signal: exitSignal,
        stoppedBy,
        timedOut: stoppedBy === 'timeout',
        idledOut: stoppedBy === 'idle',
        canceled: stoppedBy === 'abort',
        durationMs: Date.now() - started,
        pid,
        spawnError,
      });
    };

    startChild(
      { command, args, cwd: options.cwd, env: options.env ?? process.env, stdin: options.stdin ?? '' },
      {
        spawned(childPid) {
          pid = childPid;
          killer = new GroupKiller(childPid, options.killGraceMs ?? defaultKillGraceMs);
          trackGroup(childPid);
          options.onSpawn?.(childPid);
          if (stoppedBy !== undefined) killer.terminate();
        },
        line(stream, line) {
          armIdle();
          options.onLine?.(stream, line);
        },
        error: (error) => finish(null, null, error),
        closed: (code, signal) => finish(code, signal),
      },
    );
  });
}
