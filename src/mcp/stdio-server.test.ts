import { describe, expect, it } from 'vitest';
import { mcpSession } from '../../test/helpers/mcp-session.ts';
import { waitFor } from '../../test/helpers/wait-for.ts';
import type { McpTool } from './stdio-server.ts';

/** A tool that logs its calls; each call works until `hold` lets it finish. */
function countingTool(name: string, oneAtATime: boolean, log: string[], hold: () => Promise<void>): McpTool {
  let running = 0;
  return {
    name,
    description: name,
    inputSchema: { type: 'object' },
    oneAtATime,
    async call(args) {
      running += 1;
      log.push(`start ${String(args['n'])} (${running} running)`);
      await hold();
      running -= 1;
      log.push(`end ${String(args['n'])}`);
      if (args['n'] === 2) throw new Error('the second call fails');
      return { text: `done ${String(args['n'])}` };
    },
  };
}

describe('the MCP stdio server', () => {
  it('runs the calls of a one-at-a-time tool one after another, in order, even when one fails', async () => {
    const log: string[] = [];
    // Each call takes a moment (a macrotask): calls run side by side, unless the server makes them wait their turn.
    const session = mcpSession([countingTool('serial', true, log, () => new Promise((resolve) => setImmediate(resolve)))]);
    const replies = await Promise.all([1, 2, 3].map((n) => session.call('serial', { n })));
    expect(log).toEqual(['start 1 (1 running)', 'end 1', 'start 2 (1 running)', 'end 2', 'start 3 (1 running)', 'end 3']);
    expect(replies.map((r) => [r.content[0]?.text, r.isError])).toEqual([
      ['done 1', false],
      ['orch: the second call fails', true],
      ['done 3', false],
    ]);
    await session.close();
  });

  it('lets other tools run side by side', async () => {
    const log: string[] = [];
    // Each call finishes only once both have started: calls kept one at a time would never get there.
    let started = 0;
    const bothStarted = async () => {
      started += 1;
      await waitFor(() => started === 2, { what: 'both calls to run at once' });
    };
    const session = mcpSession([countingTool('free', false, log, bothStarted)]);
    await Promise.all([1, 3].map((n) => session.call('free', { n })));
    expect(log.slice(0, 2)).toEqual(['start 1 (1 running)', 'start 3 (2 running)']);
    await session.close();
  });
});
