// A run's timeline from its event log (src/domain/timeline.ts): each attempt's events mark where its phases
// begin and end, so a phase is exactly the time between two recorded events.
import type { OrchEvent } from '../domain/records.ts';
import { timelinePhases, type RunTimeline, type TimelineAnalytics, type TimelineLane, type TimelinePhase, type TimelinePhaseName, type TimelineResources } from '../domain/timeline.ts';

/** The phase an attempt enters at each event type; null ends the current phase without starting one. */
const phaseAt: Record<string, TimelinePhaseName | null> = {
  'attempt.created': 'queued',
  'attempt.slot': 'preparing',
  'attempt.credential_wait': 'credential_wait',
  'attempt.started': 'agent',
  'attempt.retry': 'backoff',
  'attempt.finished': 'waiting',
  'attempt.interrupted': 'waiting',
  'checks.started': 'checks',
  'review.started': 'review',
  'verdict.recorded': 'waiting',
  'merge.queued': 'merge_queue',
  'merge.started': 'merging',
  'merge.recorded': null,
};

/** Whether an event of this type shapes a timeline's lanes (a live view keeps these, and only these, to draw it). */
export const shapesTimeline = (type: string): boolean => type in phaseAt || type === 'task.planned' || type === 'run.started';

interface CheckData {
  name: string;
  durationMs: number;
}

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);
const checksOf = (event: OrchEvent): CheckData[] =>
  Array.isArray(event.data.checks) ? (event.data.checks as unknown[]).filter((c): c is CheckData => typeof c === 'object' && c !== null && typeof (c as CheckData).name === 'string').map((c) => ({ name: c.name, durationMs: num(c.durationMs) })) : [];

class LaneBuilder {
  readonly phases: TimelinePhase[] = [];
  private current: { phase: TimelinePhaseName; startMs: number } | null = null;
  costUsd = 0;
  startMs = Number.POSITIVE_INFINITY;
  endMs = 0;

  at(ms: number, next: TimelinePhaseName | null, mergeChecksMs = 0): void {
    this.startMs = Math.min(this.startMs, ms);
    this.endMs = Math.max(this.endMs, ms);
    const open = this.current;
    if (open !== null && ms >= open.startMs) {
      if (open.phase === 'merging' && mergeChecksMs > 0) {
        // The merged tree's checks are the end of the merge: their recorded durations, within the merge's time.
        const split = Math.max(open.startMs, ms - mergeChecksMs);
        this.push('merging', open.startMs, split);
        this.push('merge_checks', split, ms);
      } else {
        this.push(open.phase, open.startMs, ms);
      }
    }
    this.current = next === null ? null : { phase: next, startMs: ms };
  }

  /** A lane's last phase ends with its last event (or, while the run goes on, at `openUntilMs`): a trailing wait is not part of it. */
  close(openUntilMs?: number): void {
    if (openUntilMs !== undefined && this.current !== null && openUntilMs > this.current.startMs) {
      this.push(this.current.phase, this.current.startMs, openUntilMs);
      this.endMs = Math.max(this.endMs, openUntilMs);
    }
    this.current = null;
    while (this.phases.at(-1)?.phase === 'waiting') this.phases.pop();
  }

  private push(phase: TimelinePhaseName, startMs: number, endMs: number): void {
    if (endMs <= startMs) return;
    const last = this.phases.at(-1);
    if (last !== undefined && last.phase === phase && last.endMs === startMs) {
      last.endMs = endMs;
      last.costUsd = this.costUsd;
      return;
    }
    this.phases.push({ phase, startMs, endMs, costUsd: this.costUsd });
  }
}

export interface TimelineInput {
  runId: string;
  /** Every event of the run, in order. */
  events: readonly OrchEvent[];
  agentLimit: number | null;
  /** While the run goes on: now. Phases still open (an agent at work) are drawn up to it, and wall time runs to it. */
  now?: Date;
}

/**
 * The events of some tasks of a plan (one level's), their subtasks' (`key/...`) included: the attempts working on
 * them and the tasks' own merges. Computed on these alone, the timeline's clock starts at the level's first event.
 */
export function eventsOfTasks(events: readonly OrchEvent[], taskKeys: readonly string[]): OrchEvent[] {
  const keys = new Set(taskKeys);
  const within = (key: string): boolean => keys.has(key) || taskKeys.some((k) => key.startsWith(`${k}/`));
  const attemptTask = new Map<string, string>();
  return events.filter((event) => {
    const key = typeof event.data.taskKey === 'string' ? event.data.taskKey : null;
    if (event.type === 'task.planned') return typeof event.data.key === 'string' && keys.has(event.data.key);
    if (event.type === 'attempt.created' && event.attemptId !== null && key !== null) attemptTask.set(event.attemptId, key);
    const owner = event.attemptId !== null ? attemptTask.get(event.attemptId) : key;
    return owner !== undefined && owner !== null && within(owner);
  });
}

