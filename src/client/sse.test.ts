import { describe, expect, it } from 'vitest';
import { SseParser } from './sse.ts';

describe('SseParser', () => {
  it('parses fields, multi-line data and comments, with any line ending, across chunk boundaries', () => {
    const parser = new SseParser();
    const text = 'retry: 1500\r\n\r\n: keep-alive\n\nid: 7\nevent: run.started\ndata: {"a":\ndata: 1}\r\n\r\nid: 9\rdata: x\r\r\n';
    const messages = [];
    for (const char of text) messages.push(...parser.push(char));
    expect(messages).toEqual([
      { id: '7', event: 'run.started', data: '{"a":\n1}' },
      { id: '9', event: 'message', data: 'x' },
    ]);
    expect(parser.retryMs).toBe(1500);
  });

  it('keeps the last id across messages and never dispatches a message cut off by the end of the stream', () => {
    const parser = new SseParser();
    expect(parser.push('id: 3\ndata: a\n\ndata: b\n\nid: 4\ndata: cut')).toEqual([
      { id: '3', event: 'message', data: 'a' },
      { id: '3', event: 'message', data: 'b' },
    ]);
  });

  it('dispatches nothing for an event without data', () => {
    expect(new SseParser().push('event: ping\n\n: comment\n\n')).toEqual([]);
  });
});
