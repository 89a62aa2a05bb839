// The attempt table's columns: which ones fit the terminal's width, and each attempt's cells.
import { cost, diffStat, duration, oneLine, tokens } from './format.ts';
import type { AttemptView } from './state.ts';

export type ColumnKey = 'n' | 'task' | 'agent' | 'status' | 'verdict' | 'activity' | 'turns' | 'tokens' | 'cost' | 'time' | 'diff';

export interface Column {
  key: ColumnKey;
  title: string;
  width: number;
  align: 'left' | 'right';
}

const all: readonly Column[] = [
  { key: 'n', title: '#', width: 3, align: 'right' },
  // Only in a run with several tasks (plan): attempts are numbered per task, so the number needs its task.
  { key: 'task', title: 'task', width: 0, align: 'left' },
  { key: 'agent', title: 'agent', width: 14, align: 'left' },
  { key: 'status', title: 'status', width: 13, align: 'left' },
  { key: 'verdict', title: 'judged', width: 9, align: 'left' },
  { key: 'activity', title: 'last activity', width: 0, align: 'left' },
  { key: 'turns', title: 'turns', width: 5, align: 'right' },
  { key: 'tokens', title: 'tokens', width: 6, align: 'right' },
  { key: 'cost', title: 'cost', width: 8, align: 'right' },
  { key: 'time', title: 'time', width: 6, align: 'right' },
  { key: 'diff', title: 'diff', width: 12, align: 'left' },
];

/** Dropped when the terminal is narrow, least needed first, until activity has `minActivity` characters. The
 * cost says more than the tokens and turns behind it; status and pass/fail (what a person watches for) are
 * never dropped, the activity narrows instead (to `leastActivity`). */
const dropOrder: readonly ColumnKey[] = ['tokens', 'turns', 'time', 'diff', 'cost'];
const minActivity = 16;
const leastActivity = 8;
const maxTaskWidth = 14;
/** The selection marker and one space between cells. */
const rowOverhead = (columns: readonly Column[]) => 2 + columns.length - 1;

/** `taskWidth`: the widest task key in a run with several tasks, else 0 (no task column). */
export function columnsFor(width: number, taskWidth = 0): Column[] {
  let columns = all.flatMap((c) => (c.key !== 'task' ? [c] : taskWidth > 0 ? [{ ...c, width: Math.min(maxTaskWidth, Math.max(4, taskWidth)) }] : []));
  const fixedWidth = () => columns.reduce((sum, c) => sum + c.width, 0) + rowOverhead(columns);
  for (const key of dropOrder) {
    if (width - fixedWidth() >= minActivity) break;
    columns = columns.filter((c) => c.key !== key);
  }
  const activity = Math.max(leastActivity, width - fixedWidth());
  return columns.map((c) => (c.key === 'activity' ? { ...c, width: activity } : c));
}

export const statusIcon: Record<AttemptView['status'], string> = {
  queued: '·',
  running: '●',
  succeeded: '✔',
  failed: '✘',
  interrupted: '‖',
  canceled: '⊘',
};

export const statusColor: Record<AttemptView['status'], string> = {
  queued: 'gray',
  running: 'cyan',
  succeeded: 'green',
  failed: 'red',
  interrupted: 'yellow',
  canceled: 'gray',
};

export function cells(attempt: AttemptView, now: number, winner: string | null): Record<ColumnKey, string> {
  const end = attempt.finishedAt ?? (attempt.status === 'running' ? now : null);
  const verdict = attempt.verdict ? `${attempt.verdict.passed ? 'pass' : 'fail'}${attempt.verdict.score !== null ? ` ${attempt.verdict.score}` : ''} ` : '';
  const failed = attempt.status !== 'succeeded' && attempt.status !== 'running' && attempt.status !== 'queued';
  const activity = attempt.status === 'queued' ? 'waiting for a slot' : failed && attempt.detail ? oneLine(attempt.detail) : (attempt.lastActivity ?? '');
  return {
    n: String(attempt.n),
    task: attempt.taskKey,
    agent: `${attempt.model ? `${attempt.agent}:${attempt.model}` : attempt.agent}${attempt.worker ? `@${attempt.worker}` : ''}`,
    status: `${statusIcon[attempt.status]} ${attempt.status}`,
    verdict: `${verdict}${attempt.id === winner ? '★' : ''}`,
    activity,
    turns: attempt.turns > 0 ? String(attempt.turns) : '',
    tokens: attempt.inputTokens + attempt.outputTokens > 0 ? tokens(attempt.inputTokens + attempt.outputTokens) : '',
    // ≈: priced by orch from the turns so far; the agent's own figure replaces it when it comes.
    cost: attempt.costUsd > 0 ? `${attempt.costLive ? '≈' : ''}${cost(attempt.costUsd)}` : '',
    time: attempt.startedAt !== null && end !== null ? duration(end - attempt.startedAt) : '',
    diff: diffStat(attempt.diff),
  };
}
