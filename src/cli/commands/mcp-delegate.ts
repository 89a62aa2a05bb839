// `orch mcp-delegate`: the MCP server orch gives Claude Code agents (over stdio) when delegation is on. Not for
// people to run: orch starts it through the agent's --mcp-config, with the parent run in the environment.
import type { Command } from 'commander';
import { UsageError } from '../../domain/errors.ts';
import { delegateTool } from '../../mcp/delegate-tool.ts';
import { serveMcp } from '../../mcp/stdio-server.ts';
import { openContext } from '../context.ts';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new UsageError(`orch mcp-delegate is started by orch for an agent; ${name} is not set.`);
  return value;
}

export function registerMcpDelegate(program: Command): void {
  program
    .command('mcp-delegate', { hidden: true })
    .action(async () => {
      const parentRunId = required('ORCH_DELEGATE_PARENT_RUN');
      const parentAttemptId = required('ORCH_DELEGATE_PARENT_ATTEMPT');
      const context = await openContext();
      try {
        // The environment names the parent only: depth and budget are the store's (engine/core/delegate-parent.ts).
        const tool = delegateTool({ engine: context.engine, parentRunId, parentAttemptId });
        await serveMcp([tool], { input: process.stdin, output: process.stdout }, { name: 'orch', version: '0.1.0' });
      } finally {
        context.close();
      }
    });
}
