// What a cycle's planner is told besides the code: the project's open backlog (each item with the key that links a
// planned task back to it) and what earlier cycles did — which tasks merged, which failed and why — so the
// planner builds on them and never sends a failed task out again unchanged.
import { backlogKey, type BacklogTask } from '../domain/backlog.ts';
import type { Task } from '../domain/records.ts';
import type { Store } from '../store/store.ts';
import type { PortfolioProject } from './config.ts';

/** How many earlier cycles the planner is told about. */
const earlierCycles = 3;

export interface EarlierCycle {
  runId: string;
  startedAt: string;
  status: string;
  summary: string;
  costUsd: number;
  tasks: Pick<Task, 'key' | 'title' | 'description' | 'status' | 'reason'>[];
}

export function earlierCycleResults(store: Store, project: string, limit = earlierCycles): EarlierCycle[] {
  return store.cycles
    .list(project, limit)
    .filter((cycle) => cycle.settledAt !== null)
    .map((cycle) => {
      const run = store.runs.get(cycle.runId);
      return { runId: run.id, startedAt: cycle.startedAt, status: run.status, summary: cycle.summary ?? run.reason ?? '', costUsd: run.costUsd, tasks: store.tasks.listByRun(run.id) };
    });
}

const oneLine = (text: string, max = 300): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
};

function backlogLines(tasks: readonly BacklogTask[]): string {
  if (tasks.length === 0) return '(empty: look for what the project needs — failing checks first, then gaps in tests, then the rest)';
  return tasks.map((t) => `- ${backlogKey(t.id)} [${t.type}, priority ${t.priority}${t.attempts > 0 ? `, tried ${t.attempts}×` : ''}]: ${t.title}${t.description ? `\n  ${oneLine(t.description, 1000)}` : ''}`).join('\n');
}

function resultLines(cycles: readonly EarlierCycle[]): string {
  if (cycles.length === 0) return '(none: this is the first cycle)';
  return cycles
    .map((c) => {
      const tasks = c.tasks.map((t) => `- ${t.status === 'merged' ? 'merged' : t.status}: ${t.key} ${t.title}${t.status === 'merged' ? '' : ` — ${oneLine(t.reason ?? 'no reason recorded')}`}`).join('\n');
      return `### Cycle ${c.runId} (${c.startedAt}, ${c.status}, $${c.costUsd.toFixed(4)})\n\n${oneLine(c.summary, 500)}\n\n${tasks || '- (no tasks)'}`;
    })
    .join('\n\n');
}

export function cycleGoal(project: PortfolioProject, backlog: readonly BacklogTask[], cycles: readonly EarlierCycle[]): string {
  return [
    `Cycle of portfolio project "${project.name}": plan the next round of work on this repository.`,
    '',
    '## Open backlog',
    '',
    backlogLines(backlog),
    '',
    'A task that does a backlog item whole takes the item\'s key as its id (e.g. "B3"); a piece of it "B3.1", "B3.2" (the item stays open).',
    '',
    '## Results of earlier cycles',
    '',
    resultLines(cycles),
    '',
    '## Rules',
    '',
    '- Fixes first, then what unblocks other work, then tests, then features.',
    '- Never emit a task that failed before as it was: decompose it, or fix what it needs first.',
    '- Each task is one coherent change a worker can finish alone, on its own branch.',
  ].join('\n');
}

/** Failed tasks of earlier cycles: a planner that emits one unchanged is not run again. */
export function failedBefore(cycles: readonly EarlierCycle[]): { title: string; description: string }[] {
  return cycles.flatMap((c) => c.tasks.filter((t) => t.status === 'failed').map((t) => ({ title: t.title, description: t.description })));
}
