import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OrchEvent } from '../domain/records.ts';
import { Dashboard } from './dashboard.tsx';
import { DashboardModel } from './model.ts';
import { waitFor } from '../../test/helpers/wait-for.ts';

let seq = 0;
const ev = (type: string, data: Record<string, unknown> = {}, attemptId: string | null = null): OrchEvent => ({
  seq: ++seq,
  runId: 'run_0000000000abcd',
  attemptId,
  type,
  data,
  at: new Date(Date.now() - 5000).toISOString(),
});

/** A run with `count` attempts: the first half running with some activity, the rest queued. */
function runWith(count: number): DashboardModel {
  const model = new DashboardModel();
  model.apply(ev('run.started', { goal: 'make the flaky date test pass', strategy: 'best-of-n', target: 'main' }));
  model.setBudget(5);
  for (let n = 1; n <= count; n++) {
    const id = `att_${String(n).padStart(4, '0')}`;
    model.apply(ev('attempt.created', { n, agent: 'claude', model: 'sonnet', branch: `orch/run/main/${n}`, taskKey: 'main' }, id));
    if (n <= count / 2 || count === 1) {
      model.apply(ev('attempt.started', { pid: 1000 + n }, id));
      model.apply(ev('attempt.activity', { kind: 'tool', tool: 'Edit', summary: `src/file-${n}.ts` }, id));
      model.apply(ev('attempt.usage', { turns: n, inputTokens: 1200 * n, outputTokens: 80, costUsd: 0.01 * n }, id));
    }
  }
  return model;
}

const lines = (frame: string | undefined) => (frame ?? '').split('\n');
const selectedLine = (frame: string | undefined) => lines(frame).find((line) => line.startsWith('›'));

/** The first frame that shows what the test waits for: frames come when the sampler or a key redraws. */
function frameWhere(app: { lastFrame: () => string | undefined }, what: string, shows: (frame: string) => boolean): Promise<string> {
  return waitFor(
    () => {
      const frame = app.lastFrame() ?? '';
      return shows(frame) ? frame : undefined;
    },
    { what: `a frame where ${what}; the last frame:\n${app.lastFrame() ?? ''}` },
  );
}
const selectedIs = (n: number) => (frame: string) => new RegExp(`^› +${n} `).test(selectedLine(frame) ?? '');

function show(model: DashboardModel, rows: number, mode: 'run' | 'watch' = 'run') {
  const onLeave = vi.fn();
  const onInterrupt = vi.fn();
  const app = render(createElement(Dashboard, { model, mode, onLeave, onInterrupt, size: { columns: 100, rows }, sampleMs: 10 }));
  return { app, onLeave, onInterrupt };
}

afterEach(() => {
  seq = 0;
});

