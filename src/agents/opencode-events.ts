/**
 * `opencode run --format json` lines read as AgentEvents. Shapes as measured with 1.18.33: docs/agents/opencode.md.
 *
 * Every line carries the session id; none sums the run up. So this parser keeps a little state: the first session id
 * becomes a `session` event, each `step_finish` (one per model request) adds its tokens and cost, and the run's
 * `result` is synthesized when a step finishes for a reason other than `tool-calls` (the agent's last answer) or when
 * an `error` line reports the failure that ends it. One parser reads one run at a time.
 */
import type { AgentEvent, AgentUsage } from '../domain/agent-events.ts';
import { clip, isObject, num, str, summariseToolInput, typedJsonLine, type Json } from './event-json.ts';

type ResultEvent = Extract<AgentEvent, { kind: 'result' }>;

/** OpenCode's tools take camelCase inputs (`filePath`): show the path, command or pattern. */
function toolSummary(input: unknown): string {
  if (isObject(input) && typeof input['filePath'] === 'string') return clip(input['filePath']);
  return summariseToolInput(input);
}

/**
 * One `tool_use` line is a finished call: its input and its outcome together. A shell command that exits non-zero
 * still has status `completed`; its exit code is in the metadata.
 */
function toolEvents(part: Json): AgentEvent[] {
  const state = isObject(part['state']) ? part['state'] : {};
  const metadata = isObject(state['metadata']) ? state['metadata'] : {};
  const exit = num(metadata['exit']);
  const failed = state['status'] === 'error' || (exit !== undefined && exit !== 0);
  const output = str(state['output']) ?? str(state['error']) ?? '';
  return [
    { kind: 'tool_use', tool: str(part['tool']) ?? 'unknown', summary: toolSummary(state['input']) },
    { kind: 'tool_result', isError: failed, summary: clip(output) },
  ];
}

/** Step tokens: `input` excludes cached input; `output` excludes `reasoning`, which is billed as output. */
function stepUsage(part: Json): AgentUsage {
  const tokens = isObject(part['tokens']) ? part['tokens'] : {};
  const cache = isObject(tokens['cache']) ? tokens['cache'] : {};
  return {
    inputTokens: num(tokens['input']) ?? 0,
    outputTokens: (num(tokens['output']) ?? 0) + (num(tokens['reasoning']) ?? 0),
    cacheReadTokens: num(cache['read']) ?? 0,
    cacheWriteTokens: num(cache['write']) ?? 0,
  };
}

/** The message of an `error` line: `{error:{name, data:{message, statusCode, …}}}`. */
function errorOf(line: Json): { name: string; message: string; status: number | null } {
  const error = isObject(line['error']) ? line['error'] : {};
  const data = isObject(error['data']) ? error['data'] : {};
  const name = str(error['name']) ?? 'UnknownError';
  return { name, message: str(data['message']) ?? name, status: num(data['statusCode']) ?? null };
}

export type OpenCodeLineParser = (line: string) => AgentEvent[];

export function createOpenCodeParser(): OpenCodeLineParser {
  let sessionId: string | null = null;
  let usage: AgentUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
  let costUsd = 0;
  let steps = 0;
  let lastText = '';
  let started = 0;

  function result(fields: Pick<ResultEvent, 'isError' | 'subtype' | 'apiErrorStatus' | 'errors' | 'text'>, at: number | undefined): ResultEvent {
    const durationMs = at !== undefined && started > 0 ? Math.max(0, at - started) : 0;
    return { kind: 'result', turns: steps, costUsd, usage: { ...usage }, sessionId, durationMs, permissionDenials: [], ...fields };
  }

  return (line: string): AgentEvent[] => {
    const read = typedJsonLine(line);
    if ('events' in read) return read.events;
    const value = read.value;
    const events: AgentEvent[] = [];
    const lineSession = str(value['sessionID']);
    const at = num(value['timestamp']);
    if (lineSession !== undefined && lineSession !== sessionId) {
      // A new session: a parser reused for another run starts afresh.
      sessionId = lineSession;
      usage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
      costUsd = 0;
      steps = 0;
      lastText = '';
      started = at ?? 0;
      events.push({ kind: 'session', sessionId: lineSession });
    }
    const part = isObject(value['part']) ? value['part'] : {};
    switch (value.type) {
      case 'text': {
        const text = str(part['text']) ?? '';
        lastText = text;
        events.push({ kind: 'text', text });
        break;
      }
      case 'tool_use':
        events.push(...toolEvents(part));
        break;
      case 'step_finish': {
        const step = stepUsage(part);
        usage = {
          inputTokens: usage.inputTokens + step.inputTokens,
          outputTokens: usage.outputTokens + step.outputTokens,
          cacheReadTokens: usage.cacheReadTokens + step.cacheReadTokens,
          cacheWriteTokens: usage.cacheWriteTokens + step.cacheWriteTokens,
        };
        costUsd += num(part['cost']) ?? 0;
        steps += 1;
        const reason = str(part['reason']) ?? 'unknown';
        // `tool-calls`: the agent goes on with the tools' results. Anything else is its last answer.
        if (reason !== 'tool-calls') events.push(result({ isError: false, subtype: reason, apiErrorStatus: null, errors: [], text: lastText }, at));
        break;
      }
      case 'error': {
        const error = errorOf(value);
        events.push(result({ isError: true, subtype: error.name, apiErrorStatus: error.status, errors: [`${error.name}: ${error.message}`], text: error.message }, at));
        break;
      }
      default:
        break; // step_start, reasoning (with --thinking only)
    }
    return events;
  };
}
