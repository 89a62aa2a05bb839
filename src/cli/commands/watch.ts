// `orch watch <run>`: follow a run another process executes (another terminal, the API server) from the event
// log in the store alone. That process writes the database, so the in-process bus never sees its events: the
// log is read when the store's cross-process change signal rings.
import type { Command } from 'commander';
import { isRunOver } from '../../domain/status.ts';
import { leaseOwner } from '../../engine/run/lease.ts';
import type { Store } from '../../store/store.ts';
import { eventsSince, followExternal, loadRun } from '../../tui/feed.ts';
import { DashboardModel } from '../../tui/model.ts';
import { isOver } from '../../tui/state.ts';
import { openContext } from '../context.ts';
import { printErr, printOut, progressLine } from '../output.ts';

/** How often to ask whether the run's owner is still alive: a dead owner rings no bell. */
const ownerCheckMs = 1_000;

/** Why nobody will write this run's events any more, when its owner died (or its lease ran out) without marking it over. */
function ownerGone(store: Store, runId: string): string | undefined {
  if (isRunOver(store.runs.get(runId).status) || leaseOwner(store, runId) !== 'nobody') return undefined;
  const pid = store.runs.ownerPid(runId);
  return `the orch process that ran ${runId} (pid ${pid ?? '?'}) is gone; resume the run with: orch resume ${runId}`;
}

/** Plain lines until the run is over; true when it succeeded. */
async function watchLines(store: Store, runId: string): Promise<boolean> {
  let lastSeq = 0;
  let ownerCheckedAt = 0;
  let wake: (() => void) | undefined;
  let rang: boolean;
  // Subscribed before the first read: a commit in between rings, and is read on the next turn.
  const unwatch = store.externalChanges.subscribe(() => {
    rang = true;
    wake?.();
  });
  try {
    for (;;) {
      rang = false;
      // The status first: its event is committed with it, so the drain below prints the run's last event.
      const status = store.runs.get(runId).status;
      for (const event of eventsSince(store, runId, lastSeq)) {
        lastSeq = event.seq;
        const line = progressLine(event);
        if (line !== undefined) printOut(line);
      }
      if (isRunOver(status)) return status === 'succeeded';
      if (Date.now() - ownerCheckedAt >= ownerCheckMs) {
        ownerCheckedAt = Date.now();
        const gone = ownerGone(store, runId);
        if (gone !== undefined) {
          printErr(`orch: ${gone}`);
          return false;
        }
      }
      if (!rang) await nextChange(ownerCheckMs, (resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    unwatch();
  }
}

/** Until the store's change signal rings (through `register`) or `timeoutMs` passes, whichever is first. */
function nextChange(timeoutMs: number, register: (resolve: () => void) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    register(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** The dashboard until the run is over or the user leaves; true when it succeeded or goes on. */
async function watchDashboard(store: Store, runId: string): Promise<boolean> {
  const model = new DashboardModel(loadRun(store, runId));
  // Loaded only when drawn: ink and React cost every other command start-up time.
  const { mountDashboard } = await import('../../tui/mount.tsx');
  const { promise: left, resolve: leave } = Promise.withResolvers<void>();
  const dashboard = mountDashboard(model, { mode: 'watch', onLeave: () => leave(), onInterrupt: () => leave() });
  // Without a terminal on stdin, Ctrl+C is a signal rather than a key.
  const onSigint = () => leave();
  process.once('SIGINT', onSigint);
  let gone: string | undefined;
  const feed = followExternal(store, model, {
    tickMs: ownerCheckMs,
    onRead: () => {
      if (isOver(model.state)) leave();
    },
    onTick: () => {
      gone = isOver(model.state) ? undefined : ownerGone(store, runId);
      if (gone !== undefined) model.setNotice(gone);
      if (isOver(model.state) || gone !== undefined) leave();
    },
  });
  if (isOver(model.state)) leave();
  try {
    await left;
  } finally {
    process.off('SIGINT', onSigint);
    feed.stop();
    await dashboard.close();
  }
  if (gone !== undefined) {
    printErr(`orch: ${gone}`);
    return false;
  }
  if (!isOver(model.state)) {
    printErr(`orch: stopped watching; run ${runId} goes on (orch watch ${runId} to come back)`);
    return true;
  }
  return model.state.status === 'succeeded';
}

export function registerWatch(program: Command): void {
  program
    .command('watch')
    .argument('<run>', 'run id (a unique prefix will do)')
    .option('--no-tui', 'plain progress lines on stdout instead of the dashboard')
    .action(async (runArg: string, flags: { tui: boolean }) => {
      const context = await openContext();
      try {
        const runId = context.store.runs.resolvePrefix(runArg).id;
        const tui = flags.tui && process.stdout.isTTY && process.stderr.isTTY;
        const ok = await (tui ? watchDashboard(context.store, runId) : watchLines(context.store, runId));
        process.exitCode = ok ? 0 : 1;
      } finally {
        context.close();
      }
    });
}
