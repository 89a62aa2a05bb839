// A server-sent event stream read with fetch, so the key goes in the Authorization header and never in a
// URL (EventSource cannot send headers). It reconnects with Last-Event-ID, so no event is missed or repeated.
import { apiBase, authHeaders, authMessage } from './client.ts';
import { createSseParser } from './sse-parser.ts';
import type { ErrorBody, OrchEvent } from './types.ts';

export type StreamStatus = 'connecting' | 'open' | 'retrying' | 'unauthorized';

export interface EventStreamOptions {
  /** '/events' for every run, '/runs/<id>/events' for one. */
  path: string;
  onEvent: (event: OrchEvent) => void;
  onStatus?: (status: StreamStatus) => void;
  /** The key was refused (401/403): the stream stops, with the server's message. */
  onRefused?: (message: string) => void;
}

const maxDelayMs = 15_000;

/** Opens the stream; the returned function closes it for good. */
export function openEventStream(options: EventStreamOptions): () => void {
  const controller = new AbortController();
  let lastEventId: string | undefined;
  let delayMs = 1000;

  const connect = async (): Promise<void> => {
    while (!controller.signal.aborted) {
      options.onStatus?.('connecting');
      let retryMs: number | undefined;
      try {
        const headers: Record<string, string> = { Accept: 'text/event-stream', ...authHeaders() };
        if (lastEventId !== undefined) headers['Last-Event-ID'] = lastEventId;
        const response = await fetch(`${apiBase}${options.path}`, { headers, signal: controller.signal, cache: 'no-store' });
        if (response.status === 401 || response.status === 403) {
          options.onStatus?.('unauthorized');
          options.onRefused?.(await refusal(response));
          return;
        }
        if (!response.ok || response.body === null) throw new Error(`HTTP ${response.status}`);
        options.onStatus?.('open');
        delayMs = 1000;
        const parser = createSseParser((message) => {
          if (message.id !== undefined) lastEventId = message.id;
          try {
            options.onEvent(JSON.parse(message.data) as OrchEvent);
          } catch {
            // A message that is not an event (a greeting, a heartbeat with data) is not ours to handle.
          }
        });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parser.push(value);
        }
        retryMs = parser.retryMs;
      } catch {
        if (controller.signal.aborted) return;
      }
      options.onStatus?.('retrying');
      await wait(retryMs ?? delayMs, controller.signal);
      delayMs = Math.min(delayMs * 2, maxDelayMs);
    }
  };

  void connect();
  return () => controller.abort();
}

function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

async function refusal(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as Partial<ErrorBody>;
    return body.error?.message ?? authMessage(response.status);
  } catch {
    return authMessage(response.status);
  }
}
