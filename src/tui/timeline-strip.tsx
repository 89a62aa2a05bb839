// The run in time, compact: one row per task (plan runs) and per attempt, its phases as coloured letters scaled
// to the terminal's width, redrawn with every frame while agents work. Shown in the log pane's place (key t).
/** @jsxRuntime automatic */
import { Text } from 'ink';
import { useMemo } from 'react';
import { timelinePhases, type TimelineLane, type TimelinePhaseName } from '../domain/timeline.ts';
import { computeTimeline } from '../report/timeline.ts';
import { phaseLetter, strip } from '../report/timeline-text.ts';
import { keepVisible } from './layout.ts';
import { isOver, type DashboardState } from './state.ts';

/** The chart's colours, the same idea as the web view's: waits warm, work green, checks and merges cool. */
const phaseColor: Record<TimelinePhaseName, string> = {
  queued: 'gray',
  preparing: 'white',
  credential_wait: 'red',
  agent: 'green',
  backoff: 'yellow',
  waiting: 'gray',
  checks: 'cyan',
  review: 'magenta',
  merge_queue: 'yellowBright',
  merging: 'blue',
  merge_checks: 'blueBright',
};
const colorOfLetter = new Map<string, string>(timelinePhases.map((p) => [phaseLetter[p], phaseColor[p]]));

/** Short names, so the legend fits one line of a 100-column terminal. */
const legendName: Record<TimelinePhaseName, string> = {
  queued: 'queued',
  preparing: 'prep',
  credential_wait: 'key wait',
  agent: 'agent',
  backoff: 'backoff',
  waiting: '',
  checks: 'checks',
  review: 'review',
  merge_queue: 'merge queue',
  merging: 'merge',
  merge_checks: 'merged checks',
};

const labelWidth = 14;
const seconds = (ms: number): string => (ms >= 100_000 ? `${Math.round(ms / 1000)}s` : `${(ms / 1000).toFixed(1)}s`);

function laneLabel(lane: TimelineLane): string {
  const text = lane.kind === 'task' ? `task ${lane.taskKey}` : `${lane.taskKey === 'main' || lane.taskKey === '' ? '' : `${lane.taskKey} `}#${lane.n ?? '?'}`;
  return text.length > labelWidth - 1 ? `${text.slice(0, labelWidth - 2)}… ` : text.padEnd(labelWidth);
}

/** A lane's cells in runs of one letter, each run in its phase's colour. */
function Cells({ cells }: { cells: string }) {
  const runs: string[] = cells.match(/(.)\1*/g) ?? [];
  return (
    <>
      {runs.map((run, i) => (
        <Text key={i} color={colorOfLetter.get(run[0]!) ?? 'gray'} dimColor={run[0] === '='}>
          {run}
        </Text>
      ))}
    </>
  );
}

/** `lines` lines under its title: the lanes that fit (the selected attempt's among them), then the legend. */
export function TimelineStrip({ state, lines, width, now, selectedId }: { state: DashboardState; lines: number; width: number; now: number; selectedId: string | undefined }) {
  const live = !isOver(state);
  // A frame a second is enough for the open phases to grow; new events make a new timeline at once.
  const second = live ? Math.floor(now / 1000) : 0;
  const timeline = useMemo(
    () => computeTimeline({ runId: state.runId ?? '', events: state.timelineEvents, agentLimit: null, ...(live ? { now: new Date(second * 1000) } : {}) }),
    [state.runId, state.timelineEvents, live, second],
  );
  const rows = Math.max(1, lines - 1);
  const lanes = timeline.lanes;
  const selected = Math.max(0, lanes.findIndex((l) => l.id === selectedId));
  const offset = keepVisible(selected, 0, rows, lanes.length);
  const cellsWidth = Math.max(10, width - labelWidth);
  const legend = timelinePhases.filter((p) => p !== 'waiting');
  return (
    <>
      <Text wrap="truncate-end" color="blue">
        {`── timeline ${seconds(timeline.analytics.wallMs)}, ${lanes.length} lanes${lanes.length > rows ? ` (${offset + 1}-${Math.min(lanes.length, offset + rows)} shown)` : ''} `}
        <Text dimColor>(t: back to the log)</Text>
      </Text>
      {lanes.length === 0 ? <Text dimColor>  nothing has started yet</Text> : null}
      {lanes.slice(offset, offset + rows).map((lane) => (
        <Text key={lane.id} wrap="truncate-end">
          <Text bold={lane.id === selectedId}>{laneLabel(lane)}</Text>
          <Cells cells={strip(lane, timeline.analytics.wallMs, cellsWidth)} />
        </Text>
      ))}
      <Text wrap="truncate-end">
        {legend.map((p) => (
          <Text key={p}>
            <Text color={phaseColor[p]}>{phaseLetter[p]}</Text>
            <Text dimColor>{` ${legendName[p]}  `}</Text>
          </Text>
        ))}
      </Text>
    </>
  );
}