export function computeTimeline({ runId, events, agentLimit, now }: TimelineInput): RunTimeline {
  const ordered = [...events].sort((a, b) => a.seq - b.seq);
  const t0 = ordered.length > 0 ? Date.parse(ordered[0]!.at) : 0;
  const ms = (event: OrchEvent): number => Date.parse(event.at) - t0;
  const lanes = new Map<string, { builder: LaneBuilder; taskKey: string; n: number; agent: string | null; status: string | null }>();
  const taskDeps = new Map<string, string[]>();
  const taskSpans = new Map<string, { startMs: number; endMs: number; costUsd: number }>();
  let slowestCheck: TimelineAnalytics['slowestCheck'] = null;
  const samples = new Map<string, { rssBytes: number; cpuPercent: number }[]>();
  // Each running attempt's latest memory: their sum at each sample is what the run held at that moment.
  const latestRss = new Map<string, number>();
  let peakTotalRssBytes: number | null = null;
  const agentCallCost = new Map<string, number>();

  // A subtask's time (key `parent/sub`) is its parent's too: a team task lasts as long as its sub-plan.
  const touchTask = (key: string, at: number) => {
    for (let end = key.length; end > 0; end = key.lastIndexOf('/', end - 1)) {
      const part = key.slice(0, end);
      const span = taskSpans.get(part) ?? { startMs: at, endMs: at, costUsd: 0 };
      span.startMs = Math.min(span.startMs, at);
      span.endMs = Math.max(span.endMs, at);
      taskSpans.set(part, span);
    }
  };
  const noteChecks = (event: OrchEvent, onMergedTree: boolean) => {
    for (const check of checksOf(event)) {
      if (slowestCheck === null || check.durationMs > slowestCheck.durationMs) slowestCheck = { name: check.name, durationMs: check.durationMs, attemptId: event.attemptId, onMergedTree };
    }
  };

  for (const event of ordered) {
    const at = ms(event);
    if (event.type === 'task.planned' && typeof event.data.key === 'string') {
      taskDeps.set(event.data.key, Array.isArray(event.data.dependsOn) ? (event.data.dependsOn as unknown[]).filter((d): d is string => typeof d === 'string') : []);
      continue;
    }
    if (event.type === 'verdict.recorded') noteChecks(event, false);
    if (event.type === 'merge.recorded') noteChecks(event, true);
    if (event.type === 'agent_call.recorded' && event.attemptId !== null) agentCallCost.set(event.attemptId, (agentCallCost.get(event.attemptId) ?? 0) + num(event.data.costUsd));
    // A task's own merge (its team branch) belongs to the task, not to an attempt.
    const eventTask = typeof event.data.taskKey === 'string' ? event.data.taskKey : null;
    if (event.attemptId === null) {
      if (eventTask !== null && event.type.startsWith('merge.')) touchTask(eventTask, at);
      continue;
    }
    if (event.type === 'attempt.created') {
      lanes.set(event.attemptId, { builder: new LaneBuilder(), taskKey: eventTask ?? 'main', n: num(event.data.n), agent: typeof event.data.agent === 'string' ? event.data.agent : null, status: 'queued' });
    }
    const lane = lanes.get(event.attemptId);
    if (lane === undefined) continue;
    if (event.type === 'attempt.usage') lane.builder.costUsd = num(event.data.costUsd);
    if (event.type === 'attempt.resources') {
      const sample = { rssBytes: num(event.data.rssBytes), cpuPercent: num(event.data.cpuPercent) };
      samples.set(event.attemptId, [...(samples.get(event.attemptId) ?? []), sample]);
      latestRss.set(event.attemptId, sample.rssBytes);
      const total = [...latestRss.values()].reduce((sum, rss) => sum + rss, 0);
      peakTotalRssBytes = Math.max(peakTotalRssBytes ?? 0, total);
    }
    if (event.type === 'attempt.finished' || event.type === 'attempt.interrupted' || event.type === 'attempt.retry') latestRss.delete(event.attemptId);
    if (event.type === 'attempt.started') lane.status = 'running';
    if (event.type === 'attempt.finished') {
      lane.status = typeof event.data.status === 'string' ? event.data.status : lane.status;
      if (typeof event.data.costUsd === 'number') lane.builder.costUsd = event.data.costUsd;
    }
    if (event.type === 'attempt.interrupted') lane.status = 'interrupted';
    if (event.type in phaseAt) {
      const mergeChecksMs = event.type === 'merge.recorded' ? checksOf(event).reduce((sum, c) => sum + c.durationMs, 0) : 0;
      lane.builder.at(at, phaseAt[event.type] ?? null, mergeChecksMs);
    }
    touchTask(lane.taskKey, at);
  }

  const openUntil = now === undefined || ordered.length === 0 ? undefined : Math.max(now.getTime() - t0, ms(ordered.at(-1)!));
  const attemptLanes: TimelineLane[] = [...lanes.entries()].map(([id, lane]) => {
    lane.builder.close(openUntil);
    const costUsd = lane.builder.costUsd + (agentCallCost.get(id) ?? 0);
    return { id, kind: 'attempt', taskKey: lane.taskKey, n: lane.n, agent: lane.agent, status: lane.status, dependsOn: [], startMs: lane.builder.startMs, endMs: lane.builder.endMs, costUsd, phases: lane.builder.phases, resources: summarize(samples.get(id) ?? []) };
  });
  const taskLanes: TimelineLane[] = [...taskDeps.entries()].map(([key, dependsOn]) => {
    const span = taskSpans.get(key);
    const costUsd = attemptLanes.filter((l) => l.taskKey === key).reduce((sum, l) => sum + l.costUsd, 0);
    const resources = summarize(attemptLanes.filter((l) => l.taskKey === key).flatMap((l) => samples.get(l.id) ?? []));
    return { id: `task:${key}`, kind: 'task', taskKey: key, n: null, agent: null, status: null, dependsOn, startMs: span?.startMs ?? 0, endMs: span?.endMs ?? 0, costUsd, phases: [], resources };
  });

  const wallMs = openUntil ?? (ordered.length > 0 ? ms(ordered.at(-1)!) : 0);
  const phaseMs = Object.fromEntries(timelinePhases.map((p) => [p, 0])) as Record<TimelinePhaseName, number>;
  for (const lane of attemptLanes) for (const phase of lane.phases) phaseMs[phase.phase] += phase.endMs - phase.startMs;
  const busyAgentMs = phaseMs.agent + phaseMs.review;
  const mostExpensive = attemptLanes.reduce<TimelineLane | null>((best, lane) => (best === null || lane.costUsd > best.costUsd ? lane : best), null);
  const analytics: TimelineAnalytics = {
    wallMs,
    busyAgentMs,
    agentLimit,
    parallelEfficiency: agentLimit !== null && wallMs > 0 ? busyAgentMs / (wallMs * agentLimit) : null,
    criticalPath: criticalPath(taskLanes),
    phaseMs,
    slowestCheck,
    mostExpensiveAttempt: mostExpensive === null ? null : { attemptId: mostExpensive.id, taskKey: mostExpensive.taskKey, n: mostExpensive.n ?? 0, costUsd: mostExpensive.costUsd },
    costUsd: attemptLanes.reduce((sum, l) => sum + l.costUsd, 0),
    resources: summarize([...samples.values()].flat()),
    peakTotalRssBytes,
  };
  return {
    runId,
    startedAt: ordered[0]?.at ?? new Date(0).toISOString(),
    endedAt: openUntil !== undefined ? new Date(t0 + openUntil).toISOString() : (ordered.at(-1)?.at ?? new Date(0).toISOString()),
    lanes: [...taskLanes, ...attemptLanes].sort((a, b) => a.startMs - b.startMs || (a.kind === 'task' ? -1 : 1)),
    analytics,
  };
}

