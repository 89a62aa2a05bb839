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
import type { IncomingHttpHeaders } from 'node:http';
import { readGeminiRequest, type GeminiRequestView } from './gemini-request.ts';
import {
  buildGeminiResponse,
  encodeGeminiSse,
  geminiErrorBody,
  geminiUsage,
  jsonForSchema,
  scriptedGeminiErrorBody,
  streamChunks,
  type GeminiContext,
  type GeminiResponse,
} from './gemini-responses.ts';
import { requestCredential, sendJson } from './http.ts';
import type { ScriptedServerOptions } from './script.ts';
import { startScriptedServer, type AnswerKind, type Incoming } from './scripted-server.ts';

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

const methodPattern = /\/models\/([^/:]+):(generateContent|streamGenerateContent|countTokens)$/;

/** The key Gemini CLI sends (`x-goog-api-key`), else `x-api-key` or a Bearer token. */
function credentialOf(headers: IncomingHttpHeaders): string | null {
  const key = headers['x-goog-api-key'];
  return typeof key === 'string' ? key : requestCredential(headers);
}

function classify({ method, path, body }: Incoming): Pick<GeminiRecordedRequest, 'route' | 'model'> {
  const match = method === 'POST' ? methodPattern.exec(path) : null;
  const model = match?.[1] ?? null;
  if (match === null) return { route: 'other', model };
  if (match[2] === 'countTokens') return { route: 'count_tokens', model };
  return { route: match[2] === 'generateContent' && readGeminiRequest(body).jsonSchema !== undefined ? 'utility' : 'chat', model };
}

export async function startScriptedGeminiServer(options: ScriptedServerOptions = {}): Promise<ScriptedGeminiServer> {
  // Response ids count chat turns and utility calls alike.
  let utilityCount = 0;
  return startScriptedServer<GeminiRecordedRequest, GeminiRequestView, GeminiContext, GeminiResponse>(options, {
    classify,
    scriptedRoute: 'chat',
    answerRoute: ({ route, model }, { body }, response, chatCount) => {
      if (route === 'count_tokens') {
        sendJson(response, 200, JSON.stringify({ totalTokens: Math.ceil(JSON.stringify(body).length / 4) }));
        return;
      }
      utilityCount += 1;
      const text = JSON.stringify(jsonForSchema(readGeminiRequest(body).jsonSchema));
      const usage = geminiUsage({ input_tokens: 0, output_tokens: 0 });
      const responseId = `resp_scripted_${chatCount + utilityCount}`;
      const utility = { candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }], usageMetadata: usage, modelVersion: model, responseId };
      sendJson(response, 200, JSON.stringify(utility));
    },
    errorBody: geminiErrorBody,
    view: ({ body, headers }) => ({ ...readGeminiRequest(body), apiKey: credentialOf(headers) }),
    context: (_incoming, view, chatCount, entry) => ({ responseId: `resp_scripted_${chatCount + utilityCount}`, model: entry.model ?? 'gemini-scripted', cwd: view.cwd }),
    stream: ({ path }) => path.endsWith(':streamGenerateContent'),
    errorHeaders: () => ({}),
    scriptedErrorBody: scriptedGeminiErrorBody,
    malformed: 'data: {"candidates": [{"content": {not json\n\n',
    cut: (context) => {
      const cut = buildGeminiResponse({ kind: 'answer', blocks: [{ type: 'text', text: 'cut off mid-' }], stopReason: 'end_turn', delayMs: 0, usage: undefined }, context);
      const first = streamChunks(cut)[0];
      return first === undefined ? undefined : encodeGeminiSse({ ...first, candidates: first.candidates.map(({ finishReason: _dropped, ...rest }) => rest) });
    },
    build: buildGeminiResponse,
    events: (built) => streamChunks(built).map(encodeGeminiSse),
  });
}
