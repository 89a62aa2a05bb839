// The wire format of the scripted server: Messages API responses, their SSE stream, and error bodies.
import { defaultUsage, doneTurn, type AnswerTurn, type Block, type ScriptError, type ScriptUsage } from './script.ts';
import { substituteCwd as substitute } from './substitute.ts';

export type ContentBlock = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export interface ApiMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: ContentBlock[];
  stop_reason: string;
  stop_sequence: null;
  usage: Required<ScriptUsage>;
}

export interface AnswerContext {
  messageId: string;
  model: string;
  cwd: string | null;
  /** The turn number, used to keep tool_use ids unique within a conversation. */
  turn: number;
}

function toContent(block: Block, index: number, context: AnswerContext): ContentBlock {
  if (block.type === 'text') return { type: 'text', text: substitute(block.text, context.cwd) as string };
  return {
    type: 'tool_use',
    id: block.id ?? `toolu_scripted_${context.turn}_${index}`,
    name: block.name,
    input: substitute(block.input, context.cwd) as Record<string, unknown>,
  };
}

/** The assistant message for an answer turn; `null` is the "done" that ends a script. */
export function buildMessage(turn: AnswerTurn | null, context: AnswerContext): ApiMessage {
  const answer = turn ?? doneTurn;
  const usage = answer.usage ?? defaultUsage;
  return {
    id: context.messageId,
    type: 'message',
    role: 'assistant',
    model: context.model,
    content: answer.blocks.map((block, index) => toContent(block, index, context)),
    stop_reason: answer.stopReason,
    stop_sequence: null,
    usage: { cache_read_input_tokens: 0, cache_creation_input_tokens: 0, ...usage },
  };
}

export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

export function encodeSse({ event, data }: SseEvent): string {
  return `event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`;
}

const jsonChunk = 64;

/** The stream the real API sends for a message: start, one start/delta…/stop triple per block, delta, stop. */
export function streamEvents(message: ApiMessage): SseEvent[] {
  const { usage, content, stop_reason: stopReason, ...rest } = message;
  const events: SseEvent[] = [
    { event: 'message_start', data: { message: { ...rest, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } } } },
    { event: 'ping', data: {} },
  ];
  content.forEach((block, index) => {
    if (block.type === 'text') {
      events.push({ event: 'content_block_start', data: { index, content_block: { type: 'text', text: '' } } });
      events.push({ event: 'content_block_delta', data: { index, delta: { type: 'text_delta', text: block.text } } });
    } else {
      events.push({ event: 'content_block_start', data: { index, content_block: { ...block, input: {} } } });
      const json = JSON.stringify(block.input);
      for (let at = 0; at < json.length; at += jsonChunk) {
        const partial = json.slice(at, at + jsonChunk);
        events.push({ event: 'content_block_delta', data: { index, delta: { type: 'input_json_delta', partial_json: partial } } });
      }
    }
    events.push({ event: 'content_block_stop', data: { index } });
  });
  events.push({
    event: 'message_delta',
    data: { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: usage.output_tokens } },
  });
  events.push({ event: 'message_stop', data: {} });
  return events;
}

const errorTypes: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

export function errorType(status: number): string {
  return errorTypes[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

export function errorBody(type: string, message: string): string {
  return JSON.stringify({ type: 'error', error: { type, message } });
}

export function scriptedErrorBody(error: ScriptError): string {
  const type = error.type ?? errorType(error.status);
  return errorBody(type, error.message ?? `scripted ${type} (${error.status})`);
}
