import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { OrchEvent } from '../domain/records.ts';
import { waitFor } from '../../test/helpers/wait-for.ts';
import { Dashboard } from './dashboard.tsx';
import { DashboardModel } from './model.ts';

const t0 = Date.now() - 10_000;
let seq = 0;
const ev = (sec: number, type: string, attemptId: string | null = null, data: Record<string, unknown> = {}): OrchEvent => ({ seq: ++seq, runId: 'run_strip', attemptId, type, data, at: new Date(t0 + sec * 1000).toISOString() });

/** Two attempts of a best-of-2 under one agent slot: the second queued behind the first, then waiting on a key. */
function model(): DashboardModel {
  const m = new DashboardModel();
  m.applyAll([
    ev(0, 'run.started', null, { goal: 'g', strategy: 'best-of-n', target: 'main' }),
    ev(0, 'attempt.created', 'att_1', { n: 1, agent: 'claude', taskKey: 'main', branch: 'b1' }),
    ev(0, 'attempt.created', 'att_2', { n: 2, agent: 'claude', taskKey: 'main', branch: 'b2' }),
    ev(0, 'attempt.slot', 'att_1'),
    ev(0, 'attempt.started', 'att_1', { pid: 1 }),
    ev(5, 'attempt.finished', 'att_1', { status: 'succeeded' }),
    ev(5, 'checks.started', 'att_1'),
    ev(5, 'attempt.slot', 'att_2'),
    ev(5, 'attempt.credential_wait', 'att_2', { forMs: 3000 }),
  ]);
  return m;
}

const frames = (app: { lastFrame: () => string | undefined }, what: string, shows: (frame: string) => boolean) =>
  waitFor(() => (shows(app.lastFrame() ?? '') ? (app.lastFrame() ?? '') : undefined), { what: `${what}; the last frame:\n${app.lastFrame() ?? ''}` });

const laneOf = (frame: string, label: string) => frame.split('\n').find((line) => line.startsWith(label)) ?? '';

describe('the timeline strip in the dashboard', () => {
  it('t shows a row per attempt with its phases scaled to the width and a legend; it grows while the run goes on; t again shows the log', async () => {
    const m = model();
    const app = render(createElement(Dashboard, { model: m, mode: 'run', onLeave: vi.fn(), onInterrupt: vi.fn(), size: { columns: 100, rows: 30 }, sampleMs: 10 }));
    try {
      await frames(app, 'the dashboard', (f) => f.includes('t timeline') || f.includes('t time'));
      app.stdin.write('t');
      const first = await frames(app, 'the strip', (f) => f.includes('── timeline'));
      expect(first).toMatch(/\. queued +p prep +R key wait +A agent/);
      const row1 = laneOf(first, '#1 ');
      const row2 = laneOf(first, '#2 ');
      // #1: its agent from the start, then its checks still running; #2: queued for the slot, then waiting on the key.
      expect(row1).toMatch(/^#1 +A+C+$/);
      expect(row2).toMatch(/^#2 +\.+R+$/);
      // Cells scale to the terminal: label (14) + cells fill the 99 columns.
      expect(row1.length).toBe(99);
      // #1's agent had 5 s of the run so far (about 10 s): its share of the 85 cells, whatever the frame's moment.
      const share = (row1.match(/A/g) ?? []).length / 85;
      expect(share).toBeLessThanOrEqual(0.5 + 0.03);
      expect(share).toBeGreaterThanOrEqual(5000 / (Date.now() - t0) - 0.03);

      // Live: the key wait ends, #2's agent begins: its row shows it at once.
      m.apply(ev(8, 'attempt.started', 'att_2', { pid: 2 }));
      await frames(app, "#2's agent in the strip", (f) => /^#2 +\.+R+A+$/.test(laneOf(f, '#2 ')));

      app.stdin.write('t');
      await frames(app, 'the log again', (f) => !f.includes('── timeline') && f.includes('agent started'));
    } finally {
      app.unmount();
    }
  });

  it("a plan run: a row per task as well as per attempt, the task's span drawn with =", async () => {
    const m = new DashboardModel();
    m.applyAll([
      ev(0, 'run.started', null, { goal: 'g', strategy: 'plan', target: 'main' }),
      ev(0, 'task.planned', null, { key: 'schema', dependsOn: [] }),
      ev(0, 'task.planned', null, { key: 'api', dependsOn: ['schema'] }),
      ev(0, 'attempt.created', 'att_s', { n: 1, agent: 'claude', taskKey: 'schema' }),
      ev(0, 'attempt.started', 'att_s'),
      ev(4, 'attempt.finished', 'att_s', { status: 'succeeded' }),
      ev(5, 'attempt.created', 'att_a', { n: 1, agent: 'claude', taskKey: 'api' }),
      ev(5, 'attempt.started', 'att_a'),
      ev(9, 'attempt.finished', 'att_a', { status: 'succeeded' }),
      ev(10, 'run.succeeded'),
    ]);
    const app = render(createElement(Dashboard, { model: m, mode: 'watch', onLeave: vi.fn(), onInterrupt: vi.fn(), size: { columns: 80, rows: 30 }, sampleMs: 10 }));
    try {
      app.stdin.write('t');
      const frame = await frames(app, 'the strip', (f) => f.includes('── timeline'));
      expect(laneOf(frame, 'task schema')).toMatch(/^task schema +=+ *$/);
      expect(laneOf(frame, 'task api')).toMatch(/^task api +=+ *$/);
      expect(laneOf(frame, 'schema #1')).toMatch(/^schema #1 +A+ *$/);
      // api started after schema ended: its row is blank where schema's is drawn.
      expect(laneOf(frame, 'api #1')).toMatch(/^api #1 {10,}A+/);
    } finally {
      app.unmount();
    }
  });
});
