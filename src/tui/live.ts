// The dashboard for a run this process executes (`orch run`, `orch resume`, `orch demo`): it goes on screen
// when the run's first event arrives, so bad input is reported as plain text, and comes off when the run ends.
import type { Store } from '../store/store.ts';
import { followInProcess } from './feed.ts';
import { DashboardModel } from './model.ts';
import { mountDashboard, type MountedDashboard } from './mount.tsx';

export interface LiveDashboard {
  /** Whether the dashboard is (or is about to be) on screen: not after q. */
  readonly showing: boolean;
  notice(text: string): void;
  /** The run is over (or failed to start): the final frame stays, the dashboard goes. */
  end(): Promise<void>;
}

export function startLiveDashboard(store: Store, options: { onLeave: () => void; onInterrupt: () => void }): LiveDashboard {
  const model = new DashboardModel();
  let mounted: MountedDashboard | undefined;
  let left = false;
  let ended = false;
  const leave = () => {
    if (left) return;
    left = true;
    feed.stop();
    void (mounted?.close() ?? Promise.resolve()).then(options.onLeave, options.onLeave);
  };
  const feed = followInProcess(store, model, () => {
    // Not from inside the store's publish: the engine's write should not wait for the first frame.
    setImmediate(() => {
      if (left || ended) return;
      try {
        mounted = mountDashboard(model, { mode: 'run', onLeave: leave, onInterrupt: options.onInterrupt });
      } catch {
        // A terminal ink cannot drive must not stop the run: fall back to plain lines.
        leave();
      }
    });
  });
  return {
    get showing() {
      return !left;
    },
    notice(text) {
      model.setNotice(text);
    },
    async end() {
      ended = true;
      feed.stop();
      if (!left) await mounted?.close();
    },
  };
}
