// `codex exec --json` lines read as AgentEvents. Shapes as measured with 0.169.0: docs/agents/codex.md.
// Codex prints no final summary line, so its turn.completed / turn.failed becomes orch's `result` event.
import type { AgentEvent, AgentUsage } from '../domain/agent-events.ts';
import { emptyUsage } from '../domain/agent-events.ts';
import { estimateCostUsd, type TokenPrice } from './token-prices.ts';
import { isObject, str, num, clip, summariseToolInput, type Json, typedJsonLine } from './event-json.ts';

type ResultEvent = Extract<AgentEvent, { kind: 'result' }>;

/** Codex runs every command as `/bin/bash -lc '<cmd>'` (in double quotes when it holds a single quote): show the
 * command the model wrote. */
export function unwrapShell(command: string): string {
  const single = /^\/\S*\/(?:ba|z)?sh -lc '([\s\S]*)'$/.exec(command)?.[1];
  if (single !== undefined) return single.replaceAll(`'\\''`, `'`);
  const double = /^\/\S*\/(?:ba|z)?sh -lc "([\s\S]*)"$/.exec(command)?.[1];
  if (double !== undefined) return double.replace(/\\([\\"$`])/g, '$1');
  return command;
}

/** The HTTP status inside a Codex error message: "unexpected status 401 Unauthorized", "last status: 429 …". */
export function statusInMessage(message: string): number | null {
  const match = /\bstatus:? (\d{3})\b/.exec(message);
  return match?.[1] === undefined ? null : Number(match[1]);
}

function changesOf(item: Json): string {
  const changes = Array.isArray(item['changes']) ? item['changes'].filter(isObject) : [];
  return clip(changes.map((change) => `${str(change['kind']) ?? 'change'} ${str(change['path']) ?? ''}`.trim()).join(', '));
}

/** Codex's turn usage: `input_tokens` includes the cached and cache-written ones; orch counts them apart. */
function usageOf(value: unknown): AgentUsage {
  if (!isObject(value)) return emptyUsage;
  const input = num(value['input_tokens']) ?? 0;
  const cached = num(value['cached_input_tokens']) ?? 0;
  const written = num(value['cache_write_input_tokens']) ?? 0;
  return {
    inputTokens: Math.max(0, input - cached - written),
    outputTokens: num(value['output_tokens']) ?? 0,
    cacheReadTokens: cached,
    cacheWriteTokens: written,
  };
}

function result(fields: Pick<ResultEvent, 'isError' | 'subtype' | 'usage' | 'costUsd' | 'apiErrorStatus' | 'errors' | 'text'>): ResultEvent {
  // One Codex turn per `codex exec`; the session id came earlier, on thread.started.
  return { kind: 'result', turns: 1, sessionId: null, durationMs: 0, permissionDenials: [], ...fields };
}

function itemStarted(item: Json): AgentEvent[] {
  switch (item['type']) {
    case 'command_execution':
      return [{ kind: 'tool_use', tool: 'command_execution', summary: clip(unwrapShell(str(item['command']) ?? '')) }];
    case 'file_change':
      return [{ kind: 'tool_use', tool: 'file_change', summary: changesOf(item) }];
    case 'mcp_tool_call':
      return [{ kind: 'tool_use', tool: `mcp:${str(item['server']) ?? '?'}.${str(item['tool']) ?? '?'}`, summary: summariseToolInput(item['arguments']) }];
    case 'web_search':
      return [{ kind: 'tool_use', tool: 'web_search', summary: clip(str(item['query']) ?? '') }];
    default:
      return [];
  }
}

function itemCompleted(item: Json): AgentEvent[] {
  const failed = item['status'] === 'failed';
  switch (item['type']) {
    case 'agent_message':
      return [{ kind: 'text', text: str(item['text']) ?? '' }];
    case 'command_execution': {
      const exitCode = num(item['exit_code']);
      return [{ kind: 'tool_result', isError: failed || (exitCode !== undefined && exitCode !== 0), summary: clip(str(item['aggregated_output']) ?? '') }];
    }
    case 'file_change':
      return [{ kind: 'tool_result', isError: failed, summary: changesOf(item) }];
    case 'mcp_tool_call':
      return [{ kind: 'tool_result', isError: failed || item['error'] != null, summary: clip(JSON.stringify(item['result'] ?? item['error'] ?? '')) }];
    default:
      return []; // reasoning, web_search, todo_list; `error` items are warnings (model metadata missing, websocket fallback)
  }
}

/**
 * `error` lines are either Codex retrying ("Reconnecting... 2/5 (<why>)", "Reconnecting... waiting for network")
 * or the fatal message that the turn.failed after them repeats; only the former is an event of its own.
 */
function errorLine(line: Json): AgentEvent[] {
  const message = str(line['message']) ?? '';
  const retry = /^Reconnecting\.\.\.\s*(?:(\d+)\/\d+)?/.exec(message);
  if (retry === null) return [];
  return [{ kind: 'retry', attempt: retry[1] === undefined ? 0 : Number(retry[1]), delayMs: 0, status: statusInMessage(message) }];
}

export function parseCodexLine(line: string, price: TokenPrice): AgentEvent[] {
  const read = typedJsonLine(line);
  if ('events' in read) return read.events;
  const value = read.value;
  const item = isObject(value['item']) ? value['item'] : {};
  switch (value['type']) {
    case 'thread.started': {
      const threadId = str(value['thread_id']);
      return threadId === undefined ? [] : [{ kind: 'session', sessionId: threadId }];
    }
    case 'item.started':
      return itemStarted(item);
    case 'item.completed':
      return itemCompleted(item);
    case 'error':
      return errorLine(value);
    case 'turn.completed': {
      const usage = usageOf(value['usage']);
      return [result({ isError: false, subtype: 'success', usage, costUsd: estimateCostUsd(usage, price), apiErrorStatus: null, errors: [], text: '' })];
    }
    case 'turn.failed': {
      const error = isObject(value['error']) ? value['error'] : {};
      const message = str(error['message']) ?? 'turn failed';
      return [result({ isError: true, subtype: 'turn_failed', usage: emptyUsage, costUsd: 0, apiErrorStatus: statusInMessage(message), errors: [message], text: message })];
    }
    default:
      return []; // turn.started, item.updated
  }
}
