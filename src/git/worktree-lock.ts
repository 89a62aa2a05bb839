// Git's worktree bookkeeping (.git/worktrees/*) is not safe against itself: an `add` racing another `add`,
// `remove` or `prune` can leave or read a half-written entry. orch serialises them per repository — within this
// process with a queue, across orch processes with a lock file in the repository's git directory.
import { closeSync, openSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const queues = new Map<string, Promise<unknown>>();
const staleAfterMs = 60_000;

async function withFileLock<T>(lockPath: string, work: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      closeSync(openSync(lockPath, 'wx'));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock left by an orch that died mid-operation is taken over after a minute.
      const age = Date.now() - (statSync(lockPath, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > staleAfterMs) rmSync(lockPath, { force: true });
      else await sleep(25);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockPath, { force: true });
  }
}

export function withWorktreeLock<T>(commonDir: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(commonDir) ?? Promise.resolve();
  const next = previous.then(
    () => withFileLock(join(commonDir, 'orch-worktrees.lock'), work),
    () => withFileLock(join(commonDir, 'orch-worktrees.lock'), work),
  );
  queues.set(
    commonDir,
    next.catch(() => undefined),
  );
  return next;
}
