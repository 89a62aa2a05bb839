// A small parser for text/event-stream (the WHATWG rules that matter here): fields, multi-line data, comments,
// any line ending, the last event id kept across messages, and a message cut off at the end never dispatched.

export interface SseMessage {
  /** The last event id seen so far (the stream's, not necessarily set by this message). */
  id: string | undefined;
  event: string;
  data: string;
}

export class SseParser {
  /** The server's reconnection delay, if it sent one. */
  retryMs: number | undefined;
  private lastEventId: string | undefined;
  private buffer = '';
  private data: string[] = [];
  private event = '';

  /** Feed decoded text; returns the messages completed by it. */
  push(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const out: SseMessage[] = [];
    let start = 0;
    for (;;) {
      const lf = this.buffer.indexOf('\n', start);
      const cr = this.buffer.indexOf('\r', start);
      if (lf === -1 && cr === -1) break;
      const end = cr === -1 || (lf !== -1 && lf < cr) ? lf : cr;
      // A CR at the very end may be the first half of a CRLF that the next chunk completes.
      if (end === cr && cr === this.buffer.length - 1) break;
      const width = end === cr && this.buffer[cr + 1] === '\n' ? 2 : 1;
      this.line(this.buffer.slice(start, end), out);
      start = end + width;
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  private line(line: string, out: SseMessage[]): void {
    if (line === '') {
      if (this.data.length > 0) out.push({ id: this.lastEventId, event: this.event === '' ? 'message' : this.event, data: this.data.join('\n') });
      this.data = [];
      this.event = '';
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
  }
}
