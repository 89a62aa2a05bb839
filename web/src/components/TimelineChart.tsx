// The run in time: one bar per attempt (and per task of a plan), each phase a coloured segment with its tooltip,
// the analytics under it. Plain SVG drawn from the API's numbers (GET /runs/:id/timeline).
import { phaseColour as colour, phaseLabel as label, type RunTimeline } from 'orch/client';

const s = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

export function TimelineChart({ timeline }: { timeline: RunTimeline }) {
  const { lanes, analytics: a } = timeline;
  const width = 720;
  const rowH = 20;
  const x = (ms: number): number => (ms / Math.max(a.wallMs, 1)) * width;
  const critical = new Set(a.criticalPath?.tasks ?? []);
  const used = new Set(lanes.flatMap((l) => l.phases.map((p) => p.phase)).filter((p) => p !== 'waiting'));
  return (
    <div className="timeline">
      <div className="timeline-rows">
        {lanes.map((lane) => (
          <div className="timeline-row" key={lane.id}>
            <span className="timeline-label">{lane.kind === 'task' ? `task ${lane.taskKey}` : `${lane.taskKey === 'main' ? '' : `${lane.taskKey} `}#${lane.n ?? '?'} ${lane.agent ?? ''}`}</span>
            <svg width={width} height={rowH} role="img" aria-label={`${lane.id} timeline`}>
              {lane.kind === 'task' && (
                <rect x={x(lane.startMs)} y={3} width={Math.max(1, x(lane.endMs) - x(lane.startMs))} height={rowH - 6} fill="none" stroke={critical.has(lane.taskKey) ? '#c0392b' : '#777'} strokeWidth={critical.has(lane.taskKey) ? 3 : 1}>
                  <title>{`task ${lane.taskKey}${lane.dependsOn.length > 0 ? ` after ${lane.dependsOn.join(', ')}` : ''}: ${s(lane.endMs - lane.startMs)}${critical.has(lane.taskKey) ? ' (critical path)' : ''}`}</title>
                </rect>
              )}
              {lane.phases.map((p) => (
                <rect key={`${p.phase}-${p.startMs}`} className={`phase-${p.phase}`} x={x(p.startMs)} y={2} width={Math.max(1, x(p.endMs) - x(p.startMs))} height={rowH - 4} fill={colour[p.phase]}>
                  <title>{`${label[p.phase]} ${s(p.endMs - p.startMs)}, cost so far $${p.costUsd.toFixed(4)}`}</title>
                </rect>
              ))}
            </svg>
            {lane.kind === 'attempt' && <span className="muted"> ${lane.costUsd.toFixed(4)}</span>}
          </div>
        ))}
      </div>
      <p className="timeline-legend">
        {[...used].map((p) => (
          <span key={p}>
            <svg className="swatch" width="12" height="12" aria-hidden="true">
              <rect width="12" height="12" fill={colour[p]} />
            </svg>{' '}
            {label[p]}{' '}
          </span>
        ))}
      </p>
      <p className="timeline-facts">
        wall {s(a.wallMs)} · busy agents {s(a.busyAgentMs)} · parallel efficiency {a.parallelEfficiency === null ? 'n/a' : `${Math.round(a.parallelEfficiency * 100)}% of ${a.agentLimit}`}
        {a.criticalPath && ` · critical path ${a.criticalPath.tasks.join(' → ')} (${s(a.criticalPath.ms)})`}
        {a.slowestCheck && ` · slowest check ${a.slowestCheck.name} ${s(a.slowestCheck.durationMs)}`}
        {a.mostExpensiveAttempt && ` · most expensive attempt $${a.mostExpensiveAttempt.costUsd.toFixed(4)}`}
        {a.resources && ` · agent memory peak ${Math.round(a.resources.peakRssBytes / 1048576)} MiB, CPU peak ${Math.round(a.resources.peakCpuPercent)}% of a core`}
      </p>
    </div>
  );
}
