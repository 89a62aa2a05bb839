/**
 * A scripted OpenAI Responses API on 127.0.0.1 (node:http only), for Codex: the same scripts as the Anthropic server
 * (script.ts), their tool turns translated to Codex's tools (codex-tools.ts). `url` ends in `/v1`: it is the value
 * for a Codex provider's `base_url` (Codex appends `/responses`); `writeCodexHome` writes that config.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { requestCredential } from './http.ts';
import { encodeSse } from './messages.ts';
import { readResponsesRequest, type ResponsesRequestView } from './responses-request.ts';
import { buildResponse, cutEvents, openAIErrorBody, responseEvents, scriptedOpenAIErrorBody, type ApiResponse, type ResponseContext } from './responses.ts';
import type { ScriptedServerOptions } from './script.ts';
import { startScriptedServer, type AnswerKind } from './scripted-server.ts';

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

const statusErrors = { 400: 'invalid_request_error', 404: 'invalid_request_error', 500: 'server_error' } as const;

export async function startScriptedOpenAIServer(options: ScriptedServerOptions = {}): Promise<ScriptedOpenAIServer> {
  return startScriptedServer<OpenAIRecordedRequest, ResponsesRequestView, ResponseContext, ApiResponse>(options, {
    // Probes get an empty success (a websocket upgrade too: Codex then falls back to HTTP).
    classify: ({ method, path }) => ({ route: method === 'POST' && path.endsWith('/responses') ? 'responses' : 'other' }),
    scriptedRoute: 'responses',
    errorBody: (status, message) => openAIErrorBody(statusErrors[status], message),
    view: ({ body, headers }) => ({ ...readResponsesRequest(body), apiKey: requestCredential(headers) }),
    sessionHeader: 'session-id',
    context: ({ body }, view, count) => {
      const { model } = body as { model?: unknown };
      return { responseId: `resp_scripted_${count}`, model: typeof model === 'string' ? model : 'gpt-scripted', cwd: view.cwd, tools: view.tools };
    },
    stream: ({ body }) => (body as { stream?: unknown }).stream === true,
    errorHeaders: (context) => ({ 'x-request-id': `req_${context.responseId}` }),
    scriptedErrorBody: scriptedOpenAIErrorBody,
    malformed: 'event: response.created\ndata: {"type": "response.created", "response": {not json\n\n',
    cut: (context) => cutEvents(buildResponse(null, context)).map(encodeSse).join(''),
    build: buildResponse,
    events: (built) => responseEvents(built).map(encodeSse),
    urlSuffix: '/v1',
  });
}
