import { describe, expect, it } from 'vitest';
import { createSseParser, type SseMessage } from './sse-parser.ts';

function parse(chunks: string[]): { messages: SseMessage[]; retryMs: number | undefined } {
  const messages: SseMessage[] = [];
  const parser = createSseParser((message) => messages.push(message));
  for (const chunk of chunks) parser.push(chunk);
  return { messages, retryMs: parser.retryMs };
}

describe('SSE parser', () => {
  it('reads id, event and multi-line data; skips comments; keeps the last id', () => {
    const { messages, retryMs } = parse(['retry: 1000\n\n: keep-alive\n\nid: 7\nevent: run.started\ndata: {"a":1}\n\n', 'data: x\ndata: y\n\n']);
    expect(retryMs).toBe(1000);
    expect(messages).toEqual([
      { id: '7', event: 'run.started', data: '{"a":1}' },
      { id: '7', event: 'message', data: 'x\ny' },
    ]);
  });

  it('joins lines split across chunks, \\r\\n split between them included', () => {
    const { messages } = parse(['id: 1\r', '\nda', 'ta: hel', 'lo\r\n\r', '\n']);
    expect(messages).toEqual([{ id: '1', event: 'message', data: 'hello' }]);
  });

  it('dispatches nothing for an event without data', () => {
    expect(parse(['event: ping\n\n']).messages).toEqual([]);
  });
});
