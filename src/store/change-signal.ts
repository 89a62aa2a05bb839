// A doorbell for writes made by other processes (an `orch run` in another terminal, a daemon, a worker's
// coordinator): the in-process event bus never hears them. SQLite in WAL mode appends every commit to
// `<db>-wal`, so a watch on the database's directory hears each one within milliseconds, and `PRAGMA
// data_version` (which changes only when another connection commits) tells a real change from noise. A slow
// poll of the same pragma covers file systems where watching does not work (network mounts).
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { StoreCore } from './database.ts';

const fallbackPollMs = 2_000;
/** When a file event came but the version had not moved yet: look again after these delays. A commit writes
 * its WAL frames (the event) before it publishes them in the WAL index (`-shm`, memory-mapped, so no event):
 * read between the two, the version is still the old one and nothing else would ring until the next write. */
const recheckMs = [2, 10, 40, 100, 250, 500] as const;

export class ExternalChanges {
  private readonly listeners = new Set<() => void>();
  private watcher: FSWatcher | undefined;
  private poll: NodeJS.Timeout | undefined;
  private recheck: NodeJS.Timeout | undefined;
  private lastVersion = 0;

  constructor(private readonly core: StoreCore) {}

  /** Call `listener` after another process commits to the database. Returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    if (this.listeners.size === 0) this.start();
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  stop(): void {
    this.watcher?.close();
    this.watcher = undefined;
    if (this.poll !== undefined) clearInterval(this.poll);
    this.poll = undefined;
    if (this.recheck !== undefined) clearTimeout(this.recheck);
    this.recheck = undefined;
  }

  private start(): void {
    this.lastVersion = this.version();
    const path = this.core.db.name;
    if (path !== ':memory:' && path !== '') {
      const name = basename(path);
      try {
        this.watcher = watch(dirname(path), { persistent: false }, (_event, file) => {
          if (file === null || file.startsWith(name)) this.onFileEvent();
        });
        this.watcher.on('error', () => this.watcher?.close());
      } catch {
        this.watcher = undefined; // no watching here: the poll below carries it alone
      }
    }
    this.poll = setInterval(() => this.check(), fallbackPollMs);
    this.poll.unref();
  }

  private version(): number {
    if (!this.core.db.open) return this.lastVersion;
    return this.core.db.pragma('data_version', { simple: true }) as number;
  }

  private onFileEvent(): void {
    if (this.check() || this.recheck !== undefined) return;
    const lookAgain = (attempt: number): void => {
      const delay = recheckMs[attempt];
      if (delay === undefined) {
        this.recheck = undefined;
        return;
      }
      this.recheck = setTimeout(() => {
        this.recheck = undefined;
        if (!this.check()) lookAgain(attempt + 1);
      }, delay);
      this.recheck.unref();
    };
    lookAgain(0);
  }

  /** Ring if another connection committed since the last look; whether it did. */
  private check(): boolean {
    const now = this.version();
    if (now === this.lastVersion) return false;
    this.lastVersion = now;
    for (const listener of this.listeners) {
      try {
        listener();
      } catch {
        // A failing listener (a dropped client) must not silence the others.
      }
    }
    return true;
  }
}
