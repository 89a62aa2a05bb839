/**
 * A scripted Gemini API (generativelanguage `v1beta`) on 127.0.0.1 (node:http only), for Gemini CLI: the same scripts
 * as the other servers (script.ts), tool turns translated to Gemini CLI's tools (gemini-tools.ts). Point Gemini CLI at
 * it with `GOOGLE_GEMINI_BASE_URL=<url>` (no `/v1beta`) and any `GEMINI_API_KEY`.
 *
 * Chat turns arrive as `POST …/models/<model>:streamGenerateContent?alt=sse` (or `:generateContent`, answered whole).
 * Gemini CLI's utility calls — the model router's complexity score before a turn, the next-speaker check — are
 * `:generateContent` requests asking for JSON (`generationConfig.responseJsonSchema`). The server answers those itself
 * with JSON that fits the schema and never from the script: a scripted failure hits the chat turn, and the CLI's
 * own retries of a failed routing call (5 attempts, 5 s backoff) never slow a test down.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AnswerKind } from './anthropic-server.ts';
import { readGeminiRequest } from './gemini-request.ts';
import {
  buildGeminiResponse,
  encodeGeminiSse,
  geminiErrorBody,
  geminiUsage,
  jsonForSchema,
  scriptedGeminiErrorBody,
  streamChunks,
  type GeminiContext,
} from './gemini-responses.ts';
import { listenLocal, parseJson, readBody, requestCredential, selectionRecord, sendJson } from './http.ts';
import { scriptsOf, type ScriptedServerOptions } from './script.ts';
import { ScriptBook, type Selection } from './select.ts';

export interface GeminiRecordedRequest {
  method: string;
  /** Without the query string. */
  path: string;
  /** `chat`: a turn the script answers; `utility`: a JSON call the server answers itself (routing, next speaker). */
  route: 'chat' | 'utility' | 'count_tokens' | 'other';
  /** The model named in the path (`gemini-3.5-flash-lite` for routing calls); null for other routes. */
  model: string | null;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; null when empty or not JSON. */
  body: unknown;
  /** The remaining fields are set for `chat` requests only. */
  script: string | null;
  conversation: string | null;
  /** Model contents already in the request: the turn asked for. */
  turn: number | null;
  cwd: string | null;
  /** Gemini CLI sends no session header: always null. */
  sessionId: string | null;
  answer: AnswerKind | null;
}

export interface ScriptedGeminiServer {
  /** `http://127.0.0.1:<port>`, the value for GOOGLE_GEMINI_BASE_URL. */
  readonly url: string;
  readonly port: number;
  /** How many chat requests arrived (utility calls, probes and countTokens not counted). */
  readonly requests: number;
  readonly requestLog: readonly GeminiRecordedRequest[];
  /** Stops listening and drops open connections, hanging ones included. */
  close(): Promise<void>;
}

const sseHeaders = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };
const methodPattern = /\/models\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/;

/** The key Gemini CLI sends (`x-goog-api-key`), else `x-api-key` or a Bearer token. */
function credentialOf(headers: IncomingHttpHeaders): string | null {
  const key = headers['x-goog-api-key'];
  return typeof key === 'string' ? key : requestCredential(headers);
}

