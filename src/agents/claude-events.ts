// Claude Code's stream-json lines (`-p --output-format stream-json --verbose`) read as AgentEvents.
// Shapes as measured with 2.1.329: docs/agents/claude-code.md.
import type { AgentEvent, AgentUsage } from '../domain/agent-events.ts';
import { anthropicPriceOf } from './anthropic-prices.ts';
import { isObject, str, num, clip, summariseToolInput, type Json, typedJsonLine } from './event-json.ts';
import { estimateCostUsd, type PriceTable } from './token-prices.ts';

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

/** Each model request's figures so far, by message id: a message's start gives its input, its end its output. */
class TurnMeter {
  private readonly turns = new Map<string, { model: string | null; usage: AgentUsage }>();

  constructor(private readonly prices: PriceTable) {}

  /** The turn event for what a line says of message `id` (figures only grow: each field keeps its largest). */
  note(id: string, model: string | null, seen: Partial<AgentUsage>): AgentEvent[] {
    if (model === '<synthetic>') return []; // the CLI's own stand-in for a failed request: no model served it
    const known = this.turns.get(id) ?? { model, usage: { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 } };
    const usage: AgentUsage = {
      inputTokens: Math.max(known.usage.inputTokens, seen.inputTokens ?? 0),
      outputTokens: Math.max(known.usage.outputTokens, seen.outputTokens ?? 0),
      cacheReadTokens: Math.max(known.usage.cacheReadTokens, seen.cacheReadTokens ?? 0),
      cacheWriteTokens: Math.max(known.usage.cacheWriteTokens, seen.cacheWriteTokens ?? 0),
    };
    const turn = { model: known.model ?? model, usage };
    this.turns.delete(id); // re-inserted last: the map keeps the latest few messages only
    this.turns.set(id, turn);
    if (this.turns.size > 16) this.turns.delete(this.turns.keys().next().value ?? id);
    return [{ kind: 'turn', messageId: id, model: turn.model, usage, costUsd: estimateCostUsd(usage, anthropicPriceOf(turn.model ?? undefined, this.prices)) }];
  }
}

/** A message's usage as a line reports it; fields it does not name stay absent. */
function partialUsage(value: unknown): Partial<AgentUsage> {
  const usage = isObject(value) ? value : {};
  return {
    inputTokens: num(usage['input_tokens']),
    outputTokens: num(usage['output_tokens']),
    cacheReadTokens: num(usage['cache_read_input_tokens']),
    cacheWriteTokens: num(usage['cache_creation_input_tokens']),
  };
}

/**
 * `--include-partial-messages` lines: the API's own stream. `message_start` carries a request's input usage as
 * soon as the model starts answering, `message_delta` its output count (`api_message_id` names the message).
 * The text and tool deltas carry nothing orch uses (the complete `assistant` lines follow).
 */
function streamEvents(line: Json, turns: TurnMeter): AgentEvent[] {
  const event = isObject(line['event']) ? line['event'] : {};
  if (event['type'] === 'message_start') {
    const message = isObject(event['message']) ? event['message'] : {};
    const id = str(message['id']);
    return id === undefined ? [] : turns.note(id, str(message['model']) ?? null, partialUsage(message['usage']));
  }
  if (event['type'] === 'message_delta') {
    const id = str(line['api_message_id']);
    return id === undefined ? [] : turns.note(id, null, partialUsage(event['usage']));
  }
  return [];
}

/** The usage an `assistant` line repeats (its message's start): a turn even without the partial messages. */
function assistantTurn(line: Json, turns: TurnMeter): AgentEvent[] {
  const message = isObject(line['message']) ? line['message'] : {};
  const id = str(message['id']);
  if (id === undefined || !isObject(message['usage'])) return [];
  return turns.note(id, str(message['model']) ?? null, partialUsage(message['usage']));
}

export type ClaudeLineParser = (line: string) => AgentEvent[];

/**
 * A line reader for Claude Code's output. It remembers the figures of the last few messages (a message's input and
 * output arrive on different lines), so use one per agent process or per adapter, never one for all of orch.
 */
export function createClaudeParser(prices: PriceTable = {}): ClaudeLineParser {
  const turns = new TurnMeter(prices);
  return (line) => {
    const read = typedJsonLine(line);
    if ('events' in read) return read.events;
    const value = read.value;
    switch (value['type']) {
      case 'system':
        return systemEvents(value);
      case 'assistant':
        return [...assistantTurn(value, turns), ...assistantEvents(value)];
      case 'user':
        return userEvents(value);
      case 'result':
        return [resultEvent(value)];
      case 'stream_event':
        return streamEvents(value, turns);
      default:
        return []; // rate_limit_event, prompt_suggestion, …: well-formed, of no use to orch
    }
  };
}

/** One line on its own (a fresh reader: what a message said on earlier lines is not known). */
export function parseClaudeLine(line: string): AgentEvent[] {
  return createClaudeParser()(line);
}

/** Lines that only stream a message's text and tool input piece by piece: the complete message follows, so the
 * attempt's log leaves them out. */
export function isClaudeStreamDetail(line: string): boolean {
  return line.startsWith('{"type":"stream_event"') && !line.includes('"message_start"') && !line.includes('"message_delta"');
}
