// The skeleton the scripted model servers share: the request log, probes and 404s, counting, picking and recording the
// script's step, and the failure answers; each protocol supplies its routes, request view, bodies and stream writers.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { listenLocal, parseJson, readBody, sendJson, selectionRecord } from './http.ts';
import type { RequestView } from './request.ts';
import { scriptsOf, type AnswerTurn, type ScriptedServerOptions, type ScriptError } from './script.ts';
import { ScriptBook, type Selection } from './select.ts';

export type AnswerKind = 'message' | 'end' | 'error' | 'hang' | 'cut' | 'malformed';

/** The fields every server's request log entry has besides its route (and any of its own). */
type CommonField = 'method' | 'path' | 'headers' | 'body' | 'script' | 'conversation' | 'turn' | 'cwd' | 'sessionId' | 'answer';

/** What the skeleton needs of a log entry's type (each server's own declares the fields, documented). */
export type LoggedRequest = Record<CommonField, unknown> & { route: string; answer: AnswerKind | null };

export interface Incoming {
  method: string;
  /** Without the query string. */
  path: string;
  raw: string;
  /** The parsed JSON body; null when empty or not JSON. */
  body: unknown;
  headers: IncomingHttpHeaders;
}

/** How a protocol answers a chosen step. */
export interface StepWriters<Context, Built> {
  errorHeaders(context: Context): Record<string, string>;
  scriptedErrorBody(error: ScriptError): string;
  /** A stream that does not parse. */
  malformed: string;
  /** The start of a stream cut off (undefined: drop the connection at once). */
  cut(context: Context): string | undefined;
  build(turn: AnswerTurn | null, context: Context): Built;
  /** The encoded stream events of a whole answer. */
  events(built: Built): Iterable<string>;
}

export interface ScriptedProtocol<Entry extends LoggedRequest, View extends RequestView, Context, Built> extends StepWriters<Context, Built> {
  /** The entry's route (and any fields of its own); `other` routes are probes or 404s. */
  classify(incoming: Incoming): Omit<Entry, CommonField>;
  /** The route the script answers; its requests are the ones counted. */
  scriptedRoute: Entry['route'];
  /** Answers a route that is neither `other` nor scripted; `count` is the scripted requests so far. */
  answerRoute?(entry: Entry, incoming: Incoming, response: ServerResponse, count: number): void;
  errorBody(status: 400 | 404 | 500, message: string): string;
  /** The request as the script sees it, its credential included. */
  view(incoming: Incoming): View;
  /** The header naming the client's session, if it sends one. */
  sessionHeader?: string;
  context(incoming: Incoming, view: View, count: number, entry: Entry): Context;
  stream(incoming: Incoming): boolean;
  /** Appended to `http://127.0.0.1:<port>` for the server's `url`. */
  urlSuffix?: string;
}

export interface ScriptedServer<Entry> {
  readonly url: string;
  readonly port: number;
  readonly requests: number;
  readonly requestLog: readonly Entry[];
  close(): Promise<void>;
}

const sseHeaders = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };

async function answer<Context, Built>(
  protocol: StepWriters<Context, Built>,
  response: ServerResponse,
  selection: Selection,
  context: Context,
  stream: boolean,
  signal: AbortSignal,
): Promise<void> {
  const step = selection.step;
  const delayMs = step.kind === 'answer' ? step.turn.delayMs : step.kind === 'end' ? 0 : step.delayMs;
  if (delayMs > 0) await sleep(delayMs, undefined, { signal });
  switch (step.kind) {
    case 'hang':
      return; // The request stays open until the client gives up or the server closes.
    case 'error': {
      const headers = protocol.errorHeaders(context);
      if (step.error.retryAfter !== undefined) headers['retry-after'] = String(step.error.retryAfter);
      sendJson(response, step.error.status, protocol.scriptedErrorBody(step.error), headers);
      return;
    }
    case 'malformed':
      response.writeHead(200, sseHeaders);
      response.end(protocol.malformed);
      return;
    case 'cut': {
      const partial = protocol.cut(context);
      response.writeHead(200, sseHeaders);
      if (partial === undefined) response.socket?.destroy();
      else response.write(partial, () => response.socket?.destroy());
      return;
    }
    case 'answer':
    case 'end': {
      const built = protocol.build(step.kind === 'answer' ? step.turn : null, context);
      if (!stream) {
        sendJson(response, 200, JSON.stringify(built));
        return;
      }
      response.writeHead(200, sseHeaders);
      for (const event of protocol.events(built)) response.write(event);
      response.end();
    }
  }
}

export async function startScriptedServer<Entry extends LoggedRequest, View extends RequestView, Context, Built>(
  options: ScriptedServerOptions,
  protocol: ScriptedProtocol<Entry, View, Context, Built>,
): Promise<ScriptedServer<Entry>> {
  const book = new ScriptBook(scriptsOf(options));
  const requestLog: Entry[] = [];
  let count = 0;

  async function handle(request: IncomingMessage, response: ServerResponse, signal: AbortSignal): Promise<void> {
    const method = request.method ?? 'GET';
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const raw = await readBody(request);
    const incoming: Incoming = { method, path, raw, body: parseJson(raw), headers: request.headers };
    const { body, headers } = incoming;
    const blank = { script: null, conversation: null, turn: null, cwd: null, sessionId: null, answer: null };
    const entry = { method, path, ...protocol.classify(incoming), headers, body, ...blank } as Entry;
    requestLog.push(entry);

    if (entry.route === 'other') {
      // Probes (HEAD/GET of the base URL and the like, a websocket upgrade too) get an empty success; unknown POSTs a 404.
      if (method === 'HEAD' || method === 'GET') sendJson(response, 200, method === 'HEAD' ? '' : '{}');
      else sendJson(response, 404, protocol.errorBody(404, `scripted server: no route ${method} ${path}`));
      return;
    }
    if (entry.route !== protocol.scriptedRoute) {
      protocol.answerRoute?.(entry, incoming, response, count);
      return;
    }

    count += 1;
    if (body === null || typeof body !== 'object') {
      sendJson(response, 400, protocol.errorBody(400, 'scripted server: body is not a JSON object'));
      return;
    }
    const view = protocol.view(incoming);
    const selection = book.select(view);
    Object.assign(entry, selectionRecord(selection, view, protocol.sessionHeader === undefined ? undefined : headers[protocol.sessionHeader]));
    await answer(protocol, response, selection, protocol.context(incoming, view, count, entry), protocol.stream(incoming), signal);
  }

  const { port, close } = await listenLocal(handle, options.port ?? 0, (message) => protocol.errorBody(500, message));

  return {
    url: `http://127.0.0.1:${port}${protocol.urlSuffix ?? ''}`,
    port,
    get requests() {
      return count;
    },
    requestLog,
    close,
  };
}
