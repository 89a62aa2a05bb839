import { describe, expect, it } from 'vitest';
import type { OrchEvent } from '../domain/records.ts';
import { computeTimeline, eventsOfTasks } from './timeline.ts';
import { timelineSvg } from './timeline-svg.ts';
import { timelineAnalyticsMarkdown, timelineSummaryMarkdown, timelineText } from './timeline-text.ts';

const t0 = Date.parse('2026-01-01T00:00:00.000Z');
let seq = 0;
const ev = (sec: number, type: string, attemptId: string | null = null, data: Record<string, unknown> = {}): OrchEvent => ({ seq: ++seq, runId: 'run_1', attemptId, type, data, at: new Date(t0 + sec * 1000).toISOString() });

describe('computeTimeline', () => {
  it('cuts each attempt into the phases its events mark, and sums them', () => {
    const events = [
      ev(0, 'run.started'),
      ev(0, 'attempt.created', 'a1', { n: 1, agent: 'command', taskKey: 'main' }),
      ev(0, 'attempt.created', 'a2', { n: 2, agent: 'command', taskKey: 'main' }),
      ev(0, 'attempt.slot', 'a1'),
      ev(1, 'attempt.started', 'a1'),
      ev(3, 'attempt.slot', 'a2'), // queued 3 s behind a1 for the single agent slot
      ev(3, 'attempt.credential_wait', 'a2', { forMs: 2000 }),
      ev(3, 'attempt.usage', 'a1', { costUsd: 0.5 }),
      ev(3, 'attempt.finished', 'a1', { status: 'succeeded', costUsd: 0.5 }),
      ev(3, 'checks.started', 'a1'),
      ev(5, 'attempt.started', 'a2'),
      ev(9, 'verdict.recorded', 'a1', { checks: [{ name: 'test', durationMs: 6000 }] }),
      ev(6, 'attempt.retry', 'a2', { delayMs: 1000 }),
      ev(7, 'attempt.started', 'a2'),
      ev(8, 'attempt.finished', 'a2', { status: 'succeeded', costUsd: 0.25 }),
      ev(8, 'checks.started', 'a2'),
      ev(9, 'verdict.recorded', 'a2', { checks: [{ name: 'test', durationMs: 500 }] }),
      ev(9, 'merge.queued', 'a1', { target: 'main' }),
      ev(9, 'merge.started', 'a1', { target: 'main' }),
      ev(12, 'merge.recorded', 'a1', { status: 'merged', checks: [{ name: 'test', durationMs: 2000 }] }),
    ];
    const timeline = computeTimeline({ runId: 'run_1', events, agentLimit: 1 });
    const a1 = timeline.lanes.find((l) => l.id === 'a1')!;
    const a2 = timeline.lanes.find((l) => l.id === 'a2')!;
    expect(a1.phases.map((p) => [p.phase, p.startMs, p.endMs])).toEqual([
      ['preparing', 0, 1000],
      ['agent', 1000, 3000],
      ['checks', 3000, 9000],
      ['merging', 9000, 10_000],
      ['merge_checks', 10_000, 12_000],
    ]);
    expect(a2.phases.map((p) => [p.phase, p.startMs, p.endMs])).toEqual([
      ['queued', 0, 3000],
      ['credential_wait', 3000, 5000],
      ['agent', 5000, 6000],
      ['backoff', 6000, 7000],
      ['agent', 7000, 8000],
      ['checks', 8000, 9000],
    ]);
    const a = timeline.analytics;
    expect(a.wallMs).toBe(12_000);
    expect(a.busyAgentMs).toBe(4000);
    expect(a.parallelEfficiency).toBeCloseTo(4000 / 12_000);
    expect(a.phaseMs.credential_wait).toBe(2000);
    expect(a.phaseMs.queued).toBe(3000);
    expect(a.slowestCheck).toEqual({ name: 'test', durationMs: 6000, attemptId: 'a1', onMergedTree: false });
    expect(a.mostExpensiveAttempt).toMatchObject({ attemptId: 'a1', costUsd: 0.5 });
    expect(a.costUsd).toBeCloseTo(0.75);
    expect(a.criticalPath).toBeNull();
    expect(timelineText(timeline)).toContain('parallel efficiency 33% of 1 agent slots');
    const svg = timelineSvg(timeline);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('class="credential_wait"');
  });

  it("follows a plan's dependencies back from the task that ended last: its critical path", () => {
    const events = [
      ev(0, 'run.started'),
      ev(0, 'task.planned', null, { key: 'schema', dependsOn: [] }),
      ev(0, 'task.planned', null, { key: 'docs', dependsOn: [] }),
      ev(0, 'task.planned', null, { key: 'api', dependsOn: ['schema', 'docs'] }),
      ev(0, 'attempt.created', 's1', { n: 1, taskKey: 'schema' }),
      ev(0, 'attempt.created', 'd1', { n: 1, taskKey: 'docs' }),
      ev(0, 'attempt.started', 'd1'),
      ev(1, 'attempt.started', 's1'),
      ev(2, 'attempt.finished', 'd1', { status: 'succeeded' }),
      ev(5, 'attempt.finished', 's1', { status: 'succeeded' }),
      ev(5, 'attempt.created', 'p1', { n: 1, taskKey: 'api' }),
      ev(5, 'attempt.started', 'p1'),
      ev(9, 'attempt.finished', 'p1', { status: 'succeeded' }),
    ];
    const timeline = computeTimeline({ runId: 'run_1', events, agentLimit: 2 });
    expect(timeline.analytics.criticalPath).toEqual({ tasks: ['schema', 'api'], ms: 9000 });
    expect(timeline.lanes.find((l) => l.id === 'task:api')).toMatchObject({ kind: 'task', dependsOn: ['schema', 'docs'], startMs: 5000, endMs: 9000 });
    expect(timelineText(timeline)).toContain('critical path      schema -> api (9.0s)');
  });
});

