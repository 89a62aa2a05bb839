// The audit trail's timeline.svg: a standalone picture (no script, no external font or style), one bar per lane,
// each phase a coloured rectangle with a tooltip, the analytics as text under it. Opens in any browser or viewer.
import { timelinePhases, type RunTimeline } from '../domain/timeline.ts';
import { phaseColour, phaseLabel } from '../domain/timeline-look.ts';


const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const s = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

export function timelineSvg(timeline: RunTimeline): string {
  const { analytics: a, lanes } = timeline;
  const labelW = 200;
  const chartW = 760;
  const rowH = 22;
  const top = 40;
  const x = (ms: number) => labelW + (ms / Math.max(a.wallMs, 1)) * chartW;
  const out: string[] = [];
  lanes.forEach((lane, i) => {
    const y = top + i * rowH;
    const name = lane.kind === 'task' ? `task ${lane.taskKey}` : `${lane.taskKey === 'main' ? '' : `${lane.taskKey} `}#${lane.n ?? '?'} ${lane.agent ?? ''} ${lane.status ?? ''}`;
    out.push(`<text x="4" y="${y + 15}" font-size="12">${escape(name.slice(0, 30))}</text>`);
    if (lane.kind === 'task') {
      const deps = lane.dependsOn.length > 0 ? ` after ${lane.dependsOn.join(', ')}` : '';
      const critical = a.criticalPath?.tasks.includes(lane.taskKey) === true;
      out.push(
        `<rect x="${x(lane.startMs).toFixed(1)}" y="${y + 4}" width="${Math.max(1, x(lane.endMs) - x(lane.startMs)).toFixed(1)}" height="${rowH - 8}" fill="none" stroke="${critical ? '#c0392b' : '#555'}" stroke-width="${critical ? 3 : 1}"><title>${escape(`task ${lane.taskKey}${deps}: ${s(lane.endMs - lane.startMs)}${critical ? ' (critical path)' : ''}`)}</title></rect>`,
      );
    }
    for (const phase of lane.phases) {
      const tip = `${phaseLabel[phase.phase]} ${s(phase.endMs - phase.startMs)} (at ${s(phase.startMs)}), cost so far $${phase.costUsd.toFixed(4)}`;
      out.push(
        `<rect class="${phase.phase}" x="${x(phase.startMs).toFixed(1)}" y="${y + 3}" width="${Math.max(1, x(phase.endMs) - x(phase.startMs)).toFixed(1)}" height="${rowH - 6}" fill="${phaseColour[phase.phase]}"><title>${escape(tip)}</title></rect>`,
      );
    }
    if (lane.kind === 'attempt') out.push(`<text x="${(x(lane.endMs) + 4).toFixed(1)}" y="${y + 15}" font-size="11" fill="#555">$${lane.costUsd.toFixed(4)}</text>`);
  });
  const legendY = top + lanes.length * rowH + 16;
  const legend = timelinePhases.filter((p) => p !== 'waiting').map((p, i) => `<rect x="${labelW + (i % 6) * 125}" y="${legendY + Math.floor(i / 6) * 18}" width="12" height="12" fill="${phaseColour[p]}"/><text x="${labelW + (i % 6) * 125 + 16}" y="${legendY + Math.floor(i / 6) * 18 + 10}" font-size="11">${p.replace('_', ' ')}</text>`);
  const facts = [
    `wall ${s(a.wallMs)}, busy agents ${s(a.busyAgentMs)}, parallel efficiency ${a.parallelEfficiency === null ? 'n/a' : `${Math.round(a.parallelEfficiency * 100)}% of ${a.agentLimit}`}, cost $${a.costUsd.toFixed(4)}`,
    a.criticalPath ? `critical path: ${a.criticalPath.tasks.join(' → ')} (${s(a.criticalPath.ms)})` : '',
    a.slowestCheck ? `slowest check: ${a.slowestCheck.name} ${s(a.slowestCheck.durationMs)}` : '',
    a.mostExpensiveAttempt ? `most expensive attempt: ${a.mostExpensiveAttempt.attemptId} $${a.mostExpensiveAttempt.costUsd.toFixed(4)}` : '',
  ].filter((f) => f !== '');
  const factsY = legendY + 48;
  const height = factsY + facts.length * 16 + 10;
  const width = labelW + chartW + 80;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="4" y="20" font-size="14" font-weight="bold">${escape(`Run ${timeline.runId}: ${s(a.wallMs)} from ${timeline.startedAt}`)}</text>`,
    `<line x1="${labelW}" y1="${top - 4}" x2="${labelW}" y2="${top + lanes.length * rowH}" stroke="#999"/>`,
    ...out,
    ...legend,
    ...facts.map((f, i) => `<text x="4" y="${factsY + i * 16}" font-size="12">${escape(f)}</text>`),
    '</svg>',
    '',
  ].join('\n');
}
