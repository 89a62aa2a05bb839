// `orch events <run|attempt>`: the event log of a run (or one attempt's part of it), as lines or JSON.
import type { Command } from 'commander';
import { openContext } from '../context.ts';
import { printJson, printOut, progressLine } from '../output.ts';

export function registerEvents(program: Command): void {
  program
    .command('events')
    .argument('<id>', 'run or attempt id (a unique prefix will do)')
    .option('--json', 'machine-readable output')
    .action(async (id: string, flags: { json?: boolean }) => {
      const context = await openContext({ engine: false });
      try {
        const attempt = id.startsWith('att_') ? context.store.attempts.resolvePrefix(id) : undefined;
        const runId = attempt?.runId ?? context.store.runs.resolvePrefix(id).id;
        const events: ReturnType<typeof context.store.events.since> = [];
        for (let after = 0; ; ) {
          const page = context.store.events.since(runId, after, 5000);
          if (page.length === 0) break;
          events.push(...page.filter((e) => attempt === undefined || e.attemptId === attempt.id));
          after = page.at(-1)?.seq ?? after;
        }
        if (flags.json) return printJson(events);
        for (const event of events) printOut(`${event.at.slice(11, 19)}  ${progressLine(event) ?? `${event.type} ${JSON.stringify(event.data)}`}`);
      } finally {
        context.close();
      }
    });
}
