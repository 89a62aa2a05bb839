// Every live process group orch started, so that orch's own exit (normal, SIGINT, SIGTERM) takes them with it.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { GroupKiller, signalGroups } from './kill.ts';

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
  signalGroups(liveGroups, 'SIGKILL');
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

/** When a process started (clock ticks since boot, from /proc): with the pid, it names one process for good,
 * so a recorded pid is never mistaken for an unrelated process that reused the number. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** Kill the process group led by `pid` (and the groups under it) if that leader is still the process recorded
 * (same start time): SIGTERM, up to `graceMs` for it to exit, then SIGKILL. */
export async function killRecordedGroup(pid: number, startTime: string | null, graceMs = 2000): Promise<boolean> {
  if (!isAlive(pid) || (startTime !== null && processStartTime(pid) !== startTime)) return false;
  const killer = new GroupKiller(pid, graceMs);
  killer.terminate();
  // Not a child of this process: no exit event to wait on, so look until it is gone or the grace is over.
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(50);
  killer.kill();
  return true;
}
