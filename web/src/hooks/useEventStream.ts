// Subscribes a component to an event stream for as long as it is mounted.
import { useEffect, useRef, useState } from 'react';
import { openEventStream, type StreamStatus } from '../api/events.ts';
import { reportRefused } from '../api/key.ts';
import type { OrchEvent } from '../api/types.ts';

export function useEventStream(path: string | null, onEvent: (event: OrchEvent) => void): StreamStatus {
  const [status, setStatus] = useState<StreamStatus>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    if (path === null) return;
    return openEventStream({
      path,
      onEvent: (event) => handler.current(event),
      onStatus: setStatus,
      onRefused: reportRefused,
    });
  }, [path]);
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
