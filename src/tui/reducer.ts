// The dashboard's state is a fold over the run's events: the same fold serves a live run and `orch watch`.
import type { OrchEvent } from '../domain/records.ts';
import { isRunOver, runStatuses, type AttemptStatus, type RunStatus } from '../domain/status.ts';
import { shapesTimeline } from '../report/timeline.ts';
import { activityLine, oneLine } from './format.ts';
import { logLimit, type AttemptView, type DashboardState } from './state.ts';

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const time = (event: OrchEvent): number => Date.parse(event.at);

function newAttempt(event: OrchEvent, id: string): AttemptView {
  const d = event.data;
  return {
    id,
    n: num(d['n']) ?? 0,
    agent: str(d['agent']) ?? '?',
    model: str(d['model']),
    taskKey: str(d['taskKey']) ?? '',
    branch: str(d['branch']) ?? '',
    status: 'queued',
    reason: null,
    detail: null,
    turns: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    costLive: false,
    startedAt: null,
    finishedAt: null,
    diff: null,
    lastActivity: null,
    log: [],
    verdict: null,
    worker: null,
  };
}

const withLog = (attempt: AttemptView, line: string): AttemptView => ({
  ...attempt,
  log: attempt.log.length >= logLimit ? [...attempt.log.slice(attempt.log.length - logLimit + 1), line] : [...attempt.log, line],
});

/** The attempt's next view for one of its own events, or undefined when the event changes nothing. */
function attemptStep(attempt: AttemptView, event: OrchEvent): AttemptView | undefined {
  const d = event.data;
  switch (event.type) {
    case 'attempt.started':
      return withLog(
        { ...attempt, status: 'running', startedAt: attempt.startedAt ?? time(event), finishedAt: null },
        d['pid'] === null ? `agent started on worker ${attempt.worker ?? '?'}` : `agent started (pid ${num(d['pid']) ?? '-'})`,
      );
    case 'attempt.worker': {
      const worker = str(d['worker']);
      const again = (num(d['delivery']) ?? 1) > 1 ? ' again (the worker before it stopped)' : '';
      return withLog({ ...attempt, worker, lastActivity: `on worker ${worker ?? '?'}` }, `taken by worker ${worker ?? '?'} on ${str(d['host']) ?? '?'}${again}`);
    }
    case 'attempt.activity': {
      const line = activityLine(d);
      if (line === undefined) return undefined;
      let next: AttemptView = { ...attempt, lastActivity: line };
      if (d['kind'] === 'result') {
        // The CLI's own totals for this session; attempt.usage (the stored row) corrects them when it comes.
        next = { ...next, turns: Math.max(attempt.turns, num(d['turns']) ?? 0), costUsd: Math.max(attempt.costUsd, num(d['costUsd']) ?? 0) };
      }
      return withLog(next, line);
    }
    case 'attempt.usage':
      return {
        ...attempt,
        turns: num(d['turns']) ?? attempt.turns,
        inputTokens: num(d['inputTokens']) ?? attempt.inputTokens,
        outputTokens: num(d['outputTokens']) ?? attempt.outputTokens,
        costUsd: num(d['costUsd']) ?? attempt.costUsd,
        costLive: d['live'] === true,
      };
    case 'attempt.finished': {
      const diff = d['diff'] as AttemptView['diff'] | undefined;
      const status = (str(d['status']) ?? 'failed') as AttemptStatus;
      const detail = str(d['detail']);
      return withLog(
        {
          ...attempt,
          status,
          reason: str(d['reason']),
          detail,
          diff: diff ? { filesChanged: diff.filesChanged, insertions: diff.insertions, deletions: diff.deletions } : attempt.diff,
          costUsd: num(d['costUsd']) ?? attempt.costUsd,
          finishedAt: time(event),
        },
        `attempt ${status} (${str(d['reason']) ?? '-'})${detail ? `: ${oneLine(detail)}` : ''}`,
      );
    }
    case 'attempt.interrupted':
      return withLog({ ...attempt, status: 'interrupted', reason: 'interrupted', detail: str(d['detail']) }, `interrupted: ${str(d['detail']) ?? ''}`);
    case 'verdict.recorded': {
      const review = d['review'] as { score?: unknown } | null | undefined;
      const checks = Array.isArray(d['checks']) ? (d['checks'] as { name: string; passed: boolean }[]) : [];
      const passed = d['passed'] === true;
      const checkText = checks.map((c) => `${c.name} ${c.passed ? 'passed' : 'FAILED'}`).join(', ') || 'no checks';
      return withLog({ ...attempt, verdict: { passed, score: num(review?.score) } }, `verdict: ${checkText} → ${passed ? 'pass' : 'fail'}`);
    }
    case 'merge.recorded':
      return withLog(attempt, `merge ${str(d['status']) ?? ''}: ${oneLine(str(d['message']) ?? '')}`);
    default:
      return undefined;
  }
}

