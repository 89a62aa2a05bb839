/**
 * Gemini CLI's `--output-format stream-json` lines read as AgentEvents. Shapes as measured with 0.61.0:
 * docs/agents/gemini-cli.md.
 *
 * The CLI streams the model's text as `message` deltas (one line per streamed chunk) and its closing `result` line
 * carries no text, so this parser keeps a little state: deltas are joined into one `text` event when the message
 * ends (at the next tool call or the result), the last message becomes the result's text (what a reviewer's JSON
 * answer is read from), and `error` lines are gathered into the result's errors. One parser reads one run at a time;
 * an `init` line starts afresh.
 */
import type { AgentEvent, AgentUsage } from '../domain/agent-events.ts';
import { emptyUsage } from '../domain/agent-events.ts';
import { estimateCostUsd, type TokenPrice } from './token-prices.ts';
import { clip, isObject, num, str, summariseToolInput, typedJsonLine, type Json } from './event-json.ts';
import { geminiPriceOf } from './gemini-prices.ts';

type ResultEvent = Extract<AgentEvent, { kind: 'result' }>;

/** The HTTP status in a Gemini CLI error message, which quotes the API's JSON body: `{"error":{"code":401,…`. */
export function statusInGeminiMessage(message: string): number | null {
  const match = /"code":\s*(\d{3})\b/.exec(message);
  return match?.[1] === undefined ? null : Number(match[1]);
}

/**
 * Token counts of one `stats` object (the whole run's or one model's). `input_tokens` includes the cached ones and
 * `input` excludes them. `output_tokens` leaves out thinking tokens, which the API bills as output; `total_tokens`
 * counts them, so output is taken as total minus input when that is larger.
 */
export function geminiUsageOf(stats: unknown): AgentUsage {
  if (!isObject(stats)) return emptyUsage;
  const prompt = num(stats['input_tokens']) ?? 0;
  const cached = num(stats['cached']) ?? 0;
  const output = num(stats['output_tokens']) ?? 0;
  const total = num(stats['total_tokens']);
  return {
    inputTokens: num(stats['input']) ?? Math.max(0, prompt - cached),
    outputTokens: total === undefined ? output : Math.max(output, total - prompt),
    cacheReadTokens: cached,
    cacheWriteTokens: 0,
  };
}

/** Each model's usage at its own price: a run mixes the router's flash-lite calls with the main model's. */
export function geminiCostOf(stats: unknown, prices: Readonly<Record<string, TokenPrice>> = {}): number {
  const models = isObject(stats) && isObject(stats['models']) ? stats['models'] : undefined;
  if (models === undefined) return estimateCostUsd(geminiUsageOf(stats), geminiPriceOf('', prices));
  return Object.entries(models).reduce((sum, [model, modelStats]) => sum + estimateCostUsd(geminiUsageOf(modelStats), geminiPriceOf(model, prices)), 0);
}

function toolResult(line: Json): AgentEvent {
  const error = isObject(line['error']) ? line['error'] : undefined;
  const output = str(line['output']) ?? str(error?.['message']) ?? '';
  return { kind: 'tool_result', isError: line['status'] === 'error', summary: clip(output) };
}

export type GeminiLineParser = (line: string) => AgentEvent[];

export function createGeminiParser(prices: Readonly<Record<string, TokenPrice>> = {}): GeminiLineParser {
  let pending: string[] = [];
  let lastAnswer = '';
  let errors: string[] = [];
  let sessionId: string | null = null;

  /** The text streamed since the last tool call, as one event. */
  function flush(): AgentEvent[] {
    if (pending.length === 0) return [];
    const text = pending.join('');
    pending = [];
    lastAnswer = text;
    return [{ kind: 'text', text }];
  }

  function result(line: Json): ResultEvent {
    const failed = line['status'] !== 'success';
    const error = isObject(line['error']) ? line['error'] : undefined;
    const message = str(error?.['message']);
    const stats = line['stats'];
    return {
      kind: 'result',
      isError: failed,
      // FatalTurnLimitedError, FatalToolExecutionError, … when the CLI names the failure; `unknown` for API errors.
      subtype: failed ? (str(error?.['type']) ?? 'error') : 'success',
      turns: 1,
      costUsd: geminiCostOf(stats, prices),
      usage: geminiUsageOf(stats),
      sessionId,
      durationMs: isObject(stats) ? (num(stats['duration_ms']) ?? 0) : 0,
      permissionDenials: [],
      apiErrorStatus: message === undefined ? null : statusInGeminiMessage(message),
      errors: [...(message === undefined ? [] : [message]), ...errors],
      text: failed ? (message ?? errors.at(-1) ?? '') : lastAnswer,
    };
  }

  return (line: string): AgentEvent[] => {
    const read = typedJsonLine(line);
    if ('events' in read) return read.events;
    const value = read.value;
    switch (value.type) {
      case 'init': {
        pending = [];
        lastAnswer = '';
        errors = [];
        sessionId = str(value['session_id']) ?? null;
        return sessionId === null ? [] : [{ kind: 'session', sessionId, model: str(value['model']) }];
      }
      case 'message':
        if (value['role'] === 'assistant') pending.push(str(value['content']) ?? '');
        return [];
      case 'tool_use':
        return [...flush(), { kind: 'tool_use', tool: str(value['tool_name']) ?? 'unknown', summary: summariseToolInput(value['parameters']) }];
      case 'tool_result':
        return [...flush(), toolResult(value)];
      case 'error':
        // Warnings (loop detected, a blocked step) and stream errors; the result line after them says how it ended.
        errors.push(`${str(value['severity']) ?? 'error'}: ${str(value['message']) ?? ''}`);
        return flush();
      case 'result':
        return [...flush(), result(value)];
      default:
        return [];
    }
  };
}