function summarize(list: readonly { rssBytes: number; cpuPercent: number }[]): TimelineResources {
  if (list.length === 0) return null;
  const mean = (pick: (s: { rssBytes: number; cpuPercent: number }) => number) => list.reduce((sum, s) => sum + pick(s), 0) / list.length;
  return {
    samples: list.length,
    peakRssBytes: list.reduce((peak, s) => Math.max(peak, s.rssBytes), 0),
    meanRssBytes: Math.round(mean((s) => s.rssBytes)),
    peakCpuPercent: list.reduce((peak, s) => Math.max(peak, s.cpuPercent), 0),
    meanCpuPercent: Math.round(mean((s) => s.cpuPercent) * 10) / 10,
  };
}

/**
 * The chain that decided a plan's end: from the task that finished last, back through the dependency that
 * finished last before it started (the one it waited for), to a task that waited for none.
 */
export function criticalPath(tasks: readonly TimelineLane[]): { tasks: string[]; ms: number } | null {
  if (tasks.length === 0) return null;
  const byKey = new Map(tasks.map((t) => [t.taskKey, t]));
  let current = tasks.reduce((last, t) => (t.endMs > last.endMs ? t : last));
  const chain = [current];
  const seen = new Set([current.taskKey]);
  for (;;) {
    const deps = current.dependsOn.map((d) => byKey.get(d)).filter((t): t is TimelineLane => t !== undefined && !seen.has(t.taskKey));
    if (deps.length === 0) break;
    current = deps.reduce((last, t) => (t.endMs > last.endMs ? t : last));
    seen.add(current.taskKey);
    chain.unshift(current);
  }
  return { tasks: chain.map((t) => t.taskKey), ms: chain.at(-1)!.endMs - chain[0]!.startMs };
}
