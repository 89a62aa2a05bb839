// The node:http plumbing both scripted servers share: bodies in, JSON out, listening on 127.0.0.1 and closing.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestView } from './request.ts';
import type { Selection } from './select.ts';

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function parseJson(text: string): unknown {
  try {
    return text === '' ? null : (JSON.parse(text) as unknown);
  } catch {
    return null;
  }
}

export function sendJson(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(body);
}

export type Handler = (request: IncomingMessage, response: ServerResponse, signal: AbortSignal) => Promise<void>;

export interface Listening {
  port: number;
  /** Stops listening and drops open connections, hanging ones included. */
  close: () => Promise<void>;
}

/**
 * Serves `handle` on 127.0.0.1. Each request gets a signal that aborts when its client goes away; a handler that
 * throws answers 500 with `failureBody` (or drops the connection when the answer had already started).
 */
export async function listenLocal(handle: Handler, port: number, failureBody: (message: string) => string): Promise<Listening> {
  const server: Server = createServer((request, response) => {
    const closed = new AbortController();
    response.on('close', () => closed.abort());
    handle(request, response, closed.signal).catch((error: unknown) => {
      if (closed.signal.aborted) return; // The client went away during a delay: nothing left to answer.
      const message = error instanceof Error ? error.message : String(error);
      if (response.headersSent) response.destroy();
      else sendJson(response, 500, failureBody(`scripted server failure: ${message}`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}

/** The credential a request carries: `x-api-key`, else a Bearer token (what a script's `match.apiKey` names). */
export function requestCredential(headers: IncomingHttpHeaders): string | null {
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string') return apiKey;
  return /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1] ?? null;
}

/** What the request log records of a request once its script and step are chosen. */
export function selectionRecord(selection: Selection, view: RequestView, sessionHeader: string | string[] | undefined) {
  return {
    script: selection.script,
    conversation: selection.conversation,
    turn: view.turn,
    cwd: view.cwd,
    sessionId: typeof sessionHeader === 'string' ? sessionHeader : null,
    answer: selection.step.kind === 'answer' ? ('message' as const) : selection.step.kind,
  };
}