// Every wait here is on a frame, never on a clock; a frame of ink is slow on a loaded machine, hence the room.
describe('the dashboard', { timeout: 240_000 }, () => {
  it('shows one attempt with its row, its log and the keys', async () => {
    const { app } = show(runWith(1), 20);
    const frame = await frameWhere(app, 'the run shows', (f) => f.includes('run_0000000000abcd'));
    expect(frame).toContain('run_0000000000abcd');
    expect(frame).toContain('best-of-n → main');
    expect(frame).toContain('$0.0100 of $5.00 budget');
    expect(frame).toContain('goal: make the flaky date test pass');
    expect(selectedLine(frame)).toMatch(/^› +1 claude:sonnet +● running .*Edit src\/file-1\.ts/);
    // Turns and cost while the agent still works (tokens are the first column a 100-column terminal drops).
    expect(selectedLine(frame)).toMatch(/Edit src\/file-1\.ts +1 +\$0\.0100 +\d+s/);
    expect(frame).toContain('agent started (pid 1001)');
    expect(frame).toContain('q: plain lines, run goes on');
    expect(frame).toContain('^C: stop agents (2×: force)');
    expect(lines(frame).length).toBeLessThanOrEqual(19);
    app.unmount();
  });

  it('keeps 60 attempts inside a 20-row terminal and the selected row on screen', async () => {
    const { app } = show(runWith(60), 20);
    let frame = await frameWhere(app, 'the table shows', (f) => f.includes('60 attempts'));
    expect(lines(frame).length).toBeLessThanOrEqual(19);
    expect(frame).toContain('60 attempts  ● 30 running  · 30 queued');
    expect(frame).toMatch(/rows 1–\d+ of 60/);
    expect(selectedLine(frame)).toMatch(/^› +1 /);

    app.stdin.write('G');
    frame = await frameWhere(app, 'G selected the last row', selectedIs(60));
    expect(lines(frame).length).toBeLessThanOrEqual(19);
    expect(selectedLine(frame)).toMatch(/^› +60 claude:sonnet +· queued/);
    expect(frame).toMatch(/rows \d+–60 of 60/);

    // Keys typed faster than a frame come in one chunk.
    app.stdin.write('kkk');
    await frameWhere(app, 'kkk moved three rows up', selectedIs(57));

    app.stdin.write('g');
    frame = await frameWhere(app, 'g selected the first row', selectedIs(1));
    for (let row = 2; row <= 21; row++) {
      app.stdin.write('\u001B[B'); // arrow down
      frame = await frameWhere(app, `arrow down selected row ${row}`, selectedIs(row));
    }
    expect(selectedLine(frame)).toMatch(/^› +21 claude:sonnet +● running .*Edit src\/file-21\.ts/);
    expect(frame).toContain('agent started (pid 1021)');
    expect(lines(frame).length).toBeLessThanOrEqual(19);

    // Closing the log pane gives its rows to the table.
    const before = lines(frame).filter((line) => /^[› ] +\d+ claude/.test(line)).length;
    app.stdin.write('l');
    frame = await frameWhere(app, 'l closed the log pane', (f) => !f.includes('agent started (pid 1021)'));
    expect(frame).not.toContain('agent started (pid 1021)');
    expect(lines(frame).filter((line) => /^[› ] +\d+ claude/.test(line)).length).toBeGreaterThan(before);
    expect(lines(frame).length).toBeLessThanOrEqual(19);
    app.unmount();
  });

  it('follows new events at its own pace and ends with the result', async () => {
    const model = runWith(2);
    const { app } = show(model, 30);
    await frameWhere(app, 'the run shows', (f) => f.includes('2 attempts'));
    model.apply(ev('attempt.finished', { status: 'succeeded', reason: 'completed', diff: { filesChanged: 2, insertions: 10, deletions: 3 }, costUsd: 0.02 }, 'att_0001'));
    model.apply(ev('verdict.recorded', { passed: true, checks: [{ name: 'test', passed: true }], review: null }, 'att_0001'));
    model.apply(ev('selection.made', { winner: 'att_0001', reason: 'att_0001 won' }, 'att_0001'));
    model.apply(ev('merge.recorded', { status: 'merged', message: 'Merged into main at 1234567' }, 'att_0001'));
    model.apply(ev('run.succeeded', { reason: 'att_0001 won; merged into main' }));
    const frame = await frameWhere(app, 'the result shows', (f) => f.includes('run succeeded'));
    expect(frame).toContain('✔ run succeeded: att_0001 won; merged into main');
    expect(frame).toContain('winner: #1 claude att_0001 on orch/run/main/1');
    expect(frame).toContain('merge merged: Merged into main at 1234567');
    expect(selectedLine(frame)).toMatch(/✔ succeeded +pass ★ .* 2f \+10 -3/);
    app.unmount();
  });

  it('hands q and Ctrl+C to orch: leave, and interrupt the run (in watch mode both leave)', async () => {
    const run = show(runWith(2), 20);
    await frameWhere(run.app, 'the run shows', (f) => f.includes('2 attempts'));
    run.app.stdin.write('\u0003');
    await waitFor(() => run.onInterrupt.mock.calls.length > 0, { what: 'Ctrl+C to interrupt' });
    expect(run.onInterrupt).toHaveBeenCalledOnce();
    expect(run.onLeave).not.toHaveBeenCalled();
    run.app.stdin.write('q');
    await waitFor(() => run.onLeave.mock.calls.length > 0, { what: 'q to leave' });
    expect(run.onLeave).toHaveBeenCalledOnce();
    run.app.unmount();

    const watch = show(runWith(2), 20, 'watch');
    expect(await frameWhere(watch.app, 'the run shows', (f) => f.includes('2 attempts'))).toContain('q or Ctrl+C: stop watching (the run goes on)');
    watch.app.stdin.write('\u0003');
    await waitFor(() => watch.onLeave.mock.calls.length > 0, { what: 'Ctrl+C to leave' });
    expect(watch.onLeave).toHaveBeenCalledOnce();
    expect(watch.onInterrupt).not.toHaveBeenCalled();
    watch.app.unmount();
  });

  it('draws at most about 10 frames a second however fast events come (4 past 20 attempts)', async () => {
    // The sampler's clock is faked: a second of events, 100 every 5 ms, passes the same on any machine.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    try {
      for (const [count, least, most] of [
        [4, 8, 13],
        [40, 3, 6],
      ] as const) {
        const model = runWith(count);
        const app = render(createElement(Dashboard, { model, mode: 'run', onLeave: vi.fn(), onInterrupt: vi.fn(), size: { columns: 100, rows: 60 } }));
        await vi.advanceTimersByTimeAsync(200);
        const before = app.frames.length;
        let n = 0;
        for (let elapsed = 0; elapsed < 1000; elapsed += 5) {
          for (let i = 0; i < 100; i++) model.apply(ev('attempt.activity', { kind: 'tool', tool: 'Bash', summary: `step ${n++}` }, 'att_0001'));
          await vi.advanceTimersByTimeAsync(5);
        }
        const drawn = app.frames.length - before;
        expect(drawn, `${count} attempts`).toBeLessThanOrEqual(most);
        // …and it does keep up: the screen follows the events.
        expect(drawn, `${count} attempts`).toBeGreaterThanOrEqual(least);
        await vi.advanceTimersByTimeAsync(300);
        expect(app.lastFrame()).toContain(`step ${n - 1}`);
        app.unmount();
      }
    } finally {
      vi.useRealTimers();
    }
  });
});
