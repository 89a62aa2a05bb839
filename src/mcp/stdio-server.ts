// A minimal MCP server over stdio (JSON-RPC 2.0, one message a line): initialize, tools/list, tools/call, ping.
// Enough for an agent CLI to call orch's tools; stdout carries protocol messages only.
import { createInterface } from 'node:readline';
import { parseMessage, rpcErrors, type Request } from './json-rpc.ts';

export interface McpTool {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
  /** Calls wait for each other: one at a time per server, in the order they came. */
  oneAtATime?: boolean;
  call(args: Record<string, unknown>, signal: AbortSignal): Promise<{ text: string; isError?: boolean }>;
}


const supportedVersions = ['2025-06-18', '2025-03-26', '2024-11-05'];

export async function serveMcp(tools: readonly McpTool[], io: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream }, info: { name: string; version: string }): Promise<void> {
  const controller = new AbortController();
  const send = (message: Record<string, unknown>) => io.output.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
  const pending = new Set<Promise<void>>();
  // The tail of the queue of one-at-a-time calls.
  let queue: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const turn = queue.then(work);
    queue = turn.catch(() => undefined);
    return turn;
  };

  const handle = async (request: Request): Promise<void> => {
    const reply = (result: unknown) => request.id !== undefined && send({ id: request.id, result });
    const fail = (code: number, message: string) => request.id !== undefined && send({ id: request.id, error: { code, message } });
    switch (request.method) {
      case 'initialize': {
        const asked = typeof request.params?.['protocolVersion'] === 'string' ? request.params['protocolVersion'] : '';
        reply({ protocolVersion: supportedVersions.includes(asked) ? asked : supportedVersions[0], capabilities: { tools: { listChanged: false } }, serverInfo: info });
        return;
      }
      case 'ping':
        reply({});
        return;
      case 'tools/list':
        reply({ tools: tools.map(({ name, description, inputSchema }) => ({ name, description, inputSchema })) });
        return;
      case 'tools/call': {
        const name = request.params?.['name'];
        if (typeof name !== 'string') return void fail(rpcErrors.invalidParams, 'invalid params: tools/call needs params.name, a string');
        const tool = tools.find((t) => t.name === name);
        if (tool === undefined) return void fail(rpcErrors.invalidParams, `unknown tool '${name}'`);
        const args = request.params?.['arguments'] ?? {};
        if (typeof args !== 'object' || args === null || Array.isArray(args)) return void fail(rpcErrors.invalidParams, 'invalid params: params.arguments must be an object');
        try {
          const call = () => tool.call(args as Record<string, unknown>, controller.signal);
          const result = await (tool.oneAtATime === true ? inTurn(call) : call());
          reply({ content: [{ type: 'text', text: result.text }], isError: result.isError === true });
        } catch (error) {
          reply({ content: [{ type: 'text', text: `orch: ${(error as Error).message}` }], isError: true });
        }
        return;
      }
      default:
        if (!request.method.startsWith('notifications/')) fail(rpcErrors.methodNotFound, `method not found: ${request.method}`);
    }
  };

  const lines = createInterface({ input: io.input, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const message = parseMessage(line);
    if (message.kind === 'ignore') continue;
    if (message.kind === 'error') {
      send({ id: message.id, error: { code: message.code, message: message.message } });
      continue;
    }
    const { request } = message;
    // A failure inside a handler is this request's error, never the end of the server.
    const work = handle(request)
      .catch((error: unknown) => {
        if (request.id !== undefined) send({ id: request.id, error: { code: rpcErrors.internal, message: `internal error: ${(error as Error).message}` } });
      })
      .finally(() => pending.delete(work));
    pending.add(work);
  }
  // The agent closed our stdin (it ended or was killed): stop what we started, then finish.
  controller.abort();
  await Promise.allSettled(pending);
}
