import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { it } from 'vitest';
import { Dashboard } from './dashboard.tsx';
import { DashboardModel } from './model.ts';

it('perf', async () => {
  const model = new DashboardModel();
  let seq = 0;
  const ev = (type: string, data: Record<string, unknown>, attemptId: string | null = null) => ({ seq: ++seq, runId: 'run_x', attemptId, type, data, at: new Date().toISOString() });
  model.apply(ev('run.started', { goal: 'g', strategy: 's', target: 'main' }));
  for (let n = 1; n <= 60; n++) { model.apply(ev('attempt.created', { n, agent: 'a', branch: 'b' }, `att_${n}`)); model.apply(ev('attempt.started', { pid: n }, `att_${n}`)); }
  const app = process.env.NORENDER ? { frames: [], unmount() {} } : render(createElement(Dashboard, { model, mode: 'run', onLeave: () => {}, onInterrupt: () => {}, size: { columns: 120, rows: 80 }, sampleMs: 100 }));
  const t = performance.now();
  let events = 0;
  const cpu0 = process.cpuUsage();
  while (performance.now() - t < 3000) {
    for (let i = 0; i < 50; i++) { model.apply(ev('attempt.activity', { kind: 'tool', tool: 'Bash', summary: `x ${events++}` }, `att_${1 + (events % 60)}`)); }
    await new Promise((r) => setTimeout(r, 10));
  }
  const cpu = process.cpuUsage(cpu0);
  console.log('events', events, 'frames', app.frames.length, 'cpu ms', (cpu.user + cpu.system) / 1000);
  app.unmount();
});
