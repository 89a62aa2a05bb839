// Reading one JSON-RPC 2.0 message: valid JSON is not yet a request. Anything that is not a request object with a
// string method gets the error the specification names (-32600 Invalid Request), so a client's mistake is answered
// and the server keeps serving, instead of throwing on `null.method`.

export type RequestId = string | number | null;

export interface Request {
  jsonrpc: '2.0';
  /** Absent for a notification (no answer). */
  id?: RequestId;
  method: string;
  params?: Record<string, unknown>;
}

export const rpcErrors = { parse: -32700, invalidRequest: -32600, methodNotFound: -32601, invalidParams: -32602, internal: -32603 } as const;

export type Parsed =
  | { kind: 'request'; request: Request }
  /** An answer to send at once: the message was not a request orch can serve. */
  | { kind: 'error'; id: RequestId; code: number; message: string }
  /** A response from the client (to nothing orch asked): ignored, as the protocol says. */
  | { kind: 'ignore' };

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const validId = (id: unknown): id is RequestId => id === null || typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id));

export function parseMessage(line: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { kind: 'error', id: null, code: rpcErrors.parse, message: 'parse error: the line is not JSON' };
  }
  if (Array.isArray(value)) {
    return { kind: 'error', id: null, code: rpcErrors.invalidRequest, message: 'invalid request: batches are not supported (MCP 2025-06-18 has none); send one request per line' };
  }
  if (!isPlainObject(value)) return { kind: 'error', id: null, code: rpcErrors.invalidRequest, message: `invalid request: expected a request object, got ${value === null ? 'null' : typeof value}` };
  const hasId = 'id' in value;
  const id = hasId && validId(value['id']) ? value['id'] : null;
  if (hasId && !validId(value['id'])) return { kind: 'error', id: null, code: rpcErrors.invalidRequest, message: 'invalid request: id must be a string, a number or null' };
  if (!('method' in value) && ('result' in value || 'error' in value)) return { kind: 'ignore' };
  if (value['jsonrpc'] !== '2.0') return { kind: 'error', id, code: rpcErrors.invalidRequest, message: 'invalid request: jsonrpc must be "2.0"' };
  if (typeof value['method'] !== 'string' || value['method'] === '') return { kind: 'error', id, code: rpcErrors.invalidRequest, message: 'invalid request: method must be a non-empty string' };
  const params = value['params'];
  if (params !== undefined && !isPlainObject(params)) {
    const code = Array.isArray(params) ? rpcErrors.invalidParams : rpcErrors.invalidRequest;
    return { kind: 'error', id, code, message: `invalid ${code === rpcErrors.invalidParams ? 'params' : 'request'}: params must be an object` };
  }
  const request: Request = { jsonrpc: '2.0', method: value['method'], ...(params === undefined ? {} : { params }) };
  if (hasId) request.id = id;
  return { kind: 'request', request };
}
