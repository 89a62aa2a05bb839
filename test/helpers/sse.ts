// Reading a text/event-stream response in a test, checking each message's id and event against its data.
import { expect } from 'vitest';
import { SseParser } from '../../src/client/sse.ts';
import type { OrchEvent } from '../../src/domain/records.ts';

export async function readEventsUntil(response: Response, stop: (event: OrchEvent) => boolean): Promise<OrchEvent[]> {
  if (response.body === null) throw new Error('no body');
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new SseParser();
  const events: OrchEvent[] = [];
  try {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) throw new Error(`the stream ended after ${events.length} events`);
      for (const message of parser.push(chunk.value)) {
        const event = JSON.parse(message.data) as OrchEvent;
        expect(message.id).toBe(String(event.seq));
        expect(message.event).toBe(event.type);
        events.push(event);
        if (stop(event)) return events;
      }
    }
  } finally {
    await reader.cancel();
  }
}

export const isRunEnd = (event: OrchEvent): boolean => ['run.succeeded', 'run.failed', 'run.canceled', 'run.interrupted'].includes(event.type);
