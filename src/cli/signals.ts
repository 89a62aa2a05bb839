// Ctrl+C and SIGTERM: the first asks the run to stop (agents get SIGTERM, then SIGKILL, and the run is marked
// interrupted); a second one exits at once, killing every child group on the way out.
import { killAllGroups } from '../process/registry.ts';

export function interruptOnSignals(onFirst: (signal: NodeJS.Signals) => void): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  let count = 0;
  const handler = (sig: NodeJS.Signals) => {
    count++;
    if (count === 1) {
      onFirst(sig);
      controller.abort(new Error(`received ${sig}`));
      return;
    }
    killAllGroups();
    process.exit(130);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