describe('timelineSummaryMarkdown', () => {
  it('says where the time went in the result', () => {
    const timeline = computeTimeline({ runId: 'run_x', agentLimit: 2, events: [ev(0, 'attempt.created', 'a', { n: 1 }), ev(0, 'attempt.started', 'a'), ev(4, 'attempt.finished', 'a', { status: 'succeeded', costUsd: 0.1 })] });
    const text = timelineSummaryMarkdown(timeline);
    expect(text).toContain('wall time 4.0s, busy agent time 4.0s, parallel efficiency 50% of 2 agent slots');
    expect(text).toContain('most expensive attempt: a $0.1000');
  });
});

describe('a run still going', () => {
  it('draws the phase still open (an agent at work) up to now', () => {
    const events = [ev(0, 'attempt.created', 'a', { n: 1 }), ev(1, 'attempt.slot', 'a'), ev(2, 'attempt.started', 'a')];
    const timeline = computeTimeline({ runId: 'run_1', events, agentLimit: 1, now: new Date(Date.parse(events[0]!.at) + 5000) });
    expect(timeline.lanes[0]?.phases.map((p) => [p.phase, p.startMs, p.endMs])).toEqual([
      ['queued', 0, 1000],
      ['preparing', 1000, 2000],
      ['agent', 2000, 5000],
    ]);
    expect(timeline.analytics.wallMs).toBe(5000);
    // Once it ended, a phase without its closing event is not guessed at.
    expect(computeTimeline({ runId: 'run_1', events, agentLimit: 1 }).lanes[0]?.phases.map((p) => p.phase)).toEqual(['queued', 'preparing']);
  });
});

