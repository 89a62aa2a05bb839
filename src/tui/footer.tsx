// The last lines: the run's result once it is over, a notice from orch, and what the keys do.
/** @jsxRuntime automatic */
import { Text } from 'ink';
import { oneLine } from './format.ts';
import { isOver, isPlanRun, type DashboardState } from './state.ts';

export type DashboardMode = 'run' | 'watch';

const keyHelp: Record<DashboardMode, readonly [long: string, short: string]> = {
  run: [
    '↑↓/jk · Enter/l log · t timeline · q: leave dashboard, run goes on as plain lines · Ctrl+C: stop agents (twice: force)',
    '↑↓/jk · ⏎/l log · t time · q: plain lines, run goes on · ^C: stop agents (2×: force)',
  ],
  watch: ['↑↓/jk select · Enter/l log · t timeline · q or Ctrl+C: stop watching (the run goes on)', '↑↓/jk · ⏎/l log · t time · q/^C: stop watching, run goes on'],
};

/** Lines the result block takes: the layout reserves them. */
export const resultLines = (state: DashboardState): number => (!isOver(state) ? 0 : isPlanRun(state) ? 2 : 1 + (state.winner ? 1 : 0) + (state.merge ? 1 : 0));

/** A plan run's result: how many of its tasks landed (its rows carry a ★ each), not the last task's merge. */
function tasksLine(state: DashboardState): string {
  const tasks = new Set(state.attempts.map((a) => a.taskKey));
  const landed = new Set(state.attempts.filter((a) => state.landed.includes(a.id)).map((a) => a.taskKey));
  return `tasks merged: ${landed.size} of ${tasks.size}${landed.size < tasks.size ? ` (not: ${[...tasks].filter((t) => !landed.has(t)).join(', ')})` : ''}`;
}

export function Result({ state }: { state: DashboardState }) {
  if (!isOver(state)) return null;
  const ok = state.status === 'succeeded';
  const winner = state.attempts.find((a) => a.id === state.winner);
  return (
    <>
      <Text wrap="truncate-end" color={ok ? 'green' : state.status === 'interrupted' ? 'yellow' : 'red'} bold>
        {`${ok ? '✔' : '✘'} run ${state.status ?? ''}${state.reason && state.reason !== state.status ? `: ${oneLine(state.reason)}` : ''}`}
      </Text>
      {isPlanRun(state) ? <Text wrap="truncate-end">{tasksLine(state)}</Text> : null}
      {!isPlanRun(state) && state.winner ? (
        <Text wrap="truncate-end">{`winner: ${winner ? `#${winner.n} ${winner.agent} ` : ''}${state.winner}${winner?.branch ? ` on ${winner.branch}` : ''}`}</Text>
      ) : null}
      {!isPlanRun(state) && state.merge ? (
        <Text wrap="truncate-end" color={state.merge.status === 'merged' ? 'green' : 'yellow'}>{`merge ${state.merge.status}: ${oneLine(state.merge.message)}`}</Text>
      ) : null}
    </>
  );
}

export function Footer({ mode, state, notice, width, keys }: { mode: DashboardMode; state: DashboardState; notice: string | null; width: number; keys: boolean }) {
  if (isOver(state)) return <Text dimColor wrap="truncate-end">{`details: orch show ${state.runId ?? ''}`}</Text>;
  const [long, short] = keyHelp[mode];
  return (
    <>
      {notice ? (
        <Text color="yellow" wrap="truncate-end">
          {notice}
        </Text>
      ) : null}
      {keys ? (
        <Text dimColor wrap="truncate-end">
          {[...long].length < width ? long : short}
        </Text>
      ) : null}
    </>
  );
}
