// A run's lease: the orch process working on a run renews it every few seconds. Another orch process (a second
// terminal, a daemon, the next start after a crash) treats the run as taken while the lease is live, and as
// abandoned once its owner is gone or the lease has run out.
import { isAlive, processStartTime } from '../process/registry.ts';
import type { Store } from '../store/store.ts';

const renewEveryMs = 5_000;
const validForMs = 30_000;

export function holdLease(store: Store, runId: string): () => void {
  const start = processStartTime(process.pid);
  const renew = () => store.runs.renewLease(runId, process.pid, start, validForMs);
  renew();
  const timer = setInterval(renew, renewEveryMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Whether another live orch process holds the run. */
export function leaseHeldElsewhere(store: Store, runId: string, now = Date.now()): boolean {
  const lease = store.runs.lease(runId);
  if (lease.ownerPid === null || lease.ownerPid === process.pid) return false;
  if (!isAlive(lease.ownerPid)) return false;
  // The pid is alive, but is it still that orch? A reused pid has another start time.
  if (lease.ownerStart !== null && processStartTime(lease.ownerPid) !== lease.ownerStart) return false;
  return lease.leaseUntil === null || Date.parse(lease.leaseUntil) > now;
}
