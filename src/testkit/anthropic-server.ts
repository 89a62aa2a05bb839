/**
 * A scripted Anthropic Messages API on 127.0.0.1 (node:http only): real agent CLIs run against it offline, the
 * model's side scripted (see script.ts). Point Claude Code at it with `ANTHROPIC_BASE_URL=<url>` (no `/v1`).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { requestCredential, sendJson } from './http.ts';
import { buildMessage, encodeSse, errorBody, scriptedErrorBody, streamEvents, type AnswerContext, type ApiMessage } from './messages.ts';
import { readRequest, type RequestView } from './request.ts';
import type { ScriptedServerOptions } from './script.ts';
import { startScriptedServer, type AnswerKind } from './scripted-server.ts';

export type { ScriptedServerOptions } from './script.ts';

export type { AnswerKind } from './scripted-server.ts';

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

const statusErrors = { 400: 'invalid_request_error', 404: 'not_found_error', 500: 'api_error' } as const;

export async function startScriptedAnthropicServer(options: ScriptedServerOptions): Promise<ScriptedAnthropicServer> {
  return startScriptedServer<RecordedRequest, RequestView, AnswerContext, ApiMessage>(options, {
    classify: ({ method, path }) => ({ route: routeOf(method, path) }),
    scriptedRoute: 'messages',
    // count_tokens: a rough count.
    answerRoute: (_entry, { raw }, response) => sendJson(response, 200, JSON.stringify({ input_tokens: Math.ceil(raw.length / 4) })),
    errorBody: (status, message) => errorBody(statusErrors[status], message),
    view: ({ body, headers }) => ({ ...readRequest(body), apiKey: requestCredential(headers) }),
    sessionHeader: 'x-claude-code-session-id',
    context: ({ body }, view, count) => {
      const { model } = body as { model?: unknown };
      return { messageId: `msg_scripted_${count}`, model: typeof model === 'string' ? model : 'claude-scripted', cwd: view.cwd, turn: view.turn };
    },
    stream: ({ body }) => (body as { stream?: unknown }).stream === true,
    errorHeaders: (context) => ({ 'request-id': `req_${context.messageId}` }),
    scriptedErrorBody,
    malformed: 'event: message_start\ndata: {"type": "message_start", "message": {not json\n\nevent: ???\ndata: \u0000\n\n',
    cut: (context) => {
      const message = buildMessage({ kind: 'answer', blocks: [{ type: 'text', text: 'cut off mid-' }], stopReason: 'end_turn', delayMs: 0, usage: undefined }, context);
      return streamEvents(message).slice(0, 4).map(encodeSse).join('');
    },
    build: buildMessage,
    events: (message) => streamEvents(message).map(encodeSse),
  });
}
