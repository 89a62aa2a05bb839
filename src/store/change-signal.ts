// A doorbell for writes made by other processes (an `orch run` in another terminal, a daemon, a worker's
// coordinator): the in-process event bus never hears them. SQLite in WAL mode appends every commit to
// `<db>-wal`, so a watch on the database's directory hears each one within milliseconds, and `PRAGMA
// data_version` (which changes only when another connection commits) tells a real change from noise. A slow
// poll of the same pragma covers file systems where watching does not work (network mounts).
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { StoreCore } from './database.ts';

const fallbackPollMs = 2_000;

export class ExternalChanges {
  private readonly listeners = new Set<() => void>();
  private watcher: FSWatcher | undefined;
  private poll: NodeJS.Timeout | undefined;
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
  }

  private start(): void {
    this.lastVersion = this.version();
    const path = this.core.db.name;
    if (path !== ':memory:' && path !== '') {
      const name = basename(path);
      try {
        this.watcher = watch(dirname(path), { persistent: false }, (_event, file) => {
          if (file === null || file.startsWith(name)) this.check();
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

  private check(): void {
    const now = this.version();
    if (now === this.lastVersion) return;
    this.lastVersion = now;
    for (const listener of this.listeners) {
      try {
        listener();
      } catch {
        // A failing listener (a dropped client) must not silence the others.
      }
    }
  }
}
