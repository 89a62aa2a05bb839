// One daemon per $ORCH_HOME: a lock file holding the daemon's pid and start time (a reused pid is not the old
// daemon), and what `orch status` shows of it (its portfolio, the next cycle of each project).
import { closeSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConflictError } from '../domain/errors.ts';
import { isAlive, processStartTime } from '../process/registry.ts';

export interface DaemonState {
  pid: number;
  start: string | null;
  startedAt: string;
  portfolio: string;
  /** Per project: when its next cycle is due (ISO), or why none is. */
  next: Record<string, string>;
}

export const daemonLockPath = (home: string): string => join(home, 'daemon.lock');

/** The daemon's state if one is alive on this home, else null (a stale file from a daemon killed -9 is ignored). */
export function readDaemon(home: string): DaemonState | null {
  let state: DaemonState;
  try {
    state = JSON.parse(readFileSync(daemonLockPath(home), 'utf8')) as DaemonState;
  } catch {
    return null;
  }
  if (!isAlive(state.pid)) return null;
  if (state.start !== null && processStartTime(state.pid) !== state.start) return null;
  return state;
}

export class DaemonLock {
  private state: DaemonState;

  private constructor(
    private readonly path: string,
    state: DaemonState,
  ) {
    this.state = state;
  }

  /** Take the lock, or say which daemon holds it. */
  static acquire(home: string, portfolio: string): DaemonLock {
    const path = daemonLockPath(home);
    const state: DaemonState = { pid: process.pid, start: processStartTime(process.pid), startedAt: new Date().toISOString(), portfolio, next: {} };
    for (let tries = 0; tries < 2; tries++) {
      try {
        const fd = openSync(path, 'wx', 0o600);
        writeFileSync(fd, JSON.stringify(state));
        closeSync(fd);
        return new DaemonLock(path, state);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = readDaemon(home);
        if (holder !== null) {
          throw new ConflictError(`An orch daemon already runs on this ORCH_HOME (pid ${holder.pid}, since ${holder.startedAt}).`, {
            hint: `Stop it first (kill -TERM ${holder.pid}), or use another ORCH_HOME.`,
          });
        }
        // Left by a daemon that died: it is nobody's now.
        rmSync(path, { force: true });
      }
    }
    throw new ConflictError('Could not take the daemon lock: another daemon is starting at the same moment.');
  }

  update(next: Record<string, string>): void {
    this.state = { ...this.state, next };
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state), { mode: 0o600 });
    renameSync(tmp, this.path);
  }

  release(): void {
    rmSync(this.path, { force: true });
  }
}
