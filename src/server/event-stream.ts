// The event log as Server-Sent Events: everything after the client's last seq from the store, then what comes.
// Each message is `id: <seq>`, `event: <type>`, `data: <event JSON>`, so a reconnect with Last-Event-ID loses
// nothing and repeats nothing.
//
// The store is the only source of what is sent: the in-process subscription is just a doorbell. Subscribing
// before the first read closes the race between replay and live events (an event committed in between rings
// the bell and is read next), and the seq cursor makes duplicates impossible. Events written by other orch
// processes (an `orch run` in a terminal) ring the store's external-change bell; the poll timer is a safety net.
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Store } from '../store/store.ts';

const pageSize = 500;

export interface EventStreamOptions {
  store: Store;
  /** One run's events, or every run's when null. */
  runId: string | null;
  afterSeq: number;
  heartbeatMs: number;
  pollMs: number;
}

export function eventStream(c: Context, options: EventStreamOptions): Response {
  const { store, runId } = options;
  return streamSSE(c, async (stream) => {
    let pending: boolean;
    let wake: (() => void) | undefined;
    const ring = (): void => {
      pending = true;
      wake?.();
    };
    const unsubscribe = store.events.subscribe((event) => {
      if (runId === null || event.runId === runId) ring();
    });
    // Another process's commit (an `orch run` in a terminal) rings too; the poll below is only a safety net.
    const unwatch = store.externalChanges.subscribe(ring);
    stream.onAbort(ring);
    try {
      let last = options.afterSeq;
      let lastWrite = Date.now();
      await stream.write('retry: 1000\n\n');
      while (!stream.aborted) {
        pending = false;
        for (;;) {
          const page = store.events.since(runId, last, pageSize);
          for (const event of page) {
            if (stream.aborted) return;
            await stream.writeSSE({ id: String(event.seq), event: event.type, data: JSON.stringify(event) });
            last = event.seq;
            lastWrite = Date.now();
          }
          if (page.length < pageSize) break;
        }
        if (pending) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(options.pollMs, options.heartbeatMs));
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
        if (!pending && !stream.aborted && Date.now() - lastWrite >= options.heartbeatMs) {
          await stream.write(': keep-alive\n\n');
          lastWrite = Date.now();
        }
      }
    } finally {
      unsubscribe();
      unwatch();
    }
  });
}

/** Where a client resumes: the Last-Event-ID header (EventSource reconnects), else ?lastEventId=, else the start. */
export function resumePoint(headerValue: string | undefined, queryValue: number | undefined): number | 'invalid' {
  if (headerValue !== undefined && headerValue.trim() !== '') {
    return /^\d{1,15}$/.test(headerValue.trim()) ? Number(headerValue.trim()) : 'invalid';
  }
  return queryValue ?? 0;
}
