// `orch show --timeline`: a lane chart in characters, one letter per phase, and the analytics under it.
import { timelinePhases, type RunTimeline, type TimelineAnalytics, type TimelineLane, type TimelinePhaseName, type TimelineResources } from '../domain/timeline.ts';

export const phaseLetter: Record<TimelinePhaseName, string> = {
  queued: '.',
  preparing: 'p',
  credential_wait: 'R',
  agent: 'A',
  backoff: 'b',
  waiting: ' ',
  checks: 'C',
  review: 'V',
  merge_queue: 'q',
  merging: 'M',
  merge_checks: 'K',
};

const seconds = (ms: number): string => (ms >= 100_000 ? `${Math.round(ms / 1000)}s` : `${(ms / 1000).toFixed(1)}s`);
const usd = (value: number): string => `$${value.toFixed(value < 1 ? 4 : 2)}`;

const mib = (bytes: number): string => `${Math.round(bytes / 1048576)} MiB`;

/** An attempt's (or the run's) sampled memory and CPU in one phrase; null when nothing was sampled. */
export function resourcesPhrase(r: TimelineResources): string | null {
  if (r === null) return null;
  return `memory peak ${mib(r.peakRssBytes)} (mean ${mib(r.meanRssBytes)}), CPU peak ${r.peakCpuPercent.toFixed(0)}% (mean ${r.meanCpuPercent.toFixed(0)}%) of a core, ${r.samples} samples`;
}

function runResources(a: TimelineAnalytics): string | null {
  const phrase = resourcesPhrase(a.resources);
  if (phrase === null) return null;
  return `${phrase}${a.peakTotalRssBytes !== null ? `; all agents at once: ${mib(a.peakTotalRssBytes)} at most` : ''}`;
}

/** One lane as `width` characters, a phase's letter in each cell it covers ('=' the span of a task lane). */
export function strip(lane: TimelineLane, wallMs: number, width: number): string {
  const cells = Array.from({ length: width }, () => ' ');
  const cell = (ms: number) => Math.min(width - 1, Math.floor((ms / Math.max(wallMs, 1)) * width));
  if (lane.kind === 'task') {
    for (let i = cell(lane.startMs); i <= cell(lane.endMs); i++) cells[i] = '=';
  }
  for (const phase of lane.phases) {
    for (let i = cell(phase.startMs); i <= cell(Math.max(phase.startMs, phase.endMs - 1)); i++) cells[i] = phaseLetter[phase.phase];
  }
  return cells.join('');
}

function label(lane: TimelineLane): string {
  if (lane.kind === 'task') return `task ${lane.taskKey}${lane.dependsOn.length > 0 ? ` <- ${lane.dependsOn.join(',')}` : ''}`;
  return `${lane.taskKey === 'main' ? '' : `${lane.taskKey} `}#${lane.n ?? '?'} ${lane.agent ?? ''}`.trim();
}

export function timelineText(timeline: RunTimeline, width = 60): string {
  const { analytics: a } = timeline;
  const labels = timeline.lanes.map(label);
  const pad = Math.min(28, Math.max(8, ...labels.map((l) => l.length)));
  const lines = [`Timeline of ${timeline.runId}: ${seconds(a.wallMs)} from ${timeline.startedAt}`, ''];
  timeline.lanes.forEach((lane, i) => {
    const status = lane.kind === 'attempt' ? ` ${lane.status ?? ''} ${usd(lane.costUsd)}` : '';
    lines.push(`${labels[i]!.slice(0, pad).padEnd(pad)} |${strip(lane, a.wallMs, width)}|${status}`);
  });
  lines.push('', `legend: ${timelinePhases.filter((p) => p !== 'waiting').map((p) => `${phaseLetter[p]} ${p}`).join(', ')}`, '');
  lines.push(`wall time          ${seconds(a.wallMs)}`);
  lines.push(`busy agent time    ${seconds(a.busyAgentMs)}`);
  lines.push(`parallel efficiency ${a.parallelEfficiency === null ? 'n/a (no agent limit recorded)' : `${Math.round(a.parallelEfficiency * 100)}% of ${a.agentLimit} agent slots`}`);
  if (a.criticalPath !== null) lines.push(`critical path      ${a.criticalPath.tasks.join(' -> ')} (${seconds(a.criticalPath.ms)})`);
  lines.push(`time per phase     ${timelinePhases.filter((p) => a.phaseMs[p] > 0).map((p) => `${p} ${seconds(a.phaseMs[p])}`).join(', ') || 'none'}`);
  if (a.slowestCheck !== null) lines.push(`slowest check      ${a.slowestCheck.name} ${seconds(a.slowestCheck.durationMs)}${a.slowestCheck.onMergedTree ? ' (merged tree)' : a.slowestCheck.attemptId ? ` (${a.slowestCheck.attemptId})` : ''}`);
  if (a.mostExpensiveAttempt !== null) lines.push(`most expensive     ${a.mostExpensiveAttempt.attemptId} ${usd(a.mostExpensiveAttempt.costUsd)}`);
  lines.push(`cost               ${usd(a.costUsd)}`);
  lines.push(`agent resources    ${runResources(a) ?? 'not sampled (no /proc, or no agent ran)'}`);
  for (const lane of timeline.lanes) {
    const phrase = lane.kind === 'attempt' ? resourcesPhrase(lane.resources) : null;
    if (phrase !== null) lines.push(`  ${label(lane)}: ${phrase}`);
  }
  return lines.join('\n');
}

/** The analytics as markdown list items: the run's result.md, `orch show`, and each level report of a plan. */
export function timelineAnalyticsMarkdown(timeline: RunTimeline): string {
  const a = timeline.analytics;
  return [
    `- wall time ${seconds(a.wallMs)}, busy agent time ${seconds(a.busyAgentMs)}, parallel efficiency ${a.parallelEfficiency === null ? 'n/a' : `${Math.round(a.parallelEfficiency * 100)}% of ${a.agentLimit} agent slots`}`,
    `- time per phase: ${timelinePhases.filter((p) => p !== 'waiting' && a.phaseMs[p] > 0).map((p) => `${p} ${seconds(a.phaseMs[p])}`).join(', ') || 'none'}`,
    ...(a.criticalPath ? [`- critical path: ${a.criticalPath.tasks.join(' -> ')} (${seconds(a.criticalPath.ms)})`] : []),
    ...(a.slowestCheck ? [`- slowest check: ${a.slowestCheck.name} ${seconds(a.slowestCheck.durationMs)}${a.slowestCheck.onMergedTree ? ' (merged tree)' : ''}`] : []),
    ...(a.mostExpensiveAttempt ? [`- most expensive attempt: ${a.mostExpensiveAttempt.attemptId} ${usd(a.mostExpensiveAttempt.costUsd)}`] : []),
    ...(a.resources ? [`- agent resources: ${runResources(a) ?? ''}`] : []),
  ].join('\n');
}

/** The run's "Time" section, for its result.md and `orch show`. */
export function timelineSummaryMarkdown(timeline: RunTimeline): string {
  return `\n## Time\n\n${timelineAnalyticsMarkdown(timeline)}\n\nThe lanes: orch show ${timeline.runId} --timeline (timeline.svg in the audit trail).\n`;
}
