// The run in one or two lines: id, status, strategy and target, elapsed time, cost against the budget.
/** @jsxRuntime automatic */
import { Text } from 'ink';
import { cost, duration, oneLine } from './format.ts';
import { runCostUsd, type DashboardState } from './state.ts';

const runColor: Record<string, string> = {
  running: 'cyan',
  succeeded: 'green',
  failed: 'red',
  interrupted: 'yellow',
  canceled: 'gray',
  paused: 'yellow',
  queued: 'gray',
};

function budgetColor(spent: number, budget: number): string | undefined {
  if (spent >= budget) return 'red';
  return spent >= budget * 0.8 ? 'yellow' : undefined;
}

export function Header({ state, now, lines }: { state: DashboardState; now: number; lines: 1 | 2 }) {
  const spent = runCostUsd(state);
  const elapsed = state.activeSince === null ? '' : duration((state.finishedAt ?? now) - state.activeSince);
  const status = state.status ?? 'starting';
  return (
    <>
      <Text wrap="truncate-end">
        <Text bold>orch</Text> {state.runId ?? 'starting…'} <Text color={runColor[status]}>{status}</Text>
        {state.strategy ? `  ${state.strategy} → ${state.target}` : ''}
        {elapsed ? `  ${elapsed}` : ''}
        {'  '}
        <Text color={state.budgetUsd === null ? undefined : budgetColor(spent, state.budgetUsd)}>
          {cost(spent)}
          {state.budgetUsd === null ? '' : ` of ${cost(state.budgetUsd)} budget`}
        </Text>
      </Text>
      {lines === 2 ? (
        <Text wrap="truncate-end" dimColor>
          goal: {oneLine(state.goal.split('\n')[0] ?? '')}
        </Text>
      ) : null}
    </>
  );
}
