// Talking to orch's MCP stdio server in-process, over in-memory streams.
import { PassThrough } from 'node:stream';
import { serveMcp, type McpTool } from '../../src/mcp/stdio-server.ts';

/** Serve tools over in-memory streams; `call` sends a tools/call and resolves with its reply. */
export function mcpSession(tools: McpTool[]) {
  const input = new PassThrough();
  const output = new PassThrough();
  const waiting = new Map<number, (reply: Record<string, unknown>) => void>();
  let buffer = '';
  output.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const message = JSON.parse(buffer.slice(0, newline)) as { id: number; result?: Record<string, unknown> };
      buffer = buffer.slice(newline + 1);
      waiting.get(message.id)?.(message.result ?? {});
    }
  });
  const served = serveMcp(tools, { input, output }, { name: 'orch', version: 'test' });
  let nextId = 1;
  return {
    call(name: string, args: Record<string, unknown>): Promise<{ content: { text: string }[]; isError: boolean }> {
      const id = nextId++;
      const reply = new Promise<Record<string, unknown>>((resolve) => waiting.set(id, resolve));
      input.write(`${JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } })}\n`);
      return reply as Promise<{ content: { text: string }[]; isError: boolean }>;
    },
    async close(): Promise<void> {
      input.end();
      await served;
    },
  };
}
