// The MCP config file an agent reads (Claude Code's --mcp-config) for the servers an attempt offers it. Written
// by the executor, on the machine the agent runs on; 0600: it names the run, never a secret, but stays private.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AttemptSpec } from './contract.ts';

export function writeMcpConfig(spec: AttemptSpec, stateDir: string): { configPath: string; tools: string[] } | undefined {
  if (spec.mcp === null) return undefined;
  const configPath = join(stateDir, 'mcp', `${spec.attemptId}.json`);
  mkdirSync(dirname(configPath), { recursive: true });
  writeFileSync(configPath, JSON.stringify({ mcpServers: spec.mcp.servers }, null, 2), { mode: 0o600 });
  chmodSync(configPath, 0o600);
  return { configPath, tools: spec.mcp.tools };
}
