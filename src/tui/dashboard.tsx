// The terminal dashboard: header, attempt table, the selected attempt's log, result and keys. It samples the
// model at most every `sampleMs` (and once a second for the clock), however fast events arrive.
/** @jsxRuntime automatic */
import { Box, useInput, useStdin, useWindowSize } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { AttemptTable } from './attempt-table.tsx';
import { Footer, Result, resultLines, type DashboardMode } from './footer.tsx';
import { Header } from './header.tsx';
import { layout } from './layout.ts';
import { LogPane } from './log-pane.tsx';
import type { DashboardModel } from './model.ts';
import { isOver } from './state.ts';
import { TimelineStrip } from './timeline-strip.tsx';

export interface DashboardProps {
  model: DashboardModel;
  mode: DashboardMode;
  /** q: leave the dashboard (and, for `orch watch`, Ctrl+C too). */
  onLeave: () => void;
  /** Ctrl+C while a run is live: what a SIGINT does. */
  onInterrupt: () => void;
  /** The terminal's size; default the output stream's (tests give one). */
  size?: { columns: number; rows: number };
  sampleMs?: number;
  now?: () => number;
  /** The last frame: drawn from the model as it is, whatever the sampler saw. */
  final?: boolean;
}

/** A bigger table is a costlier frame: past this many attempts, at most 4 frames a second. */
const busyAttempts = 20;
const busyGapMs = 250;

function useSample(model: DashboardModel, sampleMs: number, now: () => number) {
  const [frame, setFrame] = useState(() => ({ version: model.version, second: Math.floor(now() / 1000), at: now() }));
  useEffect(() => {
    const timer = setInterval(() => {
      const time = now();
      const second = Math.floor(time / 1000);
      const gap = model.state.attempts.length > busyAttempts ? Math.max(sampleMs, busyGapMs) : sampleMs;
      setFrame((previous) => {
        if (previous.version === model.version && previous.second === second) return previous;
        if (previous.second === second && time - previous.at < gap) return previous;
        return { version: model.version, second, at: time };
      });
    }, sampleMs);
    return () => clearInterval(timer);
  }, [model, sampleMs, now]);
  return frame;
}

export function Dashboard({ model, mode, onLeave, onInterrupt, size, sampleMs = 100, now = Date.now, final = false }: DashboardProps) {
  useSample(model, sampleMs, now);
  const windowSize = useWindowSize();
  const { isRawModeSupported } = useStdin();
  const { columns, rows } = size ?? windowSize;
  const [selected, setSelected] = useState(0);
  const [logOpen, setLogOpen] = useState(true);
  /** What the pane under the table shows: the selected attempt's log, or the run's timeline (key t). */
  const [pane, setPane] = useState<'log' | 'timeline'>('log');
  const offset = useRef(0);

  const state = model.state;
  const count = state.attempts.length;
  // The last frame shows the winner's row, wherever the table was scrolled.
  const winnerIndex = final && state.winner !== null ? state.attempts.findIndex((a) => a.id === state.winner) : -1;
  const current = winnerIndex >= 0 ? winnerIndex : Math.min(selected, Math.max(0, count - 1));
  const notice = isOver(state) ? null : model.notice;
  const extraLines = resultLines(state) + (notice ? 1 : 0);
  const l = layout({ rows, attempts: count, selected: current, offset: offset.current, logOpen, extraLines });
  offset.current = l.offset;

  useInput(
    (input, key) => {
      if (key.ctrl && input === 'c') return mode === 'watch' ? onLeave() : onInterrupt();
      if (input === 'q') return onLeave();
      const move = (to: number) => setSelected(Math.max(0, Math.min(count - 1, to)));
      // Keys typed faster than a frame arrive together ("jjj").
      if (/^[jk]+$/.test(input)) move(current + [...input].reduce((sum, c) => sum + (c === 'j' ? 1 : -1), 0));
      else if (key.upArrow) move(current - 1);
      else if (key.downArrow) move(current + 1);
      else if (key.pageUp) move(current - l.tableRows);
      else if (key.pageDown) move(current + l.tableRows);
      else if (key.home || input === 'g') move(0);
      else if (key.end || input === 'G') move(count - 1);
      else if (key.return || input === 'l') setLogOpen((open) => !open);
      else if (input === 't') {
        setPane((shown) => (logOpen && shown === 'timeline' ? 'log' : 'timeline'));
        setLogOpen(true);
      }
    },
    { isActive: isRawModeSupported },
  );

  const time = now();
  return (
    <Box flexDirection="column" width={columns}>
      <Header state={state} now={time} lines={l.headerLines} />
      <AttemptTable
        attempts={state.attempts}
        selected={current}
        offset={l.offset}
        rows={l.tableRows}
        columnHeader={l.columnHeader}
        width={columns - 1}
        now={time}
        winner={state.winner}
        landed={state.landed}
      />
      {l.logLines > 0 && pane === 'log' ? <LogPane attempt={state.attempts[current]} lines={l.logLines} /> : null}
      {l.logLines > 0 && pane === 'timeline' ? <TimelineStrip state={state} lines={l.logLines} width={columns - 1} now={time} selectedId={state.attempts[current]?.id} /> : null}
      <Result state={state} />
      <Footer mode={mode} state={state} notice={notice} width={columns} keys={!final} />
    </Box>
  );
}
