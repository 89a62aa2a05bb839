/**
 * A scripted Anthropic Messages API on 127.0.0.1 (node:http only): real agent CLIs run against it offline, the
 * model's side scripted (see script.ts). Point Claude Code at it with `ANTHROPIC_BASE_URL=<url>` (no `/v1`).
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { listenLocal, parseJson, readBody, requestCredential, selectionRecord, sendJson } from './http.ts';
import { buildMessage, encodeSse, errorBody, scriptedErrorBody, streamEvents, type AnswerContext } from './messages.ts';
import { readRequest } from './request.ts';
import { scriptsOf, type ScriptedServerOptions } from './script.ts';
import { ScriptBook, type Selection } from './select.ts';

export type { ScriptedServerOptions } from './script.ts';

export type AnswerKind = 'message' | 'end' | 'error' | 'hang' | 'cut' | 'malformed';

export interface RecordedRequest {
  method: string;
  /** Without the query string. */
  path: string;
  route: 'messages' | 'count_tokens' | 'other';
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; null when empty or not JSON. */
  body: unknown;
  /** The remaining fields are set for `messages` requests only. */
  script: string | null;
  conversation: string | null;
  /** Assistant messages in the request: the turn asked for. */
  turn: number | null;
  cwd: string | null;
  /** Claude Code's `x-claude-code-session-id` header. */
  sessionId: string | null;
  answer: AnswerKind | null;
}

export interface ScriptedAnthropicServer {
  /** `http://127.0.0.1:<port>`, the value for ANTHROPIC_BASE_URL. */
  readonly url: string;
  readonly port: number;
  /** How many `POST /v1/messages` requests arrived (probes and count_tokens not counted). */
  readonly requests: number;
  readonly requestLog: readonly RecordedRequest[];
  /** Stops listening and drops open connections, hanging ones included. */
  close(): Promise<void>;
}

function routeOf(method: string, path: string): RecordedRequest['route'] {
  if (method !== 'POST') return 'other';
  if (path.endsWith('/messages')) return 'messages';
  if (path.endsWith('/messages/count_tokens')) return 'count_tokens';
  return 'other';
}

export async function startScriptedAnthropicServer(options: ScriptedServerOptions): Promise<ScriptedAnthropicServer> {
  const book = new ScriptBook(scriptsOf(options));
  const requestLog: RecordedRequest[] = [];
  let messageCount = 0;

  async function answer(response: ServerResponse, selection: Selection, context: AnswerContext, stream: boolean, signal: AbortSignal): Promise<void> {
    const step = selection.step;
    const delayMs = step.kind === 'answer' ? step.turn.delayMs : step.kind === 'end' ? 0 : step.delayMs;
    if (delayMs > 0) await sleep(delayMs, undefined, { signal });
    switch (step.kind) {
      case 'hang':
        return; // The request stays open until the client gives up or the server closes.
      case 'error': {
        const headers: Record<string, string> = { 'request-id': `req_${context.messageId}` };
        if (step.error.retryAfter !== undefined) headers['retry-after'] = String(step.error.retryAfter);
        sendJson(response, step.error.status, scriptedErrorBody(step.error), headers);
        return;
      }
      case 'malformed':
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        response.end('event: message_start\ndata: {"type": "message_start", "message": {not json\n\nevent: ???\ndata: \u0000\n\n');
        return;
      case 'cut': {
        const message = buildMessage({ kind: 'answer', blocks: [{ type: 'text', text: 'cut off mid-' }], stopReason: 'end_turn', delayMs: 0, usage: undefined }, context);
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        const partial = streamEvents(message).slice(0, 4).map(encodeSse).join('');
        response.write(partial, () => response.socket?.destroy());
        return;
      }
      case 'answer':
      case 'end': {
        const message = buildMessage(step.kind === 'answer' ? step.turn : null, context);
        if (!stream) {
          sendJson(response, 200, JSON.stringify(message));
          return;
        }
        response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
        for (const event of streamEvents(message)) response.write(encodeSse(event));
        response.end();
      }
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse, signal: AbortSignal): Promise<void> {
    const method = request.method ?? 'GET';
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const raw = await readBody(request);
    const body = parseJson(raw);
    const route = routeOf(method, path);
    const entry: RecordedRequest = {
      method,
      path,
      route,
      headers: request.headers,
      body,
      script: null,
      conversation: null,
      turn: null,
      cwd: null,
      sessionId: null,
      answer: null,
    };
    requestLog.push(entry);

    if (route === 'count_tokens') {
      sendJson(response, 200, JSON.stringify({ input_tokens: Math.ceil(raw.length / 4) }));
      return;
    }
    if (route === 'other') {
      // Probes (HEAD/GET of the base URL and the like) get an empty success; unknown POST routes a 404.
      if (method === 'HEAD' || method === 'GET') sendJson(response, 200, method === 'HEAD' ? '' : '{}');
      else sendJson(response, 404, errorBody('not_found_error', `scripted server: no route ${method} ${path}`));
      return;
    }

    messageCount += 1;
    if (body === null || typeof body !== 'object') {
      sendJson(response, 400, errorBody('invalid_request_error', 'scripted server: body is not a JSON object'));
      return;
    }
    const view = { ...readRequest(body), apiKey: requestCredential(request.headers) };
    const selection = book.select(view);
    Object.assign(entry, selectionRecord(selection, view, request.headers['x-claude-code-session-id']));
    const { model, stream } = body as { model?: unknown; stream?: unknown };
    const context: AnswerContext = {
      messageId: `msg_scripted_${messageCount}`,
      model: typeof model === 'string' ? model : 'claude-scripted',
      cwd: view.cwd,
      turn: view.turn,
    };
    await answer(response, selection, context, stream === true, signal);
  }

  const { port, close } = await listenLocal(handle, options.port ?? 0, (message) => errorBody('api_error', message));

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get requests() {
      return messageCount;
    },
    requestLog,
    close,
  };
}