function runStep(state: DashboardState, event: OrchEvent): DashboardState {
  const d = event.data;
  switch (event.type) {
    case 'run.started':
      return {
        ...state,
        runId: event.runId,
        goal: str(d['goal']) ?? state.goal,
        strategy: str(d['strategy']) ?? state.strategy,
        target: str(d['target']) ?? state.target,
        status: 'running',
        activeSince: time(event),
        finishedAt: null,
      };
    case 'run.resumed':
      return { ...state, status: 'running', reason: null, activeSince: time(event), finishedAt: null };
    case 'selection.made':
      // A plan run selects once per task: no one of them is the run's winner.
      if (state.strategy === 'plan') return state;
      return { ...state, winner: str(d['winner']), selectionReason: str(d['reason']) };
    case 'merge.recorded': {
      const landed = d['status'] === 'merged' && event.attemptId !== null && !state.landed.includes(event.attemptId) ? [...state.landed, event.attemptId] : state.landed;
      return { ...state, landed, merge: { status: str(d['status']) ?? '?', message: str(d['message']) ?? '', attemptId: event.attemptId } };
    }
    case 'agent_call.recorded':
      return { ...state, callsCostUsd: state.callsCostUsd + (num(d['costUsd']) ?? 0) };
    case 'run.note':
      return { ...state, note: str(d['message']) };
    case 'comparison.recorded':
      return { ...state, note: `compared ${str(d['aAttemptId']) ?? '?'} with ${str(d['bAttemptId']) ?? '?'}: ${str(d['winnerAttemptId']) ?? '?'} wins` };
    default: {
      const status = event.type.startsWith('run.') ? event.type.slice(4) : '';
      if (!(runStatuses as readonly string[]).includes(status)) return state;
      const runStatus = status as RunStatus;
      return { ...state, status: runStatus, reason: str(d['reason']), finishedAt: isRunOver(runStatus) ? time(event) : null };
    }
  }
}

/** The dashboard after one event. Pure: the same events always give the same state. */
export function reduce(state: DashboardState, event: OrchEvent): DashboardState {
  if (state.runId !== null && event.runId !== null && event.runId !== state.runId) return state;
  let next: DashboardState = event.seq > state.lastSeq ? { ...state, lastSeq: event.seq } : state;
  if (next.runId === null && event.runId !== null) next = { ...next, runId: event.runId };
  // Events come in order: one seen already (a replay overlapping the live feed) is not kept twice.
  if (shapesTimeline(event.type) && event.seq > (next.timelineEvents.at(-1)?.seq ?? 0)) next = { ...next, timelineEvents: [...next.timelineEvents, event] };

  if (event.type === 'attempt.created' && event.attemptId !== null) {
    if (next.attempts.some((a) => a.id === event.attemptId)) return next;
    return { ...next, attempts: [...next.attempts, newAttempt(event, event.attemptId)] };
  }
  if (event.attemptId !== null) {
    const index = next.attempts.findIndex((a) => a.id === event.attemptId);
    const current = next.attempts[index];
    const updated = current === undefined ? undefined : attemptStep(current, event);
    if (updated !== undefined) next = { ...next, attempts: next.attempts.with(index, updated) };
  }
  return runStep(next, event);
}

export const reduceAll = (state: DashboardState, events: readonly OrchEvent[]): DashboardState => events.reduce(reduce, state);
