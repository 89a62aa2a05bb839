// Offering an agent the `delegate` tool: an MCP server (orch itself, `orch mcp-delegate`) described in a config
// file the agent reads (Claude Code: --mcp-config), for agents whose record says they take MCP servers. The file is 0600: it names the run, never a secret, but stays private.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { agentRecord } from '../domain/agent-records.ts';
import type { Attempt } from '../domain/records.ts';
import { openHostCommand } from '../sandbox/index.ts';
import type { RunScope } from './deps.ts';

/** orch's own command line, to start as the MCP server. */
const orchEntry = fileURLToPath(new URL('../../bin/orch.js', import.meta.url));

export const delegateToolName = 'mcp__orch__delegate';

export interface DelegateOffer {
  mcp: { configPath: string; tools: string[] };
  /** Folders the sandboxed agent must see (the relay's socket and the config). */
  readOnlyPaths: string[];
  close(): Promise<void>;
}

function writePrivate(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(value, null, 2), { mode: 0o600 });
  chmodSync(path, 0o600);
}

/**
 * The delegate tool for this attempt, or undefined when delegation is off or out of depth. Sandboxed, the MCP
 * server runs outside the sandbox (it needs ORCH_HOME and the repository) and the agent reaches it through a relay.
 */
export async function offerDelegate(scope: RunScope, attempt: Attempt, sandboxed: boolean): Promise<DelegateOffer | undefined> {
  const { delegate } = scope.settings;
  if (!delegate.enabled || delegate.depth >= delegate.maxDepth || agentRecord(attempt.agent)?.capabilities.mcp !== true) return undefined;
  const env = {
    ORCH_HOME: scope.deps.paths.home,
    ORCH_DELEGATE_PARENT_RUN: scope.runId,
    ORCH_DELEGATE_PARENT_ATTEMPT: attempt.id,
    ORCH_DELEGATE_DEPTH: String(delegate.depth + 1),
    // What each child may spend when the parent run has no budget of its own. With one, the server works
    // out what is left from the store at every call (children and earlier calls included).
    ORCH_DELEGATE_MAX_CHILD_USD: String(scope.deps.config.delegate.maxChildCostUsd),
  };
  const tools = [delegateToolName];
  if (!sandboxed) {
    const configPath = join(scope.deps.paths.agentState(attempt.agent), 'mcp', `${attempt.id}.json`);
    writePrivate(configPath, { mcpServers: { orch: { command: process.execPath, args: [orchEntry, 'mcp-delegate'], env } } });
    return { mcp: { configPath, tools }, readOnlyPaths: [], close: () => Promise.resolve() };
  }
  const host = await openHostCommand([process.execPath, orchEntry, 'mcp-delegate'], { ...process.env, ...env });
  const configPath = join(host.dir, 'mcp.json');
  writePrivate(configPath, { mcpServers: { orch: { command: host.command, args: host.args } } });
  return { mcp: { configPath, tools }, readOnlyPaths: [host.dir], close: () => host.close() };
}
