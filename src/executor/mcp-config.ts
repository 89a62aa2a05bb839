// The MCP config file an agent reads (Claude Code's --mcp-config) for the servers an attempt offers it. Written
// by the executor, on the machine the agent runs on; 0600: it names the run, never a secret, but stays private.
// A sandboxed agent cannot run those servers itself (orch's `mcp-delegate` needs ORCH_HOME and the repository):
// each runs outside the sandbox, and the agent's config starts a relay to it over a unix socket instead.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openHostCommand, type HostCommand } from '../sandbox/index.ts';
import type { AttemptSpec, McpServerSpec } from './contract.ts';

export interface McpOffer {
  mcp: { configPath: string; tools: string[] };
  /** Folders a sandboxed agent must see (the relays' sockets). */
  readOnlyPaths: string[];
  close(): Promise<void>;
}

function writePrivate(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(value, null, 2), { mode: 0o600 });
  chmodSync(path, 0o600);
}

export async function offerMcp(spec: AttemptSpec, stateDir: string): Promise<McpOffer | undefined> {
  if (spec.mcp === null) return undefined;
  const configPath = join(stateDir, 'mcp', `${spec.attemptId}.json`);
  if (spec.sandbox.mode === 'none') {
    writePrivate(configPath, { mcpServers: spec.mcp.servers });
    return { mcp: { configPath, tools: spec.mcp.tools }, readOnlyPaths: [], close: () => Promise.resolve() };
  }
  const hosts: HostCommand[] = [];
  const relayed: Record<string, Pick<McpServerSpec, 'command' | 'args'>> = {};
  try {
    for (const [name, server] of Object.entries(spec.mcp.servers)) {
      const host = await openHostCommand([server.command, ...server.args], { ...process.env, ...server.env });
      hosts.push(host);
      relayed[name] = { command: host.command, args: host.args };
    }
    const relayConfig = join(hosts[0]?.dir ?? dirname(configPath), 'mcp.json');
    writePrivate(relayConfig, { mcpServers: relayed });
    return {
      mcp: { configPath: relayConfig, tools: spec.mcp.tools },
      readOnlyPaths: hosts.map((host) => host.dir),
      close: async () => {
        await Promise.all(hosts.map((host) => host.close()));
      },
    };
  } catch (error) {
    await Promise.all(hosts.map((host) => host.close()));
    throw error;
  }
}
