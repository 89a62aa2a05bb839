// Every live process group orch started, so that orch's own exit (normal, SIGINT, SIGTERM) takes them with it.
import { readFileSync } from 'node:fs';

const liveGroups = new Set<number>();
let exitHookInstalled = false;

export function trackGroup(pgid: number): void {
  liveGroups.add(pgid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // 'exit' handlers must be synchronous: SIGKILL every group we still own.
    process.once('exit', killAllGroups);
  }
}

export function untrackGroup(pgid: number): void {
  liveGroups.delete(pgid);
}

export function liveGroupCount(): number {
  return liveGroups.size;
}

/** Last-resort cleanup: SIGKILL every group still alive. Safe to call more than once. */
export function killAllGroups(): void {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  liveGroups.clear();
}

/** Whether a process with this id is alive. A zombie (dead, not yet reaped by its parent) counts as dead. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): trust kill(0)
  }
}
