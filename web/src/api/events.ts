// An event stream for a view: orch/client's, which reads the stream with fetch (so the key goes in a header, never
// in a URL) and reconnects with Last-Event-ID, so no event is missed or repeated.
import type { OrchEvent, StreamStatus as ClientStreamStatus } from 'orch/client';
import { api, OrchApiError } from './client.ts';

/** The client's states, and one more: the key was refused, so the stream stopped for good. */
export type StreamStatus = ClientStreamStatus | 'unauthorized';

export interface EventStreamOptions {
  /** One run's events, or (undefined) every run's. */
  runId: string | undefined;
  onEvent: (event: OrchEvent) => void;
  onStatus?: (status: StreamStatus) => void;
  /** The key was refused (401/403): the stream stops, with the server's message. */
  onRefused?: (message: string) => void;
}

const refused = (reason: unknown): reason is OrchApiError => reason instanceof OrchApiError && (reason.status === 401 || reason.status === 403);

/** Opens the stream; the returned function closes it for good. */
export function openEventStream(options: EventStreamOptions): () => void {
  const controller = new AbortController();
  const { signal } = controller;
  let lastEventId: number | undefined;
  const follow = async (): Promise<void> => {
    // The client reconnects by itself after drops and server errors; it gives up only on an answer that says no.
    while (!signal.aborted) {
      try {
        for await (const event of api.events(options.runId, { signal, lastEventId, onStatus: options.onStatus })) {
          lastEventId = event.seq;
          options.onEvent(event);
        }
      } catch (reason) {
        if (signal.aborted) return;
        if (refused(reason)) {
          options.onStatus?.('unauthorized');
          options.onRefused?.(reason.message);
          return;
        }
        // Any other refusal (a 404 while the server restarts with another store…): try again, a little later.
        options.onStatus?.('retrying');
        await new Promise((resolve) => setTimeout(resolve, 5000));
      }
    }
  };
  void follow();
  return () => controller.abort();
}
