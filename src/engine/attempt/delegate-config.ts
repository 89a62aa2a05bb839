// Offering an agent the `delegate` tool: an MCP server (orch itself, `orch mcp-delegate`) that the attempt's spec
// describes, for agents whose record says they take MCP servers; the executor writes it into the config file
// the agent reads (Claude Code: --mcp-config).
import { fileURLToPath } from 'node:url';
import { agentRecord } from '../../domain/agent-records.ts';
import type { Attempt } from '../../domain/records.ts';
import type { AttemptSpec } from '../../executor/contract.ts';
import type { RunScope } from '../core/deps.ts';

/** orch's own command line, to start as the MCP server. */
const orchEntry = fileURLToPath(new URL('../../../bin/orch.js', import.meta.url));

export const delegateToolName = 'mcp__orch__delegate';

/** The MCP servers for this attempt, or null when delegation is off or out of depth. */
export function delegateMcp(scope: RunScope, attempt: Attempt): AttemptSpec['mcp'] {
  const { delegate } = scope.settings;
  if (!delegate.enabled || delegate.depth >= delegate.maxDepth || agentRecord(attempt.agent)?.capabilities.mcp !== true) return null;
  const orch = {
    command: process.execPath,
    args: [orchEntry, 'mcp-delegate'],
    env: {
      ORCH_HOME: scope.deps.paths.home,
      ORCH_DELEGATE_PARENT_RUN: scope.runId,
      // Names only: the child's depth and budget are worked out from the store at every call (delegate-parent.ts).
      ORCH_DELEGATE_PARENT_ATTEMPT: attempt.id,
    },
  };
  return { servers: { orch }, tools: [delegateToolName] };
}