describe('the resources orch sampled', () => {
  it("gives each attempt's peak and mean memory and CPU, the run's, and the most all agents held at once", () => {
    const MiB = 1048576;
    const events = [
      ev(0, 'attempt.created', 'a', { n: 1 }),
      ev(0, 'attempt.created', 'b', { n: 2 }),
      ev(0, 'attempt.started', 'a'),
      ev(0, 'attempt.started', 'b'),
      ev(1, 'attempt.resources', 'a', { rssBytes: 100 * MiB, cpuPercent: 50, processes: 2 }),
      ev(1, 'attempt.resources', 'b', { rssBytes: 300 * MiB, cpuPercent: 10, processes: 3 }),
      ev(3, 'attempt.resources', 'a', { rssBytes: 200 * MiB, cpuPercent: 90, processes: 2 }),
      ev(4, 'attempt.finished', 'b', { status: 'succeeded' }),
      ev(5, 'attempt.resources', 'a', { rssBytes: 150 * MiB, cpuPercent: 10, processes: 2 }),
      ev(6, 'attempt.finished', 'a', { status: 'succeeded' }),
    ];
    const timeline = computeTimeline({ runId: 'run_1', events, agentLimit: 2 });
    expect(timeline.lanes.find((l) => l.id === 'a')?.resources).toEqual({ samples: 3, peakRssBytes: 200 * MiB, meanRssBytes: 150 * MiB, peakCpuPercent: 90, meanCpuPercent: 50 });
    expect(timeline.analytics.resources).toMatchObject({ samples: 4, peakRssBytes: 300 * MiB, peakCpuPercent: 90 });
    // a's 200 with b's 300 still running: 500; once b finished it counts no more.
    expect(timeline.analytics.peakTotalRssBytes).toBe(500 * MiB);
    expect(timelineText(timeline)).toContain('agent resources    memory peak 300 MiB (mean 188 MiB), CPU peak 90% (mean 40%) of a core, 4 samples; all agents at once: 500 MiB at most');
    expect(timelineText(timeline)).toContain('#1: memory peak 200 MiB');
    expect(timelineSummaryMarkdown(timeline)).toContain('- agent resources: memory peak 300 MiB');
    // Nothing sampled: said so, not zeros.
    const bare = computeTimeline({ runId: 'run_1', events: events.filter((e) => e.type !== 'attempt.resources'), agentLimit: 2 });
    expect(bare.analytics.resources).toBeNull();
    expect(timelineText(bare)).toContain('agent resources    not sampled');
  });
});

describe('one level of a hierarchical plan', () => {
  it("has the analytics of its own tasks: a team task's subtasks are its time, other levels' tasks are not", () => {
    const events = [
      ev(0, 'task.planned', null, { key: 'a', dependsOn: [] }),
      ev(0, 'task.planned', null, { key: 'team', dependsOn: ['a'] }),
      ev(0, 'attempt.created', 'a1', { n: 1, taskKey: 'a' }),
      ev(0, 'attempt.started', 'a1'),
      ev(2, 'attempt.finished', 'a1', { status: 'succeeded', costUsd: 0.1 }),
      ev(3, 'task.planned', null, { key: 'team/x', dependsOn: [] }),
      ev(3, 'attempt.created', 'x1', { n: 1, taskKey: 'team/x' }),
      ev(3, 'attempt.started', 'x1'),
      ev(7, 'attempt.finished', 'x1', { status: 'succeeded', costUsd: 0.3 }),
      ev(8, 'merge.recorded', null, { taskKey: 'team', status: 'merged' }),
      ev(9, 'task.planned', null, { key: 'other', dependsOn: [] }),
      ev(9, 'attempt.created', 'o1', { n: 1, taskKey: 'other' }),
      ev(9, 'attempt.started', 'o1'),
      ev(20, 'attempt.finished', 'o1', { status: 'succeeded', costUsd: 5 }),
    ];
    const level = computeTimeline({ runId: 'run_1', events: eventsOfTasks(events, ['a', 'team']), agentLimit: 1 });
    expect(level.lanes.filter((l) => l.kind === 'task').map((l) => l.taskKey)).toEqual(['a', 'team']);
    expect(level.lanes.filter((l) => l.kind === 'attempt').map((l) => l.id)).toEqual(['a1', 'x1']);
    expect(level.lanes.find((l) => l.id === 'task:team')).toMatchObject({ startMs: 3000, endMs: 8000 });
    expect(level.analytics.wallMs).toBe(8000);
    expect(level.analytics.criticalPath).toEqual({ tasks: ['a', 'team'], ms: 8000 });
    expect(level.analytics.costUsd).toBeCloseTo(0.4);
    expect(timelineAnalyticsMarkdown(level)).toContain('critical path: a -> team (8.0s)');
    // The sub-level alone.
    const sub = computeTimeline({ runId: 'run_1', events: eventsOfTasks(events, ['team/x']), agentLimit: 1 });
    expect(sub.lanes.map((l) => l.id)).toEqual(['task:team/x', 'x1']);
    expect(sub.analytics.wallMs).toBe(4000);
  });
});
