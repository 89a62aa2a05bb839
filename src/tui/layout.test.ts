import { describe, expect, it } from 'vitest';
import { columnsFor } from './columns.ts';
import { frameHeight, keepVisible, layout, logMin } from './layout.ts';

describe('the dashboard layout', () => {
  it('shows every row and a full log pane when they fit', () => {
    const l = layout({ rows: 40, attempts: 3, selected: 0, offset: 0, logOpen: true, extraLines: 0 });
    expect(l).toMatchObject({ compact: false, tableRows: 3, headerLines: 2, columnHeader: true, offset: 0 });
    expect(l.logLines).toBe(12);
  });

  it('scrolls 60 attempts on 20 rows, keeps a small log pane, and stays inside the terminal', () => {
    const l = layout({ rows: 20, attempts: 60, selected: 59, offset: 0, logOpen: true, extraLines: 0 });
    expect(l.compact).toBe(true);
    expect(l.logLines).toBe(logMin);
    expect(l.offset + l.tableRows).toBe(60);
    expect(frameHeight(l, 0)).toBeLessThanOrEqual(19);
  });

  it('moves the window only as far as the selection needs', () => {
    expect(keepVisible(5, 0, 10, 60)).toBe(0);
    expect(keepVisible(10, 0, 10, 60)).toBe(1);
    expect(keepVisible(3, 20, 10, 60)).toBe(3);
    expect(keepVisible(59, 0, 10, 60)).toBe(50);
    // The terminal grew: no empty rows below the last attempt.
    expect(keepVisible(55, 50, 20, 60)).toBe(40);
  });

  it('never draws a frame taller than the terminal, for any size and count', () => {
    for (let rows = 8; rows <= 60; rows++) {
      for (const attempts of [0, 1, 3, 10, 25, 60, 200]) {
        for (const logOpen of [true, false]) {
          for (const extraLines of [0, 1, 3]) {
            const selected = Math.max(0, attempts - 1);
            const l = layout({ rows, attempts, selected, offset: 0, logOpen, extraLines });
            expect(frameHeight(l, extraLines), `${rows} rows, ${attempts} attempts, log ${logOpen}, +${extraLines}`).toBeLessThanOrEqual(rows - 1);
            expect(l.tableRows).toBeGreaterThanOrEqual(1);
            if (attempts > 0) expect(selected >= l.offset && selected < l.offset + l.tableRows).toBe(true);
          }
        }
      }
    }
  });

  it('drops the least needed columns on a narrow terminal and keeps room for the activity', () => {
    const wide = columnsFor(160).map((c) => c.key);
    expect(wide).toEqual(['n', 'agent', 'status', 'verdict', 'activity', 'turns', 'tokens', 'cost', 'time', 'diff']);
    for (const width of [80, 79]) {
      const narrow = columnsFor(width);
      // Pass/fail and cost stay; tokens, turns and time go first.
      expect(narrow.map((c) => c.key)).toEqual(['n', 'agent', 'status', 'verdict', 'activity', 'cost']);
      expect(narrow.find((c) => c.key === 'activity')?.width).toBeGreaterThanOrEqual(16);
    }
    // Narrower still, the pass/fail column is the last optional one left.
    expect(columnsFor(60).map((c) => c.key)).toEqual(['n', 'agent', 'status', 'verdict', 'activity']);
    for (let width = 40; width <= 200; width++) expect(columnsFor(width).map((c) => c.key)).toContain('verdict');
  });

  it('adds a task column only when the run has several tasks, since attempts are numbered per task', () => {
    expect(columnsFor(120).map((c) => c.key)).not.toContain('task');
    const planned = columnsFor(120, 9);
    expect(planned.map((c) => c.key).slice(0, 3)).toEqual(['n', 'task', 'agent']);
    expect(planned.find((c) => c.key === 'task')?.width).toBe(9);
    expect(columnsFor(120, 40).find((c) => c.key === 'task')?.width).toBe(14);
    expect(columnsFor(80, 9).map((c) => c.key)).toEqual(['n', 'task', 'agent', 'status', 'verdict', 'activity', 'cost']);
    for (const width of [60, 80, 100, 120, 200]) {
      const columns = columnsFor(width);
      expect(columns.reduce((sum, c) => sum + c.width, 0) + 2 + columns.length - 1).toBeLessThanOrEqual(Math.max(width, 60));
    }
  });
});
