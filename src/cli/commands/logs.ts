// `orch logs <attempt> [--follow]`: an attempt's agent output, rendered through its adapter or raw.
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { createAgentAdapter } from '../../agents/registry.ts';
import { agentRecord } from '../../domain/agent-records.ts';
import { configSchema } from '../../domain/config.ts';
import type { AgentEvent } from '../../domain/agent-events.ts';
import { openContext } from '../context.ts';
import { printOut } from '../output.ts';

interface LogLine {
  t: number;
  s: 'stdout' | 'stderr';
  line: string;
}

function render(event: AgentEvent): string | undefined {
  switch (event.kind) {
    case 'session':
      return `session ${event.sessionId}${event.model ? ` (${event.model})` : ''}`;
    case 'text':
      return event.text;
    case 'tool_use':
      return `→ ${event.tool} ${event.summary}`;
    case 'tool_result':
      return event.isError ? `  ✘ ${event.summary}` : undefined;
    case 'retry':
      return `API retry ${event.attempt} in ${event.delayMs} ms (${event.status === null ? 'no HTTP status' : `HTTP status ${event.status}`})`;
    case 'result':
      return `result: ${event.isError ? 'error' : 'ok'} (${event.subtype}), ${event.turns} turns, $${event.costUsd.toFixed(4)}`;
    case 'raw':
      return event.text;
  }
}

export function registerLogs(program: Command): void {
  program
    .command('logs')
    .argument('<attempt>', 'attempt id (a unique prefix will do)')
    .option('-f, --follow', 'keep printing until the attempt ends')
    .option('--raw', "print the agent's output lines as they came")
    .action(async (attemptId: string, flags: { follow?: boolean; raw?: boolean }) => {
      const context = await openContext({ engine: false });
      try {
        const attempt = context.store.attempts.resolvePrefix(attemptId);
        // Output orch can read as events is rendered by the agent's own parser (defaults suffice to read); plain text
        // (the command agent's) is shown as it came.
        const parsed = agentRecord(attempt.agent)?.capabilities.events === true;
        const adapter = parsed ? createAgentAdapter(attempt.agent, configSchema.parse({})) : undefined;
        let offset = 0;
        for (;;) {
          const text = existsSync(attempt.logPath) ? readFileSync(attempt.logPath, 'utf8') : '';
          const complete = text.slice(offset, text.lastIndexOf('\n') + 1);
          offset += complete.length;
          for (const raw of complete.split('\n')) {
            if (raw === '') continue;
            const entry = JSON.parse(raw) as LogLine;
            if (flags.raw || entry.s === 'stderr' || adapter === undefined) {
              printOut(entry.s === 'stderr' ? `stderr: ${entry.line}` : entry.line);
              continue;
            }
            for (const event of adapter.parse(entry.line)) {
              const line = render(event);
              if (line !== undefined) printOut(line);
            }
          }
          const status = context.store.attempts.get(attempt.id).status;
          if (!flags.follow || !['queued', 'running'].includes(status)) break;
          await sleep(250);
        }
      } finally {
        context.close();
      }
    });
}
