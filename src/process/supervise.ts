// Supervised child processes: argv only, own process group, line streaming, total and idle timeouts,
// SIGTERM then SIGKILL to the whole group, and registration so that orch's own exit takes children with it.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { trackGroup, untrackGroup } from './registry.ts';
import { descendantGroups } from './tree.ts';

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

export interface ProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The total timeout fired. */
  timedOut: boolean;
  /** The idle timeout fired (no output for idleTimeoutMs). */
  idledOut: boolean;
  /** The caller's AbortSignal fired. */
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
    let timedOut = false;
    let idledOut = false;
    let canceled = false;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    let idleTimer: NodeJS.Timeout | undefined;

    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true, // its own process group: we kill the group, agents' shells and test runners included
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const pid = child.pid;
    if (pid !== undefined) {
      trackGroup(pid);
      options.onSpawn?.(pid);
    }

    // Groups found under the child while it lived: a tool an agent started in a group of its own is killed too.
    const groups = new Set<number>();
    const killGroup = (sig: NodeJS.Signals, scan = true) => {
      if (pid === undefined) return;
      // Scanning /proc costs a few milliseconds: done when stopping a process, not after every git call.
      if (scan) for (const group of descendantGroups(pid)) groups.add(group);
      for (const group of groups.size > 0 ? groups : [pid]) {
        try {
          process.kill(-group, sig);
        } catch {
          // The group is already gone.
        }
      }
    };
    const stop = () => {
      if (killTimer !== undefined) return;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), options.killGraceMs ?? defaultKillGraceMs);
      killTimer.unref();
    };

    const armIdle = () => {
      if (options.idleTimeoutMs === undefined) return;
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        idledOut = true;
        stop();
      }, options.idleTimeoutMs);
    };
    armIdle();
    const totalTimer =
      options.totalTimeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            stop();
          }, options.totalTimeoutMs);

    const onAbort = () => {
      canceled = true;
      stop();
    };
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
      // The leader is gone; anything left in its group (a backgrounded grandchild) goes too.
      killGroup('SIGKILL', false);
      clearTimeout(killTimer);
      if (pid !== undefined) untrackGroup(pid);
      resolve({
        exitCode,
        signal: exitSignal,
        timedOut,
        idledOut,
        canceled,
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
