// Subscribes a component to an event stream for as long as it is mounted.
import { useEffect, useRef, useState } from 'react';
import { openEventStream, type StreamStatus } from '../api/events.ts';
import { reportRefused } from '../api/key.ts';
import type { OrchEvent } from 'orch/client';

/** `runId`: one run's events; undefined: every run's. */
export function useEventStream(runId: string | undefined, onEvent: (event: OrchEvent) => void): StreamStatus {
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    return openEventStream({
      runId,
      onEvent: (event) => handler.current(event),
      onStatus: setStatus,
      onRefused: reportRefused,
    });
  }, [runId]);
  return status;
}

/** Calls `fn` at most once per `ms`, trailing: bursts of events become one refetch. */
export function useThrottled(fn: () => void, ms: number): () => void {
  const latest = useRef(fn);
  latest.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );
  const trigger = useRef(() => {
    if (timer.current !== null) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      latest.current();
    }, ms);
  });
  return trigger.current;
}
