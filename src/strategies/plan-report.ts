// The per-level reports of a plan run and the final report that links them.
import { relative, dirname } from 'node:path';
import type { Plan } from '../domain/plan.ts';
import type { Task } from '../domain/records.ts';
import type { RunTimeline } from '../domain/timeline.ts';
import { timelineAnalyticsMarkdown } from '../report/timeline-text.ts';

export interface LevelReport {
  depth: number;
  parent: string | null;
  target: string;
  plan: Plan;
  tasks: Task[];
  results: ReadonlyMap<string, string>;
  /** The level's own timeline: its tasks and their subtasks (null: none recorded). */
  timeline: RunTimeline | null;
  path: string;
}

/** One line of text as a table cell: a planner's title or a result may hold a '|' or a newline. */
const cell = (text: string): string => (text.split('\n')[0] ?? '').replace(/\|/g, '\\|');

export function levelMarkdown(report: LevelReport): string {
  const rows = report.tasks
    .map((t) => `| ${t.key} | ${cell(t.title)} | ${t.dependsOn.join(', ') || '-'} | ${t.large ? 'yes' : ''} | ${cell(report.results.get(t.key) ?? 'not run')} |`)
    .join('\n');
  return `# Level ${report.depth}${report.parent ? ` — subplan of ${report.parent}` : ''}

Merges into \`${report.target}\`.

${report.plan.proposal}

| task | title | depends on | large | result |
|---|---|---|---|---|
${rows}
${report.timeline !== null && report.timeline.lanes.length > 0 ? `\n## Time\n\nThis level's tasks (their subtasks included), from its first event to its last:\n\n${timelineAnalyticsMarkdown(report.timeline)}\n` : ''}`;
}

export function finalPlanMarkdown(goal: string, outcome: { ok: boolean; summary: string }, reports: readonly LevelReport[]): string {
  const links = [...reports]
    .sort((a, b) => a.depth - b.depth)
    .map((r) => {
      const link = r.path ? relative(dirname(dirname(r.path)), r.path) : '';
      return `- level ${r.depth}${r.parent ? ` (${r.parent})` : ''}: [${link}](${link}) — ${r.tasks.length} tasks into \`${r.target}\``;
    })
    .join('\n');
  return `# Plan run: ${outcome.ok ? 'all merged' : 'not all merged'}\n\n${goal.split('\n')[0] ?? ''}\n\n${outcome.summary}\n\n## Levels\n\n${links}\n`;
}
