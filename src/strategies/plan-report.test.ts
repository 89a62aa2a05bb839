import { describe, expect, it } from 'vitest';
import type { OrchEvent } from '../domain/records.ts';
import { emptyTimeline } from '../domain/timeline.ts';
import { computeTimeline } from '../report/timeline.ts';
import { levelMarkdown, type LevelReport } from './plan-report.ts';

const t0 = Date.parse('2026-01-01T00:00:00.000Z');
let seq = 0;
const ev = (sec: number, type: string, attemptId: string | null, data: Record<string, unknown>): OrchEvent => ({ seq: ++seq, runId: 'run_1', attemptId, type, data, at: new Date(t0 + sec * 1000).toISOString() });

const report = (timeline: LevelReport['timeline']): LevelReport => ({
  depth: 2,
  parent: 'T',
  target: 'orch/run_1/team/T',
  plan: { found: '', proposal: 'two parts', deferred: [], risks: [], tasks: [] },
  tasks: [],
  results: new Map(),
  timeline,
  path: '',
});

describe('a level report', () => {
  it("ends with the level's own Time: its wall time, critical path and agents", () => {
    const timeline = computeTimeline({
      runId: 'run_1',
      agentLimit: 2,
      events: [
        ev(0, 'task.planned', null, { key: 'T/T1', dependsOn: [] }),
        ev(0, 'task.planned', null, { key: 'T/T2', dependsOn: ['T/T1'] }),
        ev(0, 'attempt.created', 'a', { n: 1, taskKey: 'T/T1' }),
        ev(0, 'attempt.started', 'a', {}),
        ev(3, 'attempt.finished', 'a', { status: 'succeeded' }),
        ev(3, 'attempt.created', 'b', { n: 1, taskKey: 'T/T2' }),
        ev(3, 'attempt.started', 'b', {}),
        ev(5, 'attempt.finished', 'b', { status: 'succeeded' }),
      ],
    });
    const text = levelMarkdown(report(timeline));
    expect(text).toContain('## Time');
    expect(text).toContain('- wall time 5.0s, busy agent time 5.0s, parallel efficiency 50% of 2 agent slots');
    expect(text).toContain('- critical path: T/T1 -> T/T2 (5.0s)');
    // A level with nothing recorded (a fake context) has no Time section rather than an empty one.
    expect(levelMarkdown(report(emptyTimeline('run_1')))).not.toContain('## Time');
  });
});
