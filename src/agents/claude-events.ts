// Claude Code's stream-json lines (`-p --output-format stream-json --verbose`) read as AgentEvents.
// Shapes as measured with 2.1.329: docs/agents/claude-code.md.
import type { AgentEvent, AgentUsage } from '../domain/agent-events.ts';
import { isObject, str, num, clip, summariseToolInput, type Json, typedJsonLine } from './event-json.ts';

function objects(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

/** The one argument that says what a tool call does: the file, the command, the pattern. */

function toolResultText(content: unknown): string {
  if (typeof content === 'string') return content;
  return objects(content)
    .map((block) => str(block['text']) ?? '')
    .join('\n');
}

function usageOf(value: unknown): AgentUsage {
  const usage = isObject(value) ? value : {};
  return {
    inputTokens: num(usage['input_tokens']) ?? 0,
    outputTokens: num(usage['output_tokens']) ?? 0,
    cacheReadTokens: num(usage['cache_read_input_tokens']) ?? 0,
    cacheWriteTokens: num(usage['cache_creation_input_tokens']) ?? 0,
  };
}

/**
 * The cost of this invocation. On a resumed session `total_cost_usd` (and `modelUsage`) add up the whole session,
 * earlier invocations included; `model_usage_since_last_result` holds this invocation's share.
 */
function costOf(line: Json): number {
  const since = line['model_usage_since_last_result'];
  if (isObject(since)) {
    return Object.values(since).reduce<number>((sum, model) => sum + (isObject(model) ? (num(model['costUSD']) ?? 0) : 0), 0);
  }
  return num(line['total_cost_usd']) ?? 0;
}

function resultEvent(line: Json): AgentEvent {
  const errors = Array.isArray(line['errors']) ? line['errors'].map((error) => (typeof error === 'string' ? error : JSON.stringify(error))) : [];
  // Not in `errors` but needed to classify: the API's error type (rate_limit_error, …) and connection failures.
  const apiErrorType = str(line['api_error_type']);
  if (apiErrorType !== undefined) errors.push(`api_error_type: ${apiErrorType}`);
  const apiError = str(line['api_error']);
  if (apiError !== undefined) errors.push(`api_error: ${apiError}`);
  return {
    kind: 'result',
    isError: line['is_error'] === true,
    subtype: str(line['subtype']) ?? 'unknown',
    turns: num(line['num_turns']) ?? 0,
    costUsd: costOf(line),
    usage: usageOf(line['usage']),
    sessionId: str(line['session_id']) ?? null,
    durationMs: num(line['duration_ms']) ?? 0,
    permissionDenials: objects(line['permission_denials']).map((denial) => {
      const tool = str(denial['tool_name']) ?? 'unknown';
      return `${tool}(${summariseToolInput(denial['tool_input'])})`;
    }),
    apiErrorStatus: num(line['api_error_status']) ?? null,
    errors,
    text: str(line['result']) ?? '',
  };
}

function assistantEvents(line: Json): AgentEvent[] {
  const message = isObject(line['message']) ? line['message'] : {};
  return objects(message['content']).flatMap((block): AgentEvent[] => {
    if (block['type'] === 'text') return [{ kind: 'text', text: str(block['text']) ?? '' }];
    if (block['type'] === 'tool_use') {
      const tool = str(block['name']) ?? 'unknown';
      return [{ kind: 'tool_use', tool, summary: summariseToolInput(block['input']) }];
    }
    return []; // thinking and other block types carry nothing orch uses
  });
}

function userEvents(line: Json): AgentEvent[] {
  const message = isObject(line['message']) ? line['message'] : {};
  return objects(message['content'])
    .filter((block) => block['type'] === 'tool_result')
    .map((block) => ({ kind: 'tool_result', isError: block['is_error'] === true, summary: clip(toolResultText(block['content'])) }));
}

function systemEvents(line: Json): AgentEvent[] {
  switch (line['subtype']) {
    case 'init': {
      const sessionId = str(line['session_id']);
      return sessionId === undefined ? [] : [{ kind: 'session', sessionId, model: str(line['model']) }];
    }
    case 'api_retry':
      return [
        {
          kind: 'retry',
          attempt: num(line['attempt']) ?? 0,
          delayMs: num(line['retry_delay_ms']) ?? 0,
          status: num(line['error_status']) ?? null,
        },
      ];
    default:
      return [];
  }
}

export function parseClaudeLine(line: string): AgentEvent[] {
  const read = typedJsonLine(line);
  if ('events' in read) return read.events;
  const value = read.value;
  switch (value['type']) {
    case 'system':
      return systemEvents(value);
    case 'assistant':
      return assistantEvents(value);
    case 'user':
      return userEvents(value);
    case 'result':
      return [resultEvent(value)];
    default:
      return []; // stream_event, rate_limit_event, prompt_suggestion, …: well-formed, of no use to orch
  }
}
