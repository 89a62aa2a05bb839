/**
 * A scripted OpenAI Responses API on 127.0.0.1 (node:http only), for Codex: the same scripts as the Anthropic server
 * (script.ts), their tool turns translated to Codex's tools (codex-tools.ts). `url` ends in `/v1`: it is the value
 * for a Codex provider's `base_url` (Codex appends `/responses`); `writeCodexHome` writes that config.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AnswerKind } from './anthropic-server.ts';
import { listenLocal, parseJson, readBody, requestCredential, selectionRecord, sendJson } from './http.ts';
import { encodeSse } from './messages.ts';
import { readResponsesRequest } from './responses-request.ts';
import { buildResponse, cutEvents, openAIErrorBody, responseEvents, scriptedOpenAIErrorBody, type ResponseContext } from './responses.ts';
import { scriptsOf, type ScriptedServerOptions } from './script.ts';
import { ScriptBook, type Selection } from './select.ts';

export interface OpenAIRecordedRequest {
  method: string;
  /** Without the query string. */
  path: string;
  route: 'responses' | 'other';
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; null when empty or not JSON. */
  body: unknown;
  /** The remaining fields are set for `responses` requests only. */
  script: string | null;
  conversation: string | null;
  /** Model answers already in the request's `input`: the turn asked for. */
  turn: number | null;
  cwd: string | null;
  /** Codex's `session-id` header: its thread id. */
  sessionId: string | null;
  answer: AnswerKind | null;
}

export interface ScriptedOpenAIServer {
  /** `http://127.0.0.1:<port>/v1`, the value for a provider's `base_url`. */
  readonly url: string;
  readonly port: number;
  /** How many `POST …/responses` requests arrived (probes not counted). */
  readonly requests: number;
  readonly requestLog: readonly OpenAIRecordedRequest[];
  /** Stops listening and drops open connections, hanging ones included. */
  close(): Promise<void>;
}

const sseHeaders = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };

export async function startScriptedOpenAIServer(options: ScriptedServerOptions = {}): Promise<ScriptedOpenAIServer> {
  const book = new ScriptBook(scriptsOf(options));
  const requestLog: OpenAIRecordedRequest[] = [];
  let responseCount = 0;

  async function answer(response: ServerResponse, selection: Selection, context: ResponseContext, stream: boolean, signal: AbortSignal): Promise<void> {
    const step = selection.step;
    const delayMs = step.kind === 'answer' ? step.turn.delayMs : step.kind === 'end' ? 0 : step.delayMs;
    if (delayMs > 0) await sleep(delayMs, undefined, { signal });
    switch (step.kind) {
      case 'hang':
        return; // The request stays open until the client gives up or the server closes.
      case 'error': {
        const headers: Record<string, string> = { 'x-request-id': `req_${context.responseId}` };
        if (step.error.retryAfter !== undefined) headers['retry-after'] = String(step.error.retryAfter);
        sendJson(response, step.error.status, scriptedOpenAIErrorBody(step.error), headers);
        return;
      }
      case 'malformed':
        response.writeHead(200, sseHeaders);
        response.end('event: response.created\ndata: {"type": "response.created", "response": {not json\n\n');
        return;
      case 'cut': {
        response.writeHead(200, sseHeaders);
        const partial = cutEvents(buildResponse(null, context)).map(encodeSse).join('');
        response.write(partial, () => response.socket?.destroy());
        return;
      }
      case 'answer':
      case 'end': {
        const built = buildResponse(step.kind === 'answer' ? step.turn : null, context);
        if (!stream) {
          sendJson(response, 200, JSON.stringify(built));
          return;
        }
        response.writeHead(200, sseHeaders);
        for (const event of responseEvents(built)) response.write(encodeSse(event));
        response.end();
      }
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse, signal: AbortSignal): Promise<void> {
    const method = request.method ?? 'GET';
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const body = parseJson(await readBody(request));
    const route = method === 'POST' && path.endsWith('/responses') ? 'responses' : 'other';
    const entry: OpenAIRecordedRequest = {
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

    if (route === 'other') {
      // Probes get an empty success (a websocket upgrade too: Codex then falls back to HTTP); unknown POSTs a 404.
      if (method === 'HEAD' || method === 'GET') sendJson(response, 200, method === 'HEAD' ? '' : '{}');
      else sendJson(response, 404, openAIErrorBody('invalid_request_error', `scripted server: no route ${method} ${path}`));
      return;
    }

    responseCount += 1;
    if (body === null || typeof body !== 'object') {
      sendJson(response, 400, openAIErrorBody('invalid_request_error', 'scripted server: body is not a JSON object'));
      return;
    }
    const view = { ...readResponsesRequest(body), apiKey: requestCredential(request.headers) };
    const selection = book.select(view);
    Object.assign(entry, selectionRecord(selection, view, request.headers['session-id']));
    const { model, stream } = body as { model?: unknown; stream?: unknown };
    const context: ResponseContext = {
      responseId: `resp_scripted_${responseCount}`,
      model: typeof model === 'string' ? model : 'gpt-scripted',
      cwd: view.cwd,
      tools: view.tools,
    };
    await answer(response, selection, context, stream === true, signal);
  }

  const { port, close } = await listenLocal(handle, options.port ?? 0, (message) => openAIErrorBody('server_error', message));

  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    get requests() {
      return responseCount;
    },
    requestLog,
    close,
  };
}
