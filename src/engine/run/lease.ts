// A run's lease: the orch process working on a run renews it every few seconds. Another orch process (a second
// terminal, a daemon, the next start after a crash) treats the run as taken while the lease is live, and as
// abandoned once its owner is gone or the lease has run out. Taking a lease is one IMMEDIATE transaction, so two
// processes can never both take the same run.
//
// This is the one owner check: who may resume, cancel, clean or watch a run asks here, never the pid alone.
import { ConflictError } from '../../domain/errors.ts';
import { isAlive, processStartTime } from '../../process/registry.ts';
import type { Store } from '../../store/store.ts';

const renewEveryMs = 5_000;
const validForMs = 30_000;
const myStart = (): string | null => processStartTime(process.pid);

/** Whether another live orch process holds the run. */
export function leaseHeldElsewhere(store: Store, runId: string, now = Date.now()): boolean {
  const lease = store.runs.lease(runId);
  if (lease.ownerPid === null) return false;
  // This process by pid and start time: a restarted orch that got the same pid is not the old owner.
  if (lease.ownerPid === process.pid && (lease.ownerStart === null || lease.ownerStart === myStart())) return false;
  if (!isAlive(lease.ownerPid)) return false;
  // The pid is alive, but is it still that orch? A reused pid has another start time.
  if (lease.ownerStart !== null && processStartTime(lease.ownerPid) !== lease.ownerStart) return false;
  return lease.leaseUntil === null || Date.parse(lease.leaseUntil) > now;
}

/** Whether this very process (pid and start time) holds the run. */
export function leaseHeldHere(store: Store, runId: string): boolean {
  const lease = store.runs.lease(runId);
  return lease.ownerPid === process.pid && (lease.ownerStart === null || lease.ownerStart === myStart());
}

/** Who works on the run: this process, another live orch, or nobody (never taken, or its owner is gone). */
export function leaseOwner(store: Store, runId: string): 'here' | 'elsewhere' | 'nobody' {
  if (leaseHeldHere(store, runId)) return 'here';
  return leaseHeldElsewhere(store, runId) ? 'elsewhere' : 'nobody';
}

/** Take the run for this process, or say who has it. */
export function takeLease(store: Store, runId: string): void {
  const taken = store.tx(() => {
    if (leaseHeldElsewhere(store, runId)) return false;
    store.runs.renewLease(runId, process.pid, myStart(), validForMs);
    return true;
  });
  if (!taken) {
    const owner = store.runs.lease(runId).ownerPid;
    throw new ConflictError(`Run ${runId} is being worked on by another orch process (pid ${owner ?? '?'}).`, {
      hint: `Wait for it, or stop that process first (kill -INT ${owner ?? '<pid>'}).`,
    });
  }
}

/**
 * Keep renewing the lease while the run works; renewal stops if another process has taken the run over. A renewal
 * that cannot be written (a full disk) is the run's problem, handed to `onFailure`: a timer's throw would end the
 * process with a stack trace and leave the run marked running.
 */
export function holdLease(store: Store, runId: string, onFailure: (error: unknown) => void = () => {}): () => void {
  const start = myStart();
  const renew = () => {
    try {
      store.tx(() => {
        const lease = store.runs.lease(runId);
        if (lease.ownerPid === process.pid && lease.ownerStart === start) store.runs.renewLease(runId, process.pid, start, validForMs);
      });
    } catch (error) {
      onFailure(error);
    }
  };
  store.runs.renewLease(runId, process.pid, start, validForMs);
  const timer = setInterval(renew, renewEveryMs);
  timer.unref();
  return () => clearInterval(timer);
}
