// The contract every agent CLI adapter keeps: argv in (never a shell string), events out, an exit classified.
import type { AgentEvent } from '../domain/agent-events.ts';
import type { AgentClassification } from '../domain/outcome.ts';

export interface AgentSpec {
  /** The full prompt for the agent (goal plus orch's instructions). Passed as one argv element or on stdin. */
  prompt: string;
  /** The attempt's worktree: the agent's working directory. */
  cwd: string;
  model?: string | undefined;
  maxTurns?: number | undefined;
  /** Passed to agents that enforce a budget themselves; orch enforces it too. */
  maxBudgetUsd?: number | undefined;
  /** Resume this agent session instead of starting a new one (agents that support it). */
  resumeSessionId?: string | undefined;
  /** Start the new session under this id (from the adapter's `newSessionId`), so orch knows it before the agent
   * starts: an agent orphaned by a killed orch can still be resumed. */
  sessionId?: string | undefined;
  /** Restrict the agent to reading (reviewers, planners). */
  readOnly?: boolean | undefined;
  /** A directory orch owns for this agent's own state (sessions, settings), under ORCH_HOME. */
  stateDir: string;
  /** Extra environment for this invocation (credentials, base URLs); merged over the inherited environment. */
  env: Record<string, string>;
  /** Tools orch offers the agent over MCP (the `delegate` tool), for agents that take MCP servers. */
  mcp?: { configPath: string; tools: string[] } | undefined;
}

export interface AgentInvocation {
  argv: string[];
  /** Variables to set (string) or remove (undefined) over the parent's environment. */
  env: Record<string, string | undefined>;
  /** Text written to the agent's stdin, then closed. Absent: stdin is closed at once. */
  stdin?: string | undefined;
}

export interface AgentExit {
  exitCode: number | null;
  signal: string | null;
}

export interface AgentAdapter {
  readonly name: string;
  /** Whether `resumeSessionId` is honoured, so an interrupted attempt can continue its own session. */
  readonly supportsResume: boolean;
  buildInvocation(spec: AgentSpec): AgentInvocation;
  /** Read one line of the agent's stdout. Never throws: unreadable lines become `raw` events. */
  parse(line: string): AgentEvent[];
  /** A fresh id the CLI accepts for a new session (agents that let the caller name it: Claude Code's --session-id). */
  newSessionId?(): string;
  /** Lines that only stream detail the agent repeats whole later (text arriving token by token): parsed, but kept
   * out of logs. */
  isStreamDetail?(line: string): boolean;
  classify(exit: AgentExit, events: readonly AgentEvent[]): AgentClassification;
}
