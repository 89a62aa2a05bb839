// Supervised child processes: argv only, own process group, line streaming, total and idle timeouts,
// SIGTERM then SIGKILL to the whole group, and registration so that orch's own exit takes children with it.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { GroupKiller } from './kill.ts';
import { trackGroup, untrackGroup } from './registry.ts';

export type StreamName = 'stdout' | 'stderr';

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

    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true, // its own process group: we kill the group, agents' shells and test runners included
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const pid = child.pid;
    const killer = pid === undefined ? undefined : new GroupKiller(pid, options.killGraceMs ?? defaultKillGraceMs);
    if (pid !== undefined) {
      trackGroup(pid);
      options.onSpawn?.(pid);
    }

    /** The one place a stop is decided: the first cause is kept, later ones only find the process stopping. */
    const stop = (cause: StopCause) => {
      stoppedBy ??= cause;
      killer?.terminate();
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

    const pending: Promise<void>[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      const lines = createInterface({ input: child[stream], crlfDelay: Infinity });
      lines.on('line', (line) => {
        armIdle();
        options.onLine?.(stream, line);
      });
      pending.push(new Promise((done) => lines.once('close', done)));
    }

    child.stdin.on('error', () => {
      // The child may exit without reading its stdin; that is not our failure.
    });
    child.stdin.end(options.stdin ?? '');

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

    child.once('error', (error: NodeJS.ErrnoException) => {
      if (pid === undefined) finish(null, null, error);
    });
    child.once('close', (code, sig) => {
      void Promise.all(pending).then(() => finish(code, sig));
    });
  });
}