export async function startScriptedGeminiServer(options: ScriptedServerOptions = {}): Promise<ScriptedGeminiServer> {
  const book = new ScriptBook(scriptsOf(options));
  const requestLog: GeminiRecordedRequest[] = [];
  let chatCount = 0;
  let responseCount = 0;

  async function answer(response: ServerResponse, selection: Selection, context: GeminiContext, stream: boolean, signal: AbortSignal): Promise<void> {
    const step = selection.step;
    const delayMs = step.kind === 'answer' ? step.turn.delayMs : step.kind === 'end' ? 0 : step.delayMs;
    if (delayMs > 0) await sleep(delayMs, undefined, { signal });
    switch (step.kind) {
      case 'hang':
        return; // The request stays open until the client gives up or the server closes.
      case 'error': {
        const headers: Record<string, string> = {};
        if (step.error.retryAfter !== undefined) headers['retry-after'] = String(step.error.retryAfter);
        sendJson(response, step.error.status, scriptedGeminiErrorBody(step.error), headers);
        return;
      }
      case 'malformed':
        response.writeHead(200, sseHeaders);
        response.end('data: {"candidates": [{"content": {not json\n\n');
        return;
      case 'cut': {
        const cut = buildGeminiResponse({ kind: 'answer', blocks: [{ type: 'text', text: 'cut off mid-' }], stopReason: 'end_turn', delayMs: 0, usage: undefined }, context);
        const first = streamChunks(cut)[0];
        response.writeHead(200, sseHeaders);
        if (first === undefined) response.socket?.destroy();
        else response.write(encodeGeminiSse({ ...first, candidates: first.candidates.map(({ finishReason: _dropped, ...rest }) => rest) }), () => response.socket?.destroy());
        return;
      }
      case 'answer':
      case 'end': {
        const built = buildGeminiResponse(step.kind === 'answer' ? step.turn : null, context);
        if (!stream) {
          sendJson(response, 200, JSON.stringify(built));
          return;
        }
        response.writeHead(200, sseHeaders);
        for (const chunk of streamChunks(built)) response.write(encodeGeminiSse(chunk));
        response.end();
      }
    }
  }

  async function handle(request: IncomingMessage, response: ServerResponse, signal: AbortSignal): Promise<void> {
    const method = request.method ?? 'GET';
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const body = parseJson(await readBody(request));
    const match = method === 'POST' ? methodPattern.exec(path) : null;
    const model = match?.[1] ?? null;
    const view = readGeminiRequest(body);
    let route: GeminiRecordedRequest['route'] = 'other';
    if (match?.[2] === 'countTokens') route = 'count_tokens';
    else if (match !== null) route = match[2] === 'generateContent' && view.jsonSchema !== undefined ? 'utility' : 'chat';
    const entry: GeminiRecordedRequest = {
      method,
      path,
      route,
      model,
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

    switch (route) {
      case 'other':
        // Probes get an empty success; unknown POSTs a 404.
        if (method === 'HEAD' || method === 'GET') sendJson(response, 200, method === 'HEAD' ? '' : '{}');
        else sendJson(response, 404, geminiErrorBody(404, `scripted server: no route ${method} ${path}`));
        return;
      case 'count_tokens':
        sendJson(response, 200, JSON.stringify({ totalTokens: Math.ceil(JSON.stringify(body).length / 4) }));
        return;
      case 'utility': {
        responseCount += 1;
        const text = JSON.stringify(jsonForSchema(view.jsonSchema));
        const usage = geminiUsage({ input_tokens: 0, output_tokens: 0 });
        const utility = { candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }], usageMetadata: usage, modelVersion: model, responseId: `resp_scripted_${responseCount}` };
        sendJson(response, 200, JSON.stringify(utility));
        return;
      }
      case 'chat':
        break;
    }

    chatCount += 1;
    responseCount += 1;
    if (body === null || typeof body !== 'object') {
      sendJson(response, 400, geminiErrorBody(400, 'scripted server: body is not a JSON object'));
      return;
    }
    const chatView = { ...view, apiKey: credentialOf(request.headers) };
    const selection = book.select(chatView);
    Object.assign(entry, selectionRecord(selection, chatView, undefined));
    const context: GeminiContext = { responseId: `resp_scripted_${responseCount}`, model: model ?? 'gemini-scripted', cwd: view.cwd };
    await answer(response, selection, context, match?.[2] === 'streamGenerateContent', signal);
  }

  const { port, close } = await listenLocal(handle, options.port ?? 0, (message) => geminiErrorBody(500, message));

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get requests() {
      return chatCount;
    },
    requestLog,
    close,
  };
}
