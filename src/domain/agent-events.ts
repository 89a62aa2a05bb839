// What an agent adapter reads out of one line of an agent CLI's output. Every adapter maps its CLI's format to these.

export interface AgentUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export type AgentEvent =
  | { kind: 'session'; sessionId: string; model?: string | undefined }
  | { kind: 'text'; text: string }
  | { kind: 'tool_use'; tool: string; summary: string }
  | { kind: 'tool_result'; isError: boolean; summary: string }
  | { kind: 'retry'; attempt: number; delayMs: number; status: number | null }
  /**
   * One model request's usage as the agent answers it, before the agent's own totals arrive (Claude Code: each
   * message's start and end). Lines of one request share `messageId` and carry its figures so far (they only grow):
   * the latest per id counts. `costUsd` is orch's estimate at the model's price; the `result` corrects it.
   */
  | { kind: 'turn'; messageId: string; model: string | null; usage: AgentUsage; costUsd: number }
  | {
      kind: 'result';
      isError: boolean;
      /** The CLI's own word for how it ended (Claude Code: success, error_max_turns, error_max_budget_usd, …). */
      subtype: string;
      turns: number;
      costUsd: number;
      usage: AgentUsage;
      sessionId: string | null;
      durationMs: number;
      permissionDenials: string[];
      apiErrorStatus: number | null;
      errors: string[];
      text: string;
    }
  /** A line the adapter could not read as its format: kept for the log, never fatal. */
  | { kind: 'raw'; text: string };

export const emptyUsage: AgentUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
