// Server-sent events parsing (the WHATWG rules): fields per line, an event per blank line.
export interface SseMessage {
  id: string | undefined;
  event: string;
  data: string;
}

export interface SseParser {
  /** Feed decoded text; complete messages go to the callback. */
  push(chunk: string): void;
  /** The reconnection delay the server asked for with `retry:`, if any. */
  retryMs: number | undefined;
}

export function createSseParser(onMessage: (message: SseMessage) => void): SseParser {
  let buffer = '';
  let id: string | undefined;
  let event = '';
  let data: string[] = [];
  const parser: SseParser = {
    retryMs: undefined,
    push(chunk) {
      buffer += chunk;
      // A trailing '\r' may be the first half of '\r\n': keep it for the next chunk.
      const lines = buffer.split(/\r\n|\n|\r(?!$)/);
      buffer = lines.pop() ?? '';
      for (const line of lines) handle(line);
    },
  };

  function handle(line: string): void {
    if (line === '') {
      if (data.length > 0) onMessage({ id, event: event || 'message', data: data.join('\n') });
      event = '';
      data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) parser.retryMs = Number(value);
  }

  return parser;
}
