// Watching a repository's control files (control-files.ts) around the attempts that run in it.
//
// Attempts of one repository share its common git dir, and run at once. So the guard keeps one baseline per
// repository, taken when the first attempt starts (then nothing of orch's runs there, so the files are the user's),
// and looks again whenever an attempt starts or ends. A difference is put back at once and blamed on every attempt
// running at that moment: orch cannot tell which of them wrote it, so it marks them all (an honest attempt may be
// marked alongside a guilty one; never the other way round). orch's own git calls (worktree add/remove, commit,
// branch, merge) write only objects, refs and `worktrees/`, never these files; `orch run` adds its line to
// `info/exclude` before any attempt starts.
//
// Each attempt's own `worktrees/<name>/config.worktree` is compared for that attempt alone.
//
// Limits: the guard sees the orch process it lives in; attempts of another orch process on the same repository are
// not known to it. A change the user makes to these files while attempts run is undone like an agent's.
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import {
  compareControlFiles,
  restoreControlFiles,
  sharedControlPaths,
  snapshotControlFiles,
  worktreeGitDir,
  type ControlChange,
  type ControlSnapshot,
} from './control-files.ts';

export type { ControlChange } from './control-files.ts';

/** Told each time a change is found (and already undone) while the attempt ran; `alongside` ran at the same time. */
export type TamperListener = (changes: ControlChange[], alongside: string[]) => void;

interface Watched {
  onTamper: TamperListener;
  found: ControlChange[];
  /** The worktree's own config.worktree: its path and what it was at the start. */
  own: { paths: { files: string[]; trees: string[] }; before: ControlSnapshot } | undefined;
}

export class ControlFilesGuard {
  private baseline: ControlSnapshot | undefined;
  private readonly active = new Map<string, Watched>();
  /** One look at a time: a restore must not race another snapshot. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly commonDir: string) {}

  /** Start watching for `attemptId`, whose worktree exists already. */
  begin(attemptId: string, worktree: string, onTamper: TamperListener): Promise<void> {
    return this.serial(async () => {
      if (this.active.size === 0) this.baseline = await snapshotControlFiles(sharedControlPaths(this.commonDir), true);
      else await this.look();
      const gitDir = await worktreeGitDir(worktree);
      const paths = gitDir === undefined ? undefined : { files: [join(gitDir, 'config.worktree')], trees: [] };
      const own = paths === undefined ? undefined : { paths, before: await snapshotControlFiles(paths, true) };
      this.active.set(attemptId, { onTamper, found: [], own });
    });
  }

  /** Look a last time for `attemptId`, undo what changed, and say everything found while it ran. */
  end(attemptId: string): Promise<ControlChange[]> {
    return this.serial(async () => {
      const watched = this.active.get(attemptId);
      if (watched === undefined) return [];
      try {
        await this.look();
        if (watched.own !== undefined) {
          const after = await snapshotControlFiles(watched.own.paths, false);
          const changes = compareControlFiles(watched.own.before, after, this.commonDir);
          if (changes.length > 0) {
            await restoreControlFiles(watched.own.before, changes, this.commonDir);
            watched.found.push(...changes);
            watched.onTamper(changes, []);
          }
        }
      } finally {
        this.active.delete(attemptId);
      }
      return watched.found;
    });
  }

  private async look(): Promise<void> {
    if (this.baseline === undefined) return;
    const after = await snapshotControlFiles(sharedControlPaths(this.commonDir), false);
    const changes = compareControlFiles(this.baseline, after, this.commonDir);
    if (changes.length === 0) return;
    await restoreControlFiles(this.baseline, changes, this.commonDir);
    const suspects = [...this.active.keys()];
    for (const [id, watched] of this.active) {
      watched.found.push(...changes);
      watched.onTamper(
        changes,
        suspects.filter((other) => other !== id),
      );
    }
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

const guards = new Map<string, ControlFilesGuard>();

/** The one guard of this process for the repository whose common git dir this is. */
export function controlFilesGuard(commonDir: string): ControlFilesGuard {
  let key = commonDir;
  try {
    key = realpathSync(commonDir);
  } catch {
    // A missing dir fails later, where it is used.
  }
  let guard = guards.get(key);
  if (guard === undefined) {
    guard = new ControlFilesGuard(key);
    guards.set(key, guard);
  }
  return guard;
}
