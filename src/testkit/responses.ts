// The wire format of the scripted OpenAI server: Responses API objects, their SSE stream, and error bodies.
import { toCodexCall } from './codex-tools.ts';
import type { SseEvent } from './messages.ts';
import { defaultUsage, doneTurn, type AnswerTurn, type Block, type ScriptError, type ScriptUsage } from './script.ts';
import { substituteCwd } from './substitute.ts';

export type OutputItem =
  | { id: string; type: 'message'; role: 'assistant'; status: 'completed'; content: { type: 'output_text'; text: string; annotations: [] }[] }
  | { id: string; type: 'function_call'; status: 'completed'; call_id: string; name: string; arguments: string }
  | { id: string; type: 'custom_tool_call'; status: 'completed'; call_id: string; name: string; input: string };

export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number; cache_write_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export interface ApiResponse {
  id: string;
  object: 'response';
  created_at: number;
  status: 'completed';
  model: string;
  output: OutputItem[];
  usage: ResponsesUsage;
}

export interface ResponseContext {
  /** Unique per request: item and call ids derive from it, so they never repeat within a conversation. */
  responseId: string;
  model: string;
  cwd: string | null;
  /** The tools the request offers: decides how a `Write` is carried out. */
  tools: ReadonlySet<string>;
}

/**
 * The Responses API counts cached input inside `input_tokens` (the details break it down); scripts give uncached
 * input, in the Messages API's words.
 */
export function responsesUsage(usage: ScriptUsage): ResponsesUsage {
  const cached = usage.cache_read_input_tokens ?? 0;
  const written = usage.cache_creation_input_tokens ?? 0;
  const input = usage.input_tokens + cached + written;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: cached, cache_write_tokens: written },
    output_tokens: usage.output_tokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + usage.output_tokens,
  };
}

function toItem(block: Block, index: number, context: ResponseContext): OutputItem {
  const suffix = `${context.responseId.replace(/^resp_/, '')}_${index}`;
  if (block.type === 'text') {
    const text = substituteCwd(block.text, context.cwd) as string;
    return { id: `msg_${suffix}`, type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] };
  }
  const call = toCodexCall(block.name, substituteCwd(block.input, context.cwd) as Record<string, unknown>, context.tools);
  const callId = block.id ?? `call_${suffix}`;
  if (call.kind === 'custom') {
    return { id: `ctc_${suffix}`, type: 'custom_tool_call', status: 'completed', call_id: callId, name: call.name, input: call.input };
  }
  return { id: `fc_${suffix}`, type: 'function_call', status: 'completed', call_id: callId, name: call.name, arguments: call.arguments };
}

/** The response for an answer turn; `null` is the "done" that ends a script. */
export function buildResponse(turn: AnswerTurn | null, context: ResponseContext): ApiResponse {
  const answer = turn ?? doneTurn;
  return {
    id: context.responseId,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: 'completed',
    model: context.model,
    output: answer.blocks.map((block, index) => toItem(block, index, context)),
    usage: responsesUsage(answer.usage ?? defaultUsage),
  };
}

const deltaChunk = 64;

function chunks(value: string): string[] {
  const parts: string[] = [];
  for (let at = 0; at < value.length; at += deltaChunk) parts.push(value.slice(at, at + deltaChunk));
  return parts;
}

/** added → deltas → done for one output item, as the API streams it. */
function itemEvents(item: OutputItem, outputIndex: number): SseEvent[] {
  const at = { item_id: item.id, output_index: outputIndex };
  switch (item.type) {
    case 'message': {
      const text = item.content[0]?.text ?? '';
      const part = { type: 'output_text', text: '', annotations: [] };
      return [
        { event: 'response.output_item.added', data: { output_index: outputIndex, item: { ...item, status: 'in_progress', content: [] } } },
        { event: 'response.content_part.added', data: { ...at, content_index: 0, part } },
        ...chunks(text).map((delta) => ({ event: 'response.output_text.delta', data: { ...at, content_index: 0, delta } })),
        { event: 'response.output_text.done', data: { ...at, content_index: 0, text } },
        { event: 'response.content_part.done', data: { ...at, content_index: 0, part: { ...part, text } } },
        { event: 'response.output_item.done', data: { output_index: outputIndex, item } },
      ];
    }
    case 'function_call':
      return [
        { event: 'response.output_item.added', data: { output_index: outputIndex, item: { ...item, status: 'in_progress', arguments: '' } } },
        ...chunks(item.arguments).map((delta) => ({ event: 'response.function_call_arguments.delta', data: { ...at, delta } })),
        { event: 'response.function_call_arguments.done', data: { ...at, arguments: item.arguments } },
        { event: 'response.output_item.done', data: { output_index: outputIndex, item } },
      ];
    case 'custom_tool_call':
      return [
        { event: 'response.output_item.added', data: { output_index: outputIndex, item: { ...item, status: 'in_progress', input: '' } } },
        ...chunks(item.input).map((delta) => ({ event: 'response.custom_tool_call_input.delta', data: { ...at, delta } })),
        { event: 'response.custom_tool_call_input.done', data: { ...at, input: item.input } },
        { event: 'response.output_item.done', data: { output_index: outputIndex, item } },
      ];
  }
}

function numbered(events: SseEvent[]): SseEvent[] {
  return events.map((event, index) => ({ event: event.event, data: { ...event.data, sequence_number: index } }));
}

/** The stream the real API sends: created, in_progress, each item's events, completed (with the usage). */
export function responseEvents(response: ApiResponse): SseEvent[] {
  const opening = { ...response, status: 'in_progress', output: [], usage: null };
  return numbered([
    { event: 'response.created', data: { response: opening } },
    { event: 'response.in_progress', data: { response: opening } },
    ...response.output.flatMap(itemEvents),
    { event: 'response.completed', data: { response } },
  ]);
}

/** The start of a text answer that never finishes: what a client sees before a connection drops. */
export function cutEvents(response: ApiResponse): SseEvent[] {
  const item: OutputItem = { id: `msg_${response.id}`, type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'cut off mid-', annotations: [] }] };
  return responseEvents({ ...response, output: [item] }).slice(0, 5);
}

const errorDefaults: Record<number, { type: string; code: string | null }> = {
  400: { type: 'invalid_request_error', code: null },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { type: 'invalid_request_error', code: 'unsupported_country_region_territory' },
  404: { type: 'invalid_request_error', code: 'model_not_found' },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
};

export function openAIErrorBody(type: string, message: string, code: string | null = null): string {
  return JSON.stringify({ error: { message, type, param: null, code } });
}

/**
 * `{"error":{message,type,param,code}}` as the API sends it. A scripted `type` sets both `type` and `code`: Codex
 * reads `insufficient_quota` ("Quota exceeded") and `usage_limit_reached` ("You've hit your usage limit") from them.
 */
export function scriptedOpenAIErrorBody(error: ScriptError): string {
  const fallback = errorDefaults[error.status] ?? { type: error.status >= 500 ? 'server_error' : 'invalid_request_error', code: null };
  const type = error.type ?? fallback.type;
  const code = error.type ?? fallback.code;
  return openAIErrorBody(type, error.message ?? `scripted ${type} (${error.status})`, code);
}
