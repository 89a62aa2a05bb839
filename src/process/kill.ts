// Stopping a process group, the one way orch does it: SIGTERM to the group (and to every group found under its
// leader: some agents start tools in groups of their own), a grace period, then SIGKILL to every group seen.
// Used by `supervise` for the children it runs and by the registry for agents a dead orch left behind.
import { descendantGroups } from './tree.ts';

/** Send `sig` to each process group; a group already gone is skipped. */
export function signalGroups(groups: Iterable<number>, sig: NodeJS.Signals): void {
  for (const group of groups) {
    try {
      process.kill(-group, sig);
    } catch {
      // The group is already gone.
    }
  }
}

export class GroupKiller {
  /** The leader's group and every group seen under it; a group stays here after its leader died. */
  private readonly groups: Set<number>;
  private graceTimer: NodeJS.Timeout | undefined;
  private terminating = false;

  constructor(
    private readonly leader: number,
    private readonly graceMs: number,
  ) {
    this.groups = new Set([leader]);
  }

  /** Whether `terminate` was called. */
  get stopping(): boolean {
    return this.terminating;
  }

  /** SIGTERM now, SIGKILL once the grace has passed (sooner through `kill`). Only the first call counts. */
  terminate(): void {
    if (this.terminating) return;
    this.terminating = true;
    this.scan();
    signalGroups(this.groups, 'SIGTERM');
    this.graceTimer = setTimeout(() => this.kill(), this.graceMs);
    this.graceTimer.unref();
  }

  /**
   * SIGKILL every group seen, at once. `scan`: look for groups under the leader first — a few milliseconds of
   * /proc reading, worth it when stopping a process, not after every git call that simply ended.
   */
  kill({ scan = true }: { scan?: boolean } = {}): void {
    clearTimeout(this.graceTimer);
    if (scan) this.scan();
    signalGroups(this.groups, 'SIGKILL');
  }

  private scan(): void {
    for (const group of descendantGroups(this.leader)) this.groups.add(group);
  }
}
